"""The wait-list: people waiting for a department (or one doctor) get freed slots first, in order.

A freed slot (cancellation, rescheduling, lapsed hold) is held for the first matching person for
``OFFER_MINUTES``; they confirm it like any hold. If they do not, the slot is freed again and
offered to the next person.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session

from careguide.booking.booking import claim_slot, load_view
from careguide.booking.errors import BookingError
from careguide.booking.models import (
    Appointment,
    AppointmentStatus,
    Organization,
    Practitioner,
    PractitionerRole,
    Slot,
    SlotStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from careguide.booking.notices import offer_message
from careguide.booking.notifications import DEFAULT_CHANNEL, Channel
from careguide.booking.places import department_taxonomy
from careguide.i18n import normalise_language
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.store.base import utcnow
from careguide.store.models import User

OFFER_MINUTES = 120


class WaitlistView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    person_id: int
    department_id: str
    organization_id: int | None
    practitioner_id: int | None
    earliest: datetime
    latest: datetime
    status: WaitlistStatus
    offered_appointment_id: int | None


def join_waitlist(
    session: Session,
    actor: User,
    person_id: int,
    department_id: str,
    *,
    earliest: datetime,
    latest: datetime,
    organization_id: int | None = None,
    practitioner_id: int | None = None,
    language: str = "zh",
    now: datetime | None = None,
) -> WaitlistView:
    """Put the person on the wait-list for a department (optionally one hospital or one doctor)."""
    now = now or utcnow()
    if department_id not in department_taxonomy():
        raise BookingError("unknown_department", department=department_id)
    if practitioner_id is not None and session.get(Practitioner, practitioner_id) is None:
        raise BookingError("unknown_practitioner", practitioner_id=practitioner_id)
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise BookingError("unknown_organization", organization_id=organization_id)
    if latest <= earliest or latest <= now:
        raise BookingError("bad_waitlist_window")
    require_access(session, actor, person_id, Access.WRITE, resource="booking/waitlist", purpose="booking")
    duplicate = session.scalar(
        select(WaitlistEntry.id).where(
            WaitlistEntry.person_id == person_id,
            WaitlistEntry.department_id == department_id,
            WaitlistEntry.practitioner_id.is_(None)
            if practitioner_id is None
            else WaitlistEntry.practitioner_id == practitioner_id,
            WaitlistEntry.status.in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
        )
    )
    if duplicate is not None:
        raise BookingError("already_waiting")
    entry = WaitlistEntry(
        person_id=person_id,
        department_id=department_id,
        organization_id=organization_id,
        practitioner_id=practitioner_id,
        earliest=max(earliest, now),
        latest=latest,
        status=WaitlistStatus.WAITING,
        created_at=now,
        language=normalise_language(language),
    )
    session.add(entry)
    session.flush()
    return WaitlistView.model_validate(entry)


def leave_waitlist(session: Session, actor: User, entry_id: int) -> WaitlistView:
    entry = session.get(WaitlistEntry, entry_id)
    if entry is None:
        raise BookingError("waitlist_not_found")
    require_access(
        session,
        actor,
        entry.person_id,
        Access.WRITE,
        resource=f"booking/waitlist/{entry.id}",
        purpose="booking",
    )
    if entry.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        entry.status = WaitlistStatus.CANCELLED
        session.flush()
    return WaitlistView.model_validate(entry)


def offer_freed_slot(
    session: Session, slot_id: int, *, now: datetime | None = None, channel: Channel = DEFAULT_CHANNEL
) -> int | None:
    """Hold a just-freed slot for the first person waiting for it; returns the new hold's id."""
    now = now or utcnow()
    slot = session.execute(
        select(
            Slot.start,
            Slot.status,
            PractitionerRole.department_id,
            PractitionerRole.organization_id,
            PractitionerRole.practitioner_id,
        )
        .join(PractitionerRole, PractitionerRole.id == Slot.role_id)
        .where(Slot.id == slot_id)
    ).first()
    if slot is None or slot.status is not SlotStatus.FREE or slot.start <= now + timedelta(minutes=30):
        return None
    already_offered = exists().where(
        Appointment.waitlist_entry_id == WaitlistEntry.id, Appointment.slot_id == slot_id
    )
    entry = session.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.status == WaitlistStatus.WAITING,
            WaitlistEntry.department_id == slot.department_id,
            or_(
                WaitlistEntry.organization_id.is_(None), WaitlistEntry.organization_id == slot.organization_id
            ),
            or_(
                WaitlistEntry.practitioner_id.is_(None), WaitlistEntry.practitioner_id == slot.practitioner_id
            ),
            WaitlistEntry.earliest <= slot.start,
            WaitlistEntry.latest >= slot.start,
            ~already_offered,
        )
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        .limit(1)
    ).first()
    if entry is None:
        return None
    until = min(now + timedelta(minutes=OFFER_MINUTES), slot.start)
    try:
        role_id = claim_slot(session, slot_id, now, until)
    except BookingError:
        return None  # someone took it in the meantime; nothing to offer
    appt = Appointment(
        person_id=entry.person_id,
        slot_id=slot_id,
        role_id=role_id,
        status=AppointmentStatus.HELD,
        hold_expires_at=until,
        created_at=now,
        waitlist_entry_id=entry.id,
    )
    session.add(appt)
    session.flush()
    entry.status = WaitlistStatus.OFFERED
    entry.offered_appointment_id = appt.id
    audit.record(
        session,
        action="write",
        outcome=audit.Outcome.ALLOWED,
        actor_id=None,
        subject_id=entry.person_id,
        resource=f"booking/appointment/{appt.id}",
        purpose="waitlist_offer",
    )
    channel.send(session, offer_message(load_view(session, appt.id), entry.language))
    return appt.id


def release_expired_holds(
    session: Session, *, now: datetime | None = None, channel: Channel = DEFAULT_CHANNEL
) -> int:
    """Free every slot whose hold lapsed (expiring its hold) and offer it to the wait-list; returns how many."""
    now = now or utcnow()
    lapsed = session.scalars(
        select(Slot.id).where(Slot.status == SlotStatus.HELD, Slot.held_until <= now).order_by(Slot.start)
    ).all()
    freed = 0
    for slot_id in lapsed:
        done = session.execute(
            update(Slot)
            .where(Slot.id == slot_id, Slot.status == SlotStatus.HELD, Slot.held_until <= now)
            .values(status=SlotStatus.FREE, held_until=None)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            continue
        expired_ids = select(Appointment.id).where(
            Appointment.slot_id == slot_id,
            Appointment.status == AppointmentStatus.HELD,
            Appointment.hold_expires_at <= now,
        )
        session.execute(
            update(WaitlistEntry)
            .where(
                WaitlistEntry.status == WaitlistStatus.OFFERED,
                WaitlistEntry.offered_appointment_id.in_(expired_ids),
            )
            .values(status=WaitlistStatus.WAITING, offered_appointment_id=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Appointment)
            .where(and_(Appointment.slot_id == slot_id, Appointment.status == AppointmentStatus.HELD))
            .values(status=AppointmentStatus.EXPIRED)
            .execution_options(synchronize_session=False)
        )
        freed += 1
        offer_freed_slot(session, slot_id, now=now, channel=channel)
    return freed


def waitlist_of(session: Session, actor: User, person_id: int) -> list[WaitlistView]:
    require_access(session, actor, person_id, Access.READ, resource="booking/waitlist", purpose="booking")
    entries = session.scalars(
        select(WaitlistEntry).where(WaitlistEntry.person_id == person_id).order_by(WaitlistEntry.created_at)
    ).all()
    return [WaitlistView.model_validate(e) for e in entries]
