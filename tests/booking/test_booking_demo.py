from datetime import date

from sqlalchemy import select

from careguide.booking.demo import seed_directory
from careguide.booking.models import Location, Organization, OrganizationLevel, Practitioner, Service, Slot
from careguide.booking.places import department_taxonomy
from careguide.store.db import Database


def _fresh(tmp_path, name: str) -> Database:
    from careguide.store.all_models import Base

    database = Database(f"sqlite:///{tmp_path}/{name}.db")
    Base.metadata.create_all(database.engine)  # the migrations are exercised by the conftest databases
    return database


def test_the_demo_directory_is_the_same_every_time_for_the_same_seed(tmp_path):
    exports = []
    for name in ("a", "b"):
        database = _fresh(tmp_path, name)
        with database.session() as s:
            seed_directory(s, date(2026, 11, 23), seed=3, city_keys=["hangzhou", "wuhan"], days=3)
        with database.session() as s:
            exports.append(
                [
                    s.execute(
                        select(
                            Organization.code, Organization.name_zh, Organization.name_en, Organization.level
                        )
                    ).all(),
                    s.execute(
                        select(
                            Practitioner.code,
                            Practitioner.name_zh,
                            Practitioner.title,
                            Practitioner.languages,
                        )
                    ).all(),
                    s.execute(
                        select(Location.code, Location.latitude, Location.building_zh, Location.floor)
                    ).all(),
                    s.execute(select(Slot.role_id, Slot.start, Slot.end).order_by(Slot.id)).all(),
                ]
            )
        database.dispose()
    assert exports[0] == exports[1]


def test_the_demo_covers_several_cities_every_level_and_every_department(tmp_path):
    database = _fresh(tmp_path, "cities")
    with database.session() as s:
        summary = seed_directory(s, date(2026, 11, 23), seed=7, days=1)
        again = seed_directory(s, date(2026, 11, 23), seed=7, days=1)
    assert not again.created and again.organizations == summary.organizations
    assert len(summary.cities) >= 5
    with database.session() as s:
        levels = set(s.scalars(select(Organization.level).distinct()))
        departments = set(s.scalars(select(Service.department_id).distinct()))
        names = s.scalars(select(Organization.name_zh)).all()
    assert levels == set(OrganizationLevel)
    assert departments == set(department_taxonomy())
    assert (
        any("北京" in n for n in names)
        and any("上海" in n for n in names)
        and any("成都" in n for n in names)
    )
    database.dispose()


def test_the_demo_has_30_days_of_slots_in_local_clinic_hours(tmp_path):
    from zoneinfo import ZoneInfo

    database = _fresh(tmp_path, "days")
    with database.session() as s:
        seed_directory(s, date(2026, 11, 23), seed=7, city_keys=["xian"])
    with database.session() as s:
        starts = s.scalars(select(Slot.start)).all()
    local = [moment.astimezone(ZoneInfo("Asia/Shanghai")) for moment in starts]
    assert min(local).date() == date(2026, 11, 23) and (max(local).date() - min(local).date()).days == 29
    assert all(8 <= m.hour < 17 for m in local)
    database.dispose()


def test_the_make_run_hook_links_the_demo_doctor_account_once(tmp_path):
    from careguide import accounts
    from careguide.booking.demo import DEMO_DOCTOR_PRACTITIONER, demo_seed
    from careguide.store.models import Role

    database = _fresh(tmp_path, "hook")
    with database.session() as s:
        doctor = accounts.create_user(s, accounts.NewUser("doctor", "password-123", Role.DOCTOR))
        first = demo_seed(s, date(2026, 11, 23), city_keys=["beijing"], days=1)
        second = demo_seed(s, date(2026, 11, 23), city_keys=["beijing"], days=1)
        linked = s.scalar(select(Practitioner).where(Practitioner.code == DEMO_DOCTOR_PRACTITIONER))
    assert first["booking_doctor_linked"] == 1 and second == {
        "booking_organizations": 0,
        "booking_slots": 0,
        "booking_doctor_linked": 0,
    }
    assert linked.user_id == doctor.id and linked.name_zh == "张华"
    database.dispose()
