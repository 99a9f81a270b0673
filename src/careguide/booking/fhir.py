"""The directory as FHIR (R5, via fhir.resources 8): export a Bundle, import one a hospital sends.

Resources: Organization, Location, HealthcareService, Practitioner, PractitionerRole, Schedule,
Slot; Appointment for a person's own bookings. Chinese is the primary text of names; English rides
along in the standard translation extension. Department types use the shared taxonomy ids
(system ``DEPARTMENT_SYSTEM``). Imports are validated by fhir.resources first; a bad bundle is
refused whole with the entry and field named, and nothing is written.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.booking.models import (
    Appointment,
    AppointmentStatus,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    Schedule,
    Service,
    Slot,
    SlotStatus,
)
from careguide.booking.places import department_taxonomy

BASE = "https://careguide.example/fhir"
CODE_SYSTEM = f"{BASE}/sid/directory-code"
DEPARTMENT_SYSTEM = f"{BASE}/CodeSystem/department"
LEVEL_SYSTEM = f"{BASE}/CodeSystem/hospital-level"
TITLE_SYSTEM = f"{BASE}/CodeSystem/professional-title"
EXT_PLACEMENT = f"{BASE}/StructureDefinition/placement"  # building (en, zh) and floor inside a campus
EXT_FEE = f"{BASE}/StructureDefinition/registration-fee"
EXT_SPECIALTY_TEXT = f"{BASE}/StructureDefinition/clinical-interests"
EXT_CITY_KEY = f"{BASE}/StructureDefinition/city-key"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
BCP47 = "urn:ietf:bcp:47"
_SLOT_STATUS = {
    SlotStatus.FREE: "free",
    SlotStatus.HELD: "busy-tentative",
    SlotStatus.BOOKED: "busy",
    SlotStatus.BLOCKED: "busy-unavailable",
}
_APPT_STATUS = {
    AppointmentStatus.HELD: "pending",
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.EXPIRED: "cancelled",
    AppointmentStatus.RESCHEDULED: "cancelled",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.NO_SHOW: "noshow",
}


class FhirImportError(ValueError):
    """A bundle that cannot be imported; the message names the entry and the field."""


class ImportSummary(BaseModel):
    created: dict[str, int]
    updated: dict[str, int]


# --- export ---------------------------------------------------------------------------------


def export_directory(
    session: Session, *, organization_codes: list[str] | None = None, slots_from: datetime | None = None
) -> dict[str, Any]:
    """A validated FHIR ``collection`` Bundle of the directory (optionally some hospitals only)."""
    orgs = session.scalars(select(Organization).order_by(Organization.id)).all()
    if organization_codes is not None:
        orgs = [o for o in orgs if o.code in organization_codes]
    org_ids = [o.id for o in orgs]
    resources: list[dict[str, Any]] = [_organization(o) for o in orgs]
    locations = session.scalars(
        select(Location).where(Location.organization_id.in_(org_ids)).order_by(Location.id)
    ).all()
    resources += [
        _location(loc, org_code={o.id: o.code for o in orgs}[loc.organization_id]) for loc in locations
    ]
    loc_codes = {loc.id: loc.code for loc in locations}
    org_codes = {o.id: o.code for o in orgs}
    services = session.scalars(
        select(Service).where(Service.organization_id.in_(org_ids)).order_by(Service.id)
    ).all()
    resources += [_service(s, org_codes, loc_codes) for s in services]
    roles = session.scalars(
        select(PractitionerRole)
        .where(PractitionerRole.organization_id.in_(org_ids))
        .order_by(PractitionerRole.id)
    ).all()
    practitioners = {r.practitioner_id: r.practitioner for r in roles}
    resources += [_practitioner(p) for p in sorted(practitioners.values(), key=lambda p: p.id)]
    service_by_id = {s.id: s for s in services}
    resources += [_role(r, service_by_id[r.service_id], org_codes, loc_codes) for r in roles]
    role_codes = {r.id: r.code for r in roles}
    schedules = session.scalars(
        select(Schedule).where(Schedule.role_id.in_(list(role_codes))).order_by(Schedule.id)
    ).all()
    resources += [_schedule(s, role_codes) for s in schedules]
    schedule_codes = {s.id: s.code for s in schedules}
    slot_query = (
        select(Slot).where(Slot.schedule_id.in_(list(schedule_codes))).order_by(Slot.schedule_id, Slot.start)
    )
    if slots_from is not None:
        slot_query = slot_query.where(Slot.start >= slots_from)
    resources += [_slot(s, schedule_codes) for s in session.scalars(slot_query)]
    return _bundle(resources)


def export_appointments(session: Session, appointments: list[Appointment]) -> dict[str, Any]:
    """A person's appointments as FHIR Appointments (the caller has checked access)."""
    out = []
    for appt in appointments:
        slot = appt.slot
        role = appt.role
        out.append(
            {
                "resourceType": "Appointment",
                "id": f"appointment-{appt.id}",
                "status": _APPT_STATUS[appt.status],
                "slot": [{"reference": f"Slot/slot-{slot.id}"}],
                "start": _instant(slot.start),
                "end": _instant(slot.end),
                "created": _instant(appt.created_at),
                "subject": {"reference": f"Patient/{appt.person_id}"},
                "participant": [
                    {"actor": {"reference": f"Patient/{appt.person_id}"}, "status": "accepted"},
                    {"actor": {"reference": f"PractitionerRole/{_fhir_id(role.code)}"}, "status": "accepted"},
                ],
            }
        )
    return _bundle(out)


def _bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    from fhir.resources.bundle import Bundle

    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    Bundle.model_validate(bundle)  # what we hand out is valid FHIR, checked, not assumed
    return bundle


