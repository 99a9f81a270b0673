"""Helpers of the booking tests (a module of its own: every test directory has a conftest)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from careguide.store.db import Database
from careguide.store.models import Role, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed "now": Monday 2026-11-23 07:00 in Shanghai, before the morning clinics start.
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=SHANGHAI).astimezone(UTC)
TODAY = date(2026, 11, 23)


def make_person(
    database: Database, *, language: str = "en", city: str | None = "beijing", role: Role = Role.PATIENT
) -> User:
    with database.session() as session:
        user = User(
            username=f"p_{secrets.token_hex(6)}",
            password_hash="x",
            role=role,
            language=language,
            city=city,
            full_name="Test Person",
        )
        session.add(user)
        session.flush()
        return user


def later(days: int = 1, hours: int = 0) -> datetime:
    return NOW + timedelta(days=days, hours=hours)


def free_slots(
    database: Database, *, count: int = 1, department: str | None = None, after: datetime | None = None
) -> list[int]:
    """Free slots no other test touched yet (taken from the far end of the calendar, newest first)."""
    from sqlalchemy import select

    from careguide.booking.models import PractitionerRole, Slot, SlotStatus

    with database.session() as session:
        query = (
            select(Slot.id)
            .join(PractitionerRole, PractitionerRole.id == Slot.role_id)
            .where(Slot.status == SlotStatus.FREE, Slot.start > (after or later(1)))
        )
        if department is not None:
            query = query.where(PractitionerRole.department_id == department)
        return list(session.scalars(query.order_by(Slot.start.desc(), Slot.id).limit(count)))


def make_people(database: Database, count: int) -> list[int]:
    """``count`` patients in one transaction (the race needs many)."""
    with database.session() as session:
        users = [
            User(username=f"p_{secrets.token_hex(6)}", password_hash="x", role=Role.PATIENT, language="en")
            for _ in range(count)
        ]
        session.add_all(users)
        session.flush()
        return [user.id for user in users]
