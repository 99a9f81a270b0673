"""Typed views of directory rows and appointments, as the API, CLI and assistant receive them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from careguide.booking.models import (
    Appointment,
    AppointmentStatus,
    Location,
    Organization,
    OrganizationLevel,
    Practitioner,
    Service,
    Slot,
    Title,
)
from careguide.booking.places import Text, city_name
from careguide.i18n import t


class PractitionerView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    code: str
    name: Text
    title: Title
    title_text: Text
    specialty: Text
    languages: list[str]
    fee_cny: int


class PlaceView(BaseModel):
    """Where a department is: hospital, address, building and floor."""

    model_config = ConfigDict(frozen=True)

    organization_id: int
    organization: Text
    level: OrganizationLevel
    city: Text
    district: Text
    address: Text
    building: Text
    floor: str
    latitude: float | None
    longitude: float | None
    phone: str
    timezone: str


class AppointmentView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    person_id: int
    status: AppointmentStatus
    slot_id: int
    start: datetime
    end: datetime
    local_start: str  # "2026-11-24 09:20" in the hospital's time zone
    hold_expires_at: datetime | None
    department_id: str
    department: Text
    practitioner: PractitionerView
    place: PlaceView
    replaces_id: int | None = None


def bilingual(key: str, **params: object) -> Text:
    return Text(en=t(key, "en", **params), zh=t(key, "zh", **params))


def practitioner_view(p: Practitioner) -> PractitionerView:
    return PractitionerView(
        id=p.id,
        code=p.code,
        name=Text(en=p.name_en, zh=p.name_zh),
        title=p.title,
        title_text=bilingual(f"booking.title_{p.title.value}"),
        specialty=Text(en=p.specialty_en, zh=p.specialty_zh),
        languages=list(p.languages or []),
        fee_cny=p.fee_cny,
    )


def place_view(org: Organization, loc: Location) -> PlaceView:
    return PlaceView(
        organization_id=org.id,
        organization=Text(en=org.name_en, zh=org.name_zh),
        level=org.level,
        city=Text(en=city_name(org.city, "en"), zh=city_name(org.city, "zh")),
        district=Text(en=loc.district_en, zh=loc.district_zh),
        address=Text(en=loc.address_en, zh=loc.address_zh),
        building=Text(en=loc.building_en, zh=loc.building_zh),
        floor=loc.floor,
        latitude=loc.latitude,
        longitude=loc.longitude,
        phone=org.phone,
        timezone=org.timezone,
    )


def local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def appointment_view(
    appt: Appointment,
    slot: Slot,
    practitioner: Practitioner,
    service: Service,
    org: Organization,
    loc: Location,
) -> AppointmentView:
    return AppointmentView(
        id=appt.id,
        person_id=appt.person_id,
        status=appt.status,
        slot_id=slot.id,
        start=slot.start,
        end=slot.end,
        local_start=local_time(slot.start, org.timezone),
        hold_expires_at=appt.hold_expires_at,
        department_id=service.department_id,
        department=Text(en=service.name_en, zh=service.name_zh),
        practitioner=practitioner_view(practitioner),
        place=place_view(org, loc),
        replaces_id=appt.replaces_id,
    )
