import copy
import json

import pytest
from booking_testkit import NOW, free_slots, later, make_person
from sqlalchemy import func, select

from careguide.booking import booking
from careguide.booking.fhir import FhirImportError, export_directory, import_directory
from careguide.booking.models import Organization, Slot, SlotStatus
from careguide.store.db import Database


def _bundle(db: Database, code: str = "demo-chengdu-c1") -> dict:
    with db.session() as s:
        return export_directory(s, organization_codes=[code])


def _as_hospital(bundle: dict, suffix: str) -> dict:
    """The same bundle as if another hospital sent it: every directory code gets a suffix."""
    text = json.dumps(bundle, ensure_ascii=False).replace("demo-chengdu-c1", f"import-{suffix}")
    return json.loads(text)


def _without_slot_ids(bundle: dict) -> list[dict]:
    out = []
    for entry in bundle["entry"]:
        resource = dict(entry["resource"])
        if resource["resourceType"] == "Slot":
            resource.pop("id")
            # a slot taken at the sending hospital arrives here as not bookable
            resource["status"] = "free" if resource["status"] == "free" else "busy-unavailable"
        out.append(resource)
    return out


def test_export_contains_every_directory_resource_type_with_bilingual_names(db: Database):
    bundle = _bundle(db)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {
        "Organization",
        "Location",
        "HealthcareService",
        "Practitioner",
        "PractitionerRole",
        "Schedule",
        "Slot",
    }
    org = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Organization")
    assert "社区卫生服务中心" in org["name"]
    assert "Community Health Centre" in org["_name"]["extension"][0]["extension"][1]["valueString"]


def test_a_directory_imported_from_fhir_exports_back_unchanged(db: Database):
    incoming = _as_hospital(_bundle(db), f"rt-{db.engine.dialect.name}")
    with db.session() as s:
        summary = import_directory(s, incoming)
    assert summary.created["Organization"] == 1 and summary.created["Slot"] > 100
    code = f"import-rt-{db.engine.dialect.name}"
    with db.session() as s:
        again = export_directory(s, organization_codes=[code])
    assert _without_slot_ids(again) == _without_slot_ids(incoming)
    with db.session() as s:  # importing it again updates in place, creates nothing
        second = import_directory(s, incoming)
    assert sum(second.created.values()) == 0


def test_reimporting_never_cancels_a_booking_made_here(db: Database):
    code = f"import-keep-{db.engine.dialect.name}"
    incoming = _as_hospital(_bundle(db), code.removeprefix("import-"))
    with db.session() as s:
        import_directory(s, incoming)
        org_id = s.scalar(select(Organization.id).where(Organization.code == code))
        slot_id = s.scalar(
            select(Slot.id)
            .where(
                Slot.status == SlotStatus.FREE, Slot.start > later(1), Slot.role_id.in_(select_roles(org_id))
            )
            .limit(1)
        )
    person = make_person(db)
    with db.session() as s:
        booking.book(s, person, person.id, slot_id, now=NOW)
    with db.session() as s:
        import_directory(s, incoming)
        assert s.scalar(select(Slot.status).where(Slot.id == slot_id)) is SlotStatus.BOOKED


def select_roles(org_id: int):
    from careguide.booking.models import PractitionerRole

    return select(PractitionerRole.id).where(PractitionerRole.organization_id == org_id)


def test_an_invalid_bundle_is_refused_whole_naming_the_field_and_nothing_is_written(db: Database):
    incoming = _as_hospital(_bundle(db), f"bad-{db.engine.dialect.name}")
    broken = copy.deepcopy(incoming)
    slot = next(e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Slot")
    slot["start"] = "next tuesday"
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(Organization))
    with pytest.raises(FhirImportError, match="start"), db.session() as s:
        import_directory(s, broken)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == before


def test_a_department_outside_the_taxonomy_is_refused_with_the_entry_named(db: Database):
    incoming = _as_hospital(_bundle(db), f"dept-{db.engine.dialect.name}")
    service = next(
        e["resource"] for e in incoming["entry"] if e["resource"]["resourceType"] == "HealthcareService"
    )
    service["type"][0]["coding"][0]["code"] = "astrology"
    with pytest.raises(FhirImportError, match=r"HealthcareService/.*astrology"), db.session() as s:
        import_directory(s, incoming)


def test_a_persons_bookings_export_as_valid_fhir_appointments(db: Database):
    from careguide.booking.fhir import export_appointments
    from careguide.booking.models import Appointment

    person = make_person(db)
    slot_id = free_slots(db)[0]
    with db.session() as s:
        booked = booking.book(s, person, person.id, slot_id, now=NOW)
    with db.session() as s:
        bundle = export_appointments(s, [s.get(Appointment, booked.id)])
    [resource] = [e["resource"] for e in bundle["entry"]]
    assert resource["status"] == "booked"
    assert resource["slot"] == [{"reference": f"Slot/slot-{slot_id}"}]
    assert resource["subject"] == {"reference": f"Patient/{person.id}"}
