"""Import a hospital's FHIR directory Bundle: validate it whole, then upsert by directory code.

A resource's code is its identifier in ``CODE_SYSTEM`` when present, else its FHIR id. Slots are
matched by (schedule, start); a slot that is held or booked here keeps its state, so re-importing a
directory never cancels a booking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.booking.fhir import (
    CODE_SYSTEM,
    DEPARTMENT_SYSTEM,
    EXT_CITY_KEY,
    EXT_FEE,
    EXT_PLACEMENT,
    EXT_SPECIALTY_TEXT,
    LEVEL_SYSTEM,
    TITLE_SYSTEM,
    TRANSLATION,
    FhirImportError,
    ImportSummary,
)
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
from careguide.booking.places import department_taxonomy, resolve_city

ORDER = (
    "Organization",
    "Location",
    "HealthcareService",
    "Practitioner",
    "PractitionerRole",
    "Schedule",
    "Slot",
)
_IMPORTED_SLOT_STATUS = {
    "free": SlotStatus.FREE,
    "busy-unavailable": SlotStatus.BLOCKED,
    "busy": SlotStatus.BLOCKED,
    "busy-tentative": SlotStatus.BLOCKED,
    "entered-in-error": SlotStatus.BLOCKED,
}


def import_directory(session: Session, bundle: dict[str, Any]) -> ImportSummary:
    """Upsert the directory resources of ``bundle``; raises FhirImportError naming the first problems."""
    from fhir.resources.bundle import Bundle

    try:
        Bundle.model_validate(bundle)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5])
        raise FhirImportError(f"not a valid FHIR Bundle: {problems}") from error
    importer = _Importer(session)
    entries = [entry.get("resource") or {} for entry in bundle.get("entry") or []]
    for kind in ORDER:
        for index, resource in enumerate(entries):
            if resource.get("resourceType") == kind:
                try:
                    importer.take(kind, resource)
                except FhirImportError as error:
                    raise FhirImportError(f"entry {index} ({kind}/{resource.get('id')}): {error}") from error
    session.flush()
    return ImportSummary(created=importer.created, updated=importer.updated)


class _Importer:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.refs: dict[str, Any] = {}  # "Organization/<fhir id>" -> row
        self.slots: dict[int, dict[datetime, Slot]] = {}
        self.created: dict[str, int] = {k: 0 for k in ORDER}
        self.updated: dict[str, int] = {k: 0 for k in ORDER}

    def take(self, kind: str, r: dict[str, Any]) -> None:
        row = getattr(self, f"_{kind.lower()}")(r)
        if kind != "Slot":
            self.refs[f"{kind}/{r.get('id')}"] = row

    # each returns the upserted row
    def _organization(self, r: dict[str, Any]) -> Organization:
        zh, en = _text(r, "name")
        level = _code(r.get("type"), LEVEL_SYSTEM) or OrganizationLevel.SECONDARY.value
        if level not in OrganizationLevel._value2member_map_:
            raise FhirImportError(f"unknown hospital level {level!r}")
        city = _extension(r, EXT_CITY_KEY, "valueCode") or _city_key(
            ((r.get("address") or [{}])[0]).get("city")
        )
        phone = next(
            (
                t.get("value")
                for c in r.get("contact") or []
                for t in c.get("telecom") or []
                if t.get("system") == "phone"
            ),
            "",
        )
        return self._upsert(
            Organization,
            "Organization",
            _code_of(r),
            name_zh=zh,
            name_en=en,
            level=OrganizationLevel(level),
            city=city or "unknown",
            phone=phone or "",
            active=r.get("active", True),
        )

    def _location(self, r: dict[str, Any]) -> Location:
        org = self._ref(r.get("managingOrganization"), "Organization", "managingOrganization")
        address = r.get("address") or {}
        zh, en = _text(r, "name")
        district_zh, district_en = _text(address, "district")
        text_zh, text_en = _text(address, "text")
        placement = {e.get("url"): e.get("valueString") for e in _extensions(r, EXT_PLACEMENT)}
        position = r.get("position") or {}
        return self._upsert(
            Location,
            "Location",
            _code_of(r),
            organization_id=org.id,
            name_zh=zh,
            name_en=en,
            city=_city_key(address.get("city")) or org.city,
            district_zh=district_zh,
            district_en=district_en,
            address_zh=text_zh,
            address_en=text_en,
            latitude=position.get("latitude"),
            longitude=position.get("longitude"),
            building_zh=_dash(placement.get("building-zh")),
            building_en=_dash(placement.get("building-en")),
            floor=_dash(placement.get("floor")),
        )

    def _healthcareservice(self, r: dict[str, Any]) -> Service:
        org = self._ref(r.get("providedBy"), "Organization", "providedBy")
        locations = r.get("location") or []
        if not locations:
            raise FhirImportError("location: a department needs a Location (where it is)")
        loc = self._ref(locations[0], "Location", "location[0]")
        dept = _code(r.get("type"), DEPARTMENT_SYSTEM)
        if dept not in department_taxonomy():
            raise FhirImportError(
                f"type: department code {dept!r} is not in the taxonomy ({DEPARTMENT_SYSTEM})"
            )
        zh, en = _text(r, "name")
        return self._upsert(
            Service,
            "HealthcareService",
            _code_of(r),
            organization_id=org.id,
            location_id=loc.id,
            department_id=dept,
            name_zh=zh or department_taxonomy()[dept].zh,
            name_en=en or department_taxonomy()[dept].en,
        )

    def _practitioner(self, r: dict[str, Any]) -> Practitioner:
        names = r.get("name") or []
        if not names:
            raise FhirImportError("name: a practitioner needs a name")
        zh, en = _text(names[0], "text")
        if not zh:
            zh = en = " ".join([names[0].get("family") or "", *(names[0].get("given") or [])]).strip()
        languages = [
            c.get("code")
            for comm in r.get("communication") or []
            for c in (comm.get("language") or {}).get("coding") or []
        ]
        return self._upsert(
            Practitioner,
            "Practitioner",
            _code_of(r),
            name_zh=zh,
            name_en=en or zh,
            gender=r.get("gender", "unknown"),
            languages=[lang for lang in languages if lang],
            active=r.get("active", True),
            defaults={"title": Title.ATTENDING},
        )

    def _practitionerrole(self, r: dict[str, Any]) -> PractitionerRole:
        practitioner = self._ref(r.get("practitioner"), "Practitioner", "practitioner")
        services = r.get("healthcareService") or []
        if not services:
            raise FhirImportError("healthcareService: a role must name the department it works in")
        service = self._ref(services[0], "HealthcareService", "healthcareService[0]")
        title = _code(r.get("code"), TITLE_SYSTEM)
        if title is not None:
            if title not in Title._value2member_map_:
                raise FhirImportError(f"code: unknown professional title {title!r}")
            practitioner.title = Title(title)
        fee = _extension(r, EXT_FEE, "valueMoney")
        if fee is not None:
            practitioner.fee_cny = int(fee.get("value") or 0)
        interests = {e.get("url"): e.get("valueString") for e in _extensions(r, EXT_SPECIALTY_TEXT)}
        if interests:
            practitioner.specialty_zh, practitioner.specialty_en = (
                _dash(interests.get("zh")),
                _dash(interests.get("en")),
            )
        return self._upsert(
            PractitionerRole,
            "PractitionerRole",
            _code_of(r),
            practitioner_id=practitioner.id,
            service_id=service.id,
            organization_id=service.organization_id,
            department_id=service.department_id,
            active=r.get("active", True),
        )

    def _schedule(self, r: dict[str, Any]) -> Schedule:
        actors = [
            a for a in r.get("actor") or [] if str(a.get("reference", "")).startswith("PractitionerRole/")
        ]
        if not actors:
            raise FhirImportError("actor: a schedule must belong to a PractitionerRole")
        role = self._ref(actors[0], "PractitionerRole", "actor")
        return self._upsert(
            Schedule,
            "Schedule",
            _code_of(r),
            role_id=role.id,
            comment=r.get("comment") or "",
            active=r.get("active", True),
        )

    def _slot(self, r: dict[str, Any]) -> Slot:
        schedule = self._ref(r.get("schedule"), "Schedule", "schedule")
        start, end = _instant(r.get("start"), "start"), _instant(r.get("end"), "end")
        if end <= start:
            raise FhirImportError("end: a slot must end after it starts")
        status = _IMPORTED_SLOT_STATUS.get(r.get("status", "free"), SlotStatus.BLOCKED)
        known = self.slots.get(schedule.id)
        if known is None:  # one query per schedule, not per slot
            rows = self.session.scalars(select(Slot).where(Slot.schedule_id == schedule.id)).all()
            known = self.slots[schedule.id] = {row.start: row for row in rows}
        slot = known.get(start)
        if slot is None:
            slot = known[start] = Slot(
                schedule_id=schedule.id, role_id=schedule.role_id, start=start, end=end, status=status
            )
            self.session.add(slot)
            self.created["Slot"] += 1
        else:
            slot.end = end
            if slot.status in (SlotStatus.FREE, SlotStatus.BLOCKED):  # never clobber a hold or a booking
                slot.status = status
            self.updated["Slot"] += 1
        return slot

    def _upsert(
        self, model: Any, kind: str, code: str, *, defaults: dict[str, Any] | None = None, **values: Any
    ) -> Any:
        row = self.session.scalar(select(model).where(model.code == code))
        if row is None:
            row = model(code=code, **(defaults or {}), **values)
            self.session.add(row)
            self.created[kind] += 1
        else:
            for key, value in values.items():
                setattr(row, key, value)
            self.updated[kind] += 1
        self.session.flush()
        return row

    def _ref(self, reference: dict[str, Any] | None, kind: str, field: str) -> Any:
        ref = (reference or {}).get("reference")
        if not ref:
            raise FhirImportError(f"{field}: missing reference to a {kind}")
        row = self.refs.get(ref)
        if row is None:
            raise FhirImportError(f"{field}: {ref} is not in this bundle")
        return row


def _code_of(r: dict[str, Any]) -> str:
    for identifier in r.get("identifier") or []:
        if identifier.get("system") == CODE_SYSTEM and identifier.get("value"):
            return str(identifier["value"])
    if not r.get("id"):
        raise FhirImportError("id: the resource needs an id or a directory-code identifier")
    return str(r["id"])


def _text(holder: dict[str, Any], field: str) -> tuple[str, str]:
    """(zh, en) of a string element and its translation extension."""
    value = str(holder.get(field) or "")
    en = ""
    for ext in (holder.get(f"_{field}") or {}).get("extension") or []:
        if ext.get("url") == TRANSLATION:
            parts = {
                e.get("url"): e.get("valueCode") or e.get("valueString") for e in ext.get("extension") or []
            }
            if parts.get("lang", "").startswith("en"):
                en = str(parts.get("content") or "")
    return value, en or value


def _code(concepts: list[dict[str, Any]] | dict[str, Any] | None, system: str) -> str | None:
    items = concepts if isinstance(concepts, list) else [concepts] if concepts else []
    for concept in items:
        for coding in concept.get("coding") or []:
            if coding.get("system") == system and coding.get("code"):
                return str(coding["code"])
    return None


def _extensions(r: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [
        sub for ext in r.get("extension") or [] if ext.get("url") == url for sub in ext.get("extension") or []
    ]


def _extension(r: dict[str, Any], url: str, value_key: str) -> Any:
    return next((ext.get(value_key) for ext in r.get("extension") or [] if ext.get("url") == url), None)


def _city_key(name: str | None) -> str:
    if not name:
        return ""
    city = resolve_city(name)
    return city.key if city else name.strip().lower()


def _dash(value: str | None) -> str:
    return "" if value in (None, "-") else str(value)


def _instant(value: Any, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as error:
        raise FhirImportError(f"{field}: not an instant: {value!r}") from error
    if moment.tzinfo is None:
        raise FhirImportError(f"{field}: an instant needs a time zone")
    return moment
