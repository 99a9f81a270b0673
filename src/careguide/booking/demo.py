"""A deterministic, bilingual demo directory: hospitals in several cities, every department, doctors
and 30 days of slots. The same (today, seed, sizes) always gives the same directory.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from careguide.booking.models import (
    Location,
    Organization,
    OrganizationLevel,
    Practitioner,
    PractitionerRole,
    Schedule,
    Service,
    Slot,
    SlotStatus,
    Title,
)
from careguide.booking.places import City, Text, cities, department_taxonomy

DEMO_PREFIX = "demo-"
TIMEZONE = "Asia/Shanghai"
SESSIONS = {"am": (time(8, 0), time(12, 0)), "pm": (time(13, 30), time(17, 0))}
SLOT_MINUTES = 20
# half-day clinic sessions per week by title: senior doctors see outpatients less often
SESSIONS_PER_WEEK = {Title.CHIEF: 2, Title.ASSOCIATE_CHIEF: 3, Title.ATTENDING: 5}


class DirectorySummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    cities: list[str]
    organizations: int
    services: int
    practitioners: int
    slots: int
    created: bool


class _Building(BaseModel):
    name: Text
    floors: tuple[int, int]


class _DemoData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hospital_stems: list[Text]
    streets: list[Text]
    surnames: list[tuple[str, str]]
    given_names: list[tuple[str, str, str]]
    fees_cny: dict[OrganizationLevel, dict[Title, int]]
    buildings: dict[str, _Building]
    department_groups: dict[str, list[str]]
    secondary_departments: list[str]
    community_departments: list[str]
    second_tertiary_omits: list[str]
    interests: dict[str, list[Text]]


@lru_cache(maxsize=1)
def demo_data() -> _DemoData:
    raw = resources.files("careguide.booking").joinpath("data/demo_directory.yaml").read_text("utf-8")
    return _DemoData.model_validate(yaml.safe_load(raw))


def seed_directory(
    session: Session,
    today: date,
    seed: int = 7,
    *,
    city_keys: list[str] | None = None,
    doctors_per_service: int = 1,
    days: int = 30,
) -> DirectorySummary:
    """Add the demo directory (unless one is already there) with ``days`` of slots from ``today``.

    ``today`` is a local date (Asia/Shanghai); slots are stored in UTC.
    """
    chosen = [cities()[key] for key in (city_keys or list(cities()))]
    existing = session.scalar(
        select(func.count()).select_from(Organization).where(Organization.code.like(f"{DEMO_PREFIX}%"))
    )
    if existing:
        return _summary(session, [c.key for c in chosen], created=False)
    builder = _Builder(session, random.Random(seed), today, doctors_per_service, days)
    for city in chosen:
        builder.add_city(city)
    builder.flush()
    return _summary(session, [c.key for c in chosen], created=True)


def _summary(session: Session, city_keys: list[str], *, created: bool) -> DirectorySummary:
    def count(model: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    return DirectorySummary(
        cities=city_keys,
        organizations=count(Organization),
        services=count(Service),
        practitioners=count(Practitioner),
        slots=count(Slot),
        created=created,
    )


class _Builder:
    """Collects rows with explicit ids, then bulk-inserts them table by table."""

    def __init__(
        self, session: Session, rng: random.Random, today: date, per_service: int, days: int
    ) -> None:
        self.session, self.rng, self.today, self.per_service, self.days = (
            session,
            rng,
            today,
            per_service,
            days,
        )
        self.data = demo_data()
        self.departments = department_taxonomy()
        self.rows: dict[type, list[dict[str, Any]]] = {
            m: [] for m in (Organization, Location, Service, Practitioner, PractitionerRole, Schedule, Slot)
        }
        self.next_id = {m: int(session.scalar(select(func.max(m.id))) or 0) + 1 for m in self.rows}  # type: ignore[attr-defined]
        self.group_of = {
            dept: group for group, depts in self.data.department_groups.items() for dept in depts
        }
        self.tz = ZoneInfo(TIMEZONE)

    def _add(self, model: type, **values: Any) -> int:
        row_id = self.next_id[model]
        self.next_id[model] += 1
        self.rows[model].append({"id": row_id, **values})
        return row_id

    def add_city(self, city: City) -> None:
        stems = self.rng.sample(self.data.hospital_stems, 3)
        districts = self.rng.sample(city.districts, 4)
        all_departments = list(self.departments)
        second = [d for d in all_departments if d not in self.data.second_tertiary_omits]
        street = self.rng.choice(self.data.streets)
        plans = [
            (
                "t1",
                OrganizationLevel.TERTIARY,
                Text(en=f"{city.name.en} {stems[0].en} Hospital", zh=f"{city.name.zh}{stems[0].zh}医院"),
                all_departments,
            ),
            (
                "t2",
                OrganizationLevel.TERTIARY,
                Text(
                    en=f"{city.name.en} {stems[1].en} Central Hospital",
                    zh=f"{city.name.zh}{stems[1].zh}中心医院",
                ),
                second,
            ),
            (
                "s1",
                OrganizationLevel.SECONDARY,
                Text(
                    en=f"{districts[2].name.en} {stems[2].en} Hospital",
                    zh=f"{districts[2].name.zh}{stems[2].zh}医院",
                ),
                self.data.secondary_departments,
            ),
            (
                "c1",
                OrganizationLevel.COMMUNITY,
                Text(
                    en=f"{street.en} Community Health Centre, {districts[3].name.en}",
                    zh=f"{districts[3].name.zh}{street.zh}社区卫生服务中心",
                ),
                self.data.community_departments,
            ),
        ]
        for (suffix, level, name, departments), district in zip(plans, districts, strict=True):
            self._add_organization(
                city, district, f"{DEMO_PREFIX}{city.key}-{suffix}", level, name, departments
            )

    def _add_organization(
        self,
        city: City,
        district: Any,
        code: str,
        level: OrganizationLevel,
        name: Text,
        departments: list[str],
    ) -> None:
        rng = self.rng
        lat = round(district.lat + rng.uniform(-0.02, 0.02), 5)
        lon = round(district.lon + rng.uniform(-0.02, 0.02), 5)
        number = rng.randint(1, 400)
        road = rng.choice(self.data.streets)
        org_id = self._add(
            Organization,
            code=code,
            name_en=name.en,
            name_zh=name.zh,
            level=level,
            city=city.key,
            region=city.region,
            phone=f"{city.phone_code}-{rng.randint(6000_0000, 8999_9999)}",
            timezone=TIMEZONE,
            active=True,
        )
        address = Text(
            en=f"{number} {road.en}, {district.name.en}, {city.name.en}",
            zh=f"{city.name.zh}{district.name.zh}{road.zh}{number}号",
        )
        floors_used: dict[str, int] = {}
        for dept in departments:
            group = self.group_of.get(dept, "medicine")
            building = self.data.buildings[group]
            low, high = building.floors
            floor = rng.randint(low, high) if level is not OrganizationLevel.COMMUNITY else rng.randint(1, 3)
            floors_used[dept] = floor
            dept_name = self.departments[dept]
            loc_id = self._add(
                Location,
                code=f"{code}-loc-{dept}",
                organization_id=org_id,
                name_en=f"{name.en} - {dept_name.en}",
                name_zh=f"{name.zh}{dept_name.zh}",
                city=city.key,
                district_en=district.name.en,
                district_zh=district.name.zh,
                address_en=address.en,
                address_zh=address.zh,
                latitude=lat,
                longitude=lon,
                building_en=building.name.en if level is not OrganizationLevel.COMMUNITY else "Main Building",
                building_zh=building.name.zh if level is not OrganizationLevel.COMMUNITY else "综合楼",
                floor=str(floor),
            )
            service_id = self._add(
                Service,
                code=f"{code}-{dept}",
                organization_id=org_id,
                location_id=loc_id,
                department_id=dept,
                name_en=dept_name.en,
                name_zh=dept_name.zh,
                phone="",
            )
            for n in range(self.per_service):
                self._add_doctor(city, org_id, service_id, dept, level, f"{code}-{dept}-{n + 1}")

    def _add_doctor(
        self, city: City, org_id: int, service_id: int, dept: str, level: OrganizationLevel, code: str
    ) -> None:
        rng = self.rng
        surname = rng.choice(self.data.surnames)
        given = rng.choice(self.data.given_names)
        roll = rng.random()
        title = Title.CHIEF if roll < 0.2 else Title.ASSOCIATE_CHIEF if roll < 0.55 else Title.ATTENDING
        if level is OrganizationLevel.COMMUNITY and title is Title.CHIEF:
            title = Title.ASSOCIATE_CHIEF
        interests = rng.sample(
            self.data.interests.get(dept, []), k=min(2, len(self.data.interests.get(dept, [])))
        )
        languages = ["zh"]
        if city.key == "guangzhou" and rng.random() < 0.6:
            languages.append("yue")
        if level is OrganizationLevel.TERTIARY and rng.random() < 0.3 or rng.random() < 0.08:
            languages.append("en")
        practitioner_id = self._add(
            Practitioner,
            code=code,
            name_en=f"{surname[1]} {given[1]}",
            name_zh=f"{surname[0]}{given[0]}",
            gender=given[2],
            title=title,
            specialty_en=", ".join(i.en for i in interests),
            specialty_zh="、".join(i.zh for i in interests),
            languages=languages,
            fee_cny=self.data.fees_cny[level][title],
            user_id=None,
            active=True,
        )
        role_id = self._add(
            PractitionerRole,
            code=f"{code}-role",
            practitioner_id=practitioner_id,
            service_id=service_id,
            organization_id=org_id,
            department_id=dept,
            active=True,
        )
        schedule_id = self._add(
            Schedule, code=f"{code}-schedule", role_id=role_id, comment="outpatient clinic", active=True
        )
        if dept == "emergency":
            return  # the emergency department sees walk-ins around the clock; nothing to book
        self._add_slots(schedule_id, role_id, title)

    def _add_slots(self, schedule_id: int, role_id: int, title: Title) -> None:
        # A fixed weekly pattern per doctor: which half-days (Mon-Sat) they hold a clinic.
        week = [
            (weekday, part)
            for weekday in range(6)
            for part in SESSIONS
            if not (weekday == 5 and part == "pm")
        ]
        pattern = set(self.rng.sample(week, SESSIONS_PER_WEEK[title]))
        for offset in range(self.days):
            day = self.today + timedelta(days=offset)
            for part, (begin, end) in SESSIONS.items():
                if (day.weekday(), part) not in pattern:
                    continue
                moment = datetime.combine(day, begin, tzinfo=self.tz)
                finish = datetime.combine(day, end, tzinfo=self.tz)
                while moment + timedelta(minutes=SLOT_MINUTES) <= finish:
                    after = moment + timedelta(minutes=SLOT_MINUTES)
                    self._add(
                        Slot,
                        schedule_id=schedule_id,
                        role_id=role_id,
                        start=moment.astimezone(UTC),
                        end=after.astimezone(UTC),
                        status=SlotStatus.FREE,
                        held_until=None,
                    )
                    moment = after

    def flush(self) -> None:
        for model, rows in self.rows.items():
            for start in range(0, len(rows), 5000):
                self.session.execute(insert(model), rows[start : start + 5000])
        self.session.flush()
        if self.session.get_bind().dialect.name == "postgresql":
            # explicit ids do not advance PostgreSQL's sequences; later inserts must not collide
            for model in self.rows:
                table = model.__tablename__  # type: ignore[attr-defined]
                self.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )
                # fresh statistics, so the planner uses the slot index from the first query on
                self.session.execute(text(f"ANALYZE {table}"))


DEMO_DOCTOR_USERNAME = "doctor"
DEMO_DOCTOR_PRACTITIONER = f"{DEMO_PREFIX}beijing-t1-cardiology-1"


def demo_seed(
    session: Session, today: date, *, city_keys: list[str] | None = None, days: int = 30
) -> dict[str, int]:
    """The ``make run`` hook (``careguide.demo.DEMO_SEEDERS``): the directory, and the demo doctor's
    account linked to a cardiologist in Beijing so the receiving-clinic referral view has staff."""
    from careguide.store.models import User

    summary = seed_directory(session, today, city_keys=city_keys, days=days)
    linked = 0
    doctor = session.scalar(select(User).where(User.username == DEMO_DOCTOR_USERNAME))
    practitioner = session.scalar(select(Practitioner).where(Practitioner.code == DEMO_DOCTOR_PRACTITIONER))
    if doctor is not None and practitioner is not None and practitioner.user_id is None:
        practitioner.user_id = doctor.id
        practitioner.name_zh, practitioner.name_en, practitioner.gender = "张华", "Zhang Hua", "male"
        linked = 1
    return {
        "booking_organizations": summary.organizations if summary.created else 0,
        "booking_slots": summary.slots if summary.created else 0,
        "booking_doctor_linked": linked,
    }