def _organization(o: Organization) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": _fhir_id(o.code),
        "identifier": [{"system": CODE_SYSTEM, "value": o.code}],
        "active": o.active,
        "type": [{"coding": [{"system": LEVEL_SYSTEM, "code": o.level.value}]}],
        **_named("name", o.name_zh, o.name_en),
        "contact": [{"telecom": [{"system": "phone", "value": o.phone}]}] if o.phone else [],
        "extension": [{"url": EXT_CITY_KEY, "valueCode": o.city}],
    }


def _location(loc: Location, org_code: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": _fhir_id(loc.code),
        "identifier": [{"system": CODE_SYSTEM, "value": loc.code}],
        **_named("name", loc.name_zh, loc.name_en),
        "address": {
            "city": loc.city,
            **_named("district", loc.district_zh, loc.district_en),
            **_named("text", loc.address_zh, loc.address_en),
        },
        "managingOrganization": {"reference": f"Organization/{_fhir_id(org_code)}"},
        "extension": [
            {
                "url": EXT_PLACEMENT,
                "extension": [
                    {"url": "building-zh", "valueString": loc.building_zh or "-"},
                    {"url": "building-en", "valueString": loc.building_en or "-"},
                    {"url": "floor", "valueString": loc.floor or "-"},
                ],
            }
        ],
    }
    if loc.latitude is not None and loc.longitude is not None:
        resource["position"] = {"latitude": loc.latitude, "longitude": loc.longitude}
    return resource


def _service(s: Service, org_codes: dict[int, str], loc_codes: dict[int, str]) -> dict[str, Any]:
    dept = department_taxonomy().get(s.department_id)
    return {
        "resourceType": "HealthcareService",
        "id": _fhir_id(s.code),
        "identifier": [{"system": CODE_SYSTEM, "value": s.code}],
        "providedBy": {"reference": f"Organization/{_fhir_id(org_codes[s.organization_id])}"},
        "location": [{"reference": f"Location/{_fhir_id(loc_codes[s.location_id])}"}],
        "type": [
            {
                "coding": [
                    {
                        "system": DEPARTMENT_SYSTEM,
                        "code": s.department_id,
                        "display": dept.en if dept else s.department_id,
                    }
                ]
            }
        ],
        **_named("name", s.name_zh, s.name_en),
    }


def _practitioner(p: Practitioner) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": _fhir_id(p.code),
        "identifier": [{"system": CODE_SYSTEM, "value": p.code}],
        "active": p.active,
        "name": [{**_named("text", p.name_zh, p.name_en)}],
        "gender": p.gender if p.gender in ("male", "female", "other") else "unknown",
        "communication": [
            {"language": {"coding": [{"system": BCP47, "code": lang}]}} for lang in p.languages or []
        ],
    }


def _role(
    r: PractitionerRole, s: Service, org_codes: dict[int, str], loc_codes: dict[int, str]
) -> dict[str, Any]:
    p = r.practitioner
    return {
        "resourceType": "PractitionerRole",
        "id": _fhir_id(r.code),
        "identifier": [{"system": CODE_SYSTEM, "value": r.code}],
        "active": r.active,
        "practitioner": {"reference": f"Practitioner/{_fhir_id(p.code)}"},
        "organization": {"reference": f"Organization/{_fhir_id(org_codes[r.organization_id])}"},
        "healthcareService": [{"reference": f"HealthcareService/{_fhir_id(s.code)}"}],
        "location": [{"reference": f"Location/{_fhir_id(loc_codes[s.location_id])}"}],
        "code": [{"coding": [{"system": TITLE_SYSTEM, "code": p.title.value}]}],
        "specialty": [{"coding": [{"system": DEPARTMENT_SYSTEM, "code": r.department_id}]}],
        "extension": [
            {"url": EXT_FEE, "valueMoney": {"value": p.fee_cny, "currency": "CNY"}},
            {
                "url": EXT_SPECIALTY_TEXT,
                "extension": [
                    {"url": "zh", "valueString": p.specialty_zh or "-"},
                    {"url": "en", "valueString": p.specialty_en or "-"},
                ],
            },
        ],
    }


def _schedule(s: Schedule, role_codes: dict[int, str]) -> dict[str, Any]:
    return {
        "resourceType": "Schedule",
        "id": _fhir_id(s.code),
        "identifier": [{"system": CODE_SYSTEM, "value": s.code}],
        "active": s.active,
        "actor": [{"reference": f"PractitionerRole/{_fhir_id(role_codes[s.role_id])}"}],
        **({"comment": s.comment} if s.comment else {}),
    }


def _slot(s: Slot, schedule_codes: dict[int, str]) -> dict[str, Any]:
    return {
        "resourceType": "Slot",
        "id": f"slot-{s.id}",
        "schedule": {"reference": f"Schedule/{_fhir_id(schedule_codes[s.schedule_id])}"},
        "status": _SLOT_STATUS[s.status],
        "start": _instant(s.start),
        "end": _instant(s.end),
    }


def _named(field: str, zh: str, en: str) -> dict[str, Any]:
    value: dict[str, Any] = {field: zh or en}
    if en and en != zh:
        value[f"_{field}"] = {
            "extension": [
                {
                    "url": TRANSLATION,
                    "extension": [{"url": "lang", "valueCode": "en"}, {"url": "content", "valueString": en}],
                }
            ]
        }
    return value


def _fhir_id(code: str) -> str:
    """FHIR ids allow letters, digits, '-' and '.', at most 64 characters."""
    return re.sub(r"[^A-Za-z0-9\-.]", ".", code)[:64]


def _instant(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


from careguide.booking.fhir_import import import_directory  # noqa: E402

__all__ = ["FhirImportError", "ImportSummary", "export_appointments", "export_directory", "import_directory"]
