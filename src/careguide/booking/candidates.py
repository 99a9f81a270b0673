"""The database side of matching: candidate roles with their earliest free slot, and the directory
entries of the chosen slots. Two queries per match, built once and run with bound values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from careguide.booking.models import (
    Location,
    Organization,
    OrganizationLevel,
    Practitioner,
    PractitionerRole,
    Service,
    Slot,
    SlotStatus,
    Title,
)

Entry = tuple[datetime, Practitioner, Service, Organization, Location]


@dataclass(frozen=True)
class Candidate:
    role_id: int
    slot_id: int
    start: datetime
    department_id: str
    organization_id: int
    organization_city: str
    level: OrganizationLevel
    title: Title
    languages: tuple[str, ...]
    latitude: float | None
    longitude: float | None


def find_candidates(
    session: Session, departments: list[str], city: str | None, start: datetime, end: datetime
) -> list[Candidate]:
    if not departments:
        return []
    params = {"departments": departments, "lo": start, "hi": end, "city": city or ""}
    rows = [
        row for row in session.execute(_candidate_query(city is not None), params).all() if row[1] is not None
    ]
    return [
        Candidate(
            role_id=r[0],
            slot_id=r[1],
            start=r[10],
            department_id=r[2],
            organization_id=r[3],
            organization_city=r[4],
            level=r[5],
            title=r[6],
            languages=tuple(r[7] or ()),
            latitude=r[8],
            longitude=r[9],
        )
        for r in rows
    ]


@lru_cache(maxsize=2)
def _candidate_query(in_city: bool) -> Select[Any]:
    """Built once (building SQL expressions costs more than running them here); values are bound."""

    # The earliest free slot of each role: one index seek per role on (role_id, status, start).
    def earliest(column: Any) -> Any:
        return (
            select(column)
            .where(
                Slot.role_id == PractitionerRole.id,
                Slot.status == SlotStatus.FREE,
                Slot.start >= bindparam("lo"),
                Slot.start < bindparam("hi"),
            )
            .order_by(Slot.start)
            .limit(1)
            .correlate(PractitionerRole)
            .scalar_subquery()
        )

    query = (
        select(
            PractitionerRole.id,
            earliest(Slot.id),
            PractitionerRole.department_id,
            Organization.id,
            Organization.city,
            Organization.level,
            Practitioner.title,
            Practitioner.languages,
            Location.latitude,
            Location.longitude,
            earliest(Slot.start),
        )
        .join(Organization, Organization.id == PractitionerRole.organization_id)
        .join(Practitioner, Practitioner.id == PractitionerRole.practitioner_id)
        .join(Service, Service.id == PractitionerRole.service_id)
        .join(Location, Location.id == Service.location_id)
        .where(
            PractitionerRole.department_id.in_(bindparam("departments", expanding=True)),
            PractitionerRole.active.is_(True),
            Practitioner.active.is_(True),
            Organization.active.is_(True),
        )
    )
    if in_city:
        query = query.where(Organization.city == bindparam("city"))
    return query


_DIRECTORY_ROWS = (
    select(Slot.id, Slot.end, Practitioner, Service, Organization, Location)
    .join(PractitionerRole, PractitionerRole.id == Slot.role_id)
    .join(Practitioner, Practitioner.id == PractitionerRole.practitioner_id)
    .join(Service, Service.id == PractitionerRole.service_id)
    .join(Organization, Organization.id == Service.organization_id)
    .join(Location, Location.id == Service.location_id)
    .where(Slot.id.in_(bindparam("slot_ids", expanding=True)))
)


def directory_rows(session: Session, slot_ids: list[int]) -> dict[int, Entry]:
    """The slot ends and directory entries of the chosen slots, in one query."""
    if not slot_ids:
        return {}
    rows = session.execute(_DIRECTORY_ROWS, {"slot_ids": slot_ids}).all()
    return {row[0]: (row[1], row[2], row[3], row[4], row[5]) for row in rows}
