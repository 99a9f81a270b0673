"""Holds, confirmations, cancellations, rescheduling.

Every operation runs inside the caller's transaction and either completes or raises
:class:`BookingError` (the caller rolls back: nothing is half-written). Who gets a slot is decided
by the database: a conditional ``UPDATE booking_slots ... WHERE status = 'free'`` (or an expired
hold) changes exactly one row for exactly one transaction, and the partial unique index on active
appointments per slot backs it up. No Python locks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careguide.booking.errors import BookingError
from careguide.booking.models import (
    Appointment,
    AppointmentStatus,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    Service,
    Slot,
    SlotStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from careguide.booking.notices import booked_messages, cancelled_message
from careguide.booking.notifications import DEFAULT_CHANNEL, Channel
from careguide.booking.views import AppointmentView, appointment_view
from careguide.privacy.consent import Access, require_access
from careguide.store.base import utcnow
from careguide.store.models import User

HOLD_MINUTES = 10


def hold(
    session: Session,
    actor: User,
    person_id: int,
    slot_id: int,
    *,
    practitioner_id: int | None = None,
    now: datetime | None = None,
    hold_minutes: int = HOLD_MINUTES,
) -> AppointmentView:
    """Reserve ``slot_id`` for the person for ``hold_minutes``; confirm it with :func:`confirm`."""
    now = now or utcnow()
    require_access(
        session, actor, person_id, Access.WRITE, resource=f"booking/slot/{slot_id}", purpose="booking"
    )
    appt = _hold(session, person_id, slot_id, practitioner_id, now, now + timedelta(minutes=hold_minutes))
    return load_view(session, appt.id)


def confirm(
    session: Session,
    actor: User,
    appointment_id: int,
    *,
    now: datetime | None = None,
    channel: Channel = DEFAULT_CHANNEL,
) -> AppointmentView:
    """Turn a hold into a booking; refused when the hold has expired or was cancelled."""
    now = now or utcnow()
    appt = get_appointment(session, appointment_id)
    require_access(
        session,
        actor,
        appt.person_id,
        Access.WRITE,
        resource=f"booking/appointment/{appt.id}",
        purpose="booking",
    )
    if appt.status is AppointmentStatus.BOOKED:
        return load_view(session, appt.id)
    if appt.status is not AppointmentStatus.HELD:
        raise BookingError("hold_expired" if appt.status is AppointmentStatus.EXPIRED else "not_active")
    _confirm(session, appt, now)
    view = load_view(session, appt.id)
    for message in booked_messages(view, _language(session, appt.person_id), now):
        channel.send(session, message)
    return view


def book(
    session: Session,
    actor: User,
    person_id: int,
    slot_id: int,
    *,
    practitioner_id: int | None = None,
    now: datetime | None = None,
    channel: Channel = DEFAULT_CHANNEL,
) -> AppointmentView:
    """Hold and confirm in one transaction: the slot is the person's, or nothing happened."""
    now = now or utcnow()
    require_access(
        session, actor, person_id, Access.WRITE, resource=f"booking/slot/{slot_id}", purpose="booking"
    )
    appt = _hold(session, person_id, slot_id, practitioner_id, now, now + timedelta(minutes=HOLD_MINUTES))
    _confirm(session, appt, now)
    view = load_view(session, appt.id)
    for message in booked_messages(view, _language(session, person_id), now):
        channel.send(session, message)
    return view


def cancel(
    session: Session,
    actor: User,
    appointment_id: int,
    *,
    now: datetime | None = None,
    reason: str = "",
    channel: Channel = DEFAULT_CHANNEL,
) -> AppointmentView:
    """Cancel a hold or a booking before it starts; the freed slot goes to the wait-list first."""
    from careguide.booking.waitlist import offer_freed_slot

    now = now or utcnow()
    appt = get_appointment(session, appointment_id)
    require_access(
        session,
        actor,
        appt.person_id,
        Access.WRITE,
        resource=f"booking/appointment/{appt.id}",
        purpose="booking",
    )
    slot_start = session.scalar(select(Slot.start).where(Slot.id == appt.slot_id))
    if appt.status.value not in ("held", "booked"):
        raise BookingError("not_cancellable")
    if slot_start is not None and slot_start <= now:
        raise BookingError("too_late_to_change")
    _end(session, appt, AppointmentStatus.CANCELLED, now, reason)
    view = load_view(session, appt.id)
    channel.send(session, cancelled_message(view, _language(session, appt.person_id)))
    offer_freed_slot(session, appt.slot_id, now=now, channel=channel)
    return view


def reschedule(
    session: Session,
    actor: User,
    appointment_id: int,
    new_slot_id: int,
    *,
    now: datetime | None = None,
    channel: Channel = DEFAULT_CHANNEL,
) -> AppointmentView:
    """Move a booking to another slot atomically: the new one is booked before the old one is let go."""
    from careguide.booking.waitlist import offer_freed_slot

    now = now or utcnow()
    old = get_appointment(session, appointment_id)
    require_access(
        session,
        actor,
        old.person_id,
        Access.WRITE,
        resource=f"booking/appointment/{old.id}",
        purpose="booking",
    )
    if old.status.value not in ("held", "booked"):
        raise BookingError("not_cancellable")
    old_start = session.scalar(select(Slot.start).where(Slot.id == old.slot_id))
    if old_start is not None and old_start <= now:
        raise BookingError("too_late_to_change")
    if new_slot_id == old.slot_id:
        raise BookingError("same_slot")
    new = _hold(session, old.person_id, new_slot_id, None, now, now + timedelta(minutes=HOLD_MINUTES))
    new.replaces_id = old.id
    _confirm(session, new, now)
    _end(session, old, AppointmentStatus.RESCHEDULED, now, "")
    view = load_view(session, new.id)
    for message in booked_messages(view, _language(session, old.person_id), now):
        channel.send(session, message)
    offer_freed_slot(session, old.slot_id, now=now, channel=channel)
    return view


def appointments_of(
    session: Session, actor: User, person_id: int, *, now: datetime | None = None, include_past: bool = False
) -> list[AppointmentView]:
    """The person's holds and bookings (and, with ``include_past``, everything before), soonest first."""
    now = now or utcnow()
    require_access(session, actor, person_id, Access.READ, resource="booking/appointments", purpose="booking")
    query = (
        select(Appointment.id)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(Appointment.person_id == person_id)
    )
    if not include_past:
        query = query.where(
            Slot.start > now,
            or_(
                Appointment.status == AppointmentStatus.BOOKED,
                and_(Appointment.status == AppointmentStatus.HELD, Appointment.hold_expires_at > now),
            ),
        )
    ids = session.scalars(query.order_by(Slot.start, Appointment.id)).all()
    return [load_view(session, appt_id) for appt_id in ids]


def load_view(session: Session, appointment_id: int) -> AppointmentView:
    row = session.execute(
        select(Appointment, Slot, Practitioner, Service, Organization, Location)
        .join(Slot, Slot.id == Appointment.slot_id)
        .join(PractitionerRole, PractitionerRole.id == Appointment.role_id)
        .join(Practitioner, Practitioner.id == PractitionerRole.practitioner_id)
        .join(Service, Service.id == PractitionerRole.service_id)
        .join(Organization, Organization.id == Service.organization_id)
        .join(Location, Location.id == Service.location_id)
        .where(Appointment.id == appointment_id)
        .execution_options(populate_existing=True)
    ).one()
    return appointment_view(*row)


# --- the database-decided steps -------------------------------------------------------------


def claim_slot(session: Session, slot_id: int, now: datetime, until: datetime) -> int:
    """Mark the slot held until ``until`` if it is free (or its hold has lapsed) and in the future.

    Returns the slot's role id, or raises the reason it cannot be had.
    """
    row = session.execute(
        select(Slot.start, Slot.status, Slot.role_id, PractitionerRole.active)
        .join(PractitionerRole, PractitionerRole.id == Slot.role_id)
        .where(Slot.id == slot_id)
    ).first()
    if row is None:
        raise BookingError("slot_not_found", slot_id=slot_id)
    start, _status, role_id, role_active = row
    if start <= now:
        raise BookingError("slot_in_past")
    if not role_active:
        raise BookingError("slot_unavailable")
    claimed = session.execute(
        update(Slot)
        .where(
            Slot.id == slot_id,
            Slot.start > now,
            or_(Slot.status == SlotStatus.FREE, and_(Slot.status == SlotStatus.HELD, Slot.held_until <= now)),
        )
        .values(status=SlotStatus.HELD, held_until=until)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        current = session.scalar(select(Slot.status).where(Slot.id == slot_id))
        raise BookingError("slot_unavailable" if current is SlotStatus.BLOCKED else "slot_taken")
    # A lapsed hold on this slot is over now; its appointment row must stop counting as active.
    lapsed = session.execute(
        update(Appointment)
        .where(
            Appointment.slot_id == slot_id,
            Appointment.status == AppointmentStatus.HELD,
            Appointment.hold_expires_at <= now,
        )
        .values(status=AppointmentStatus.EXPIRED)
        .execution_options(synchronize_session=False)
    )
    if lapsed.rowcount == 0:  # type: ignore[attr-defined]
        return int(role_id)
    session.execute(
        update(WaitlistEntry)
        .where(
            WaitlistEntry.status == WaitlistStatus.OFFERED,
            WaitlistEntry.offered_appointment_id.in_(
                select(Appointment.id).where(
                    Appointment.slot_id == slot_id, Appointment.status == AppointmentStatus.EXPIRED
                )
            ),
        )
        .values(status=WaitlistStatus.WAITING, offered_appointment_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(role_id)


def _hold(
    session: Session,
    person_id: int,
    slot_id: int,
    practitioner_id: int | None,
    now: datetime,
    until: datetime,
) -> Appointment:
    if practitioner_id is not None:
        owner = session.scalar(
            select(PractitionerRole.practitioner_id)
            .join(Slot, Slot.role_id == PractitionerRole.id)
            .where(Slot.id == slot_id)
        )
        if session.get(Practitioner, practitioner_id) is None:
            raise BookingError("unknown_practitioner", practitioner_id=practitioner_id)
        if owner != practitioner_id:
            raise BookingError("slot_not_found", slot_id=slot_id)
    role_id = claim_slot(session, slot_id, now, until)
    appt = Appointment(
        person_id=person_id,
        slot_id=slot_id,
        role_id=role_id,
        status=AppointmentStatus.HELD,
        hold_expires_at=until,
        created_at=now,
    )
    session.add(appt)
    try:  # no savepoint needed: a refusal ends the caller's transaction anyway
        session.flush()
    except IntegrityError as error:  # the partial unique index: another active appointment holds it
        raise BookingError("slot_taken") from error
    return appt


def _confirm(session: Session, appt: Appointment, now: datetime) -> None:
    done = session.execute(
        update(Appointment)
        .where(
            Appointment.id == appt.id,
            Appointment.status == AppointmentStatus.HELD,
            Appointment.hold_expires_at > now,
        )
        .values(status=AppointmentStatus.BOOKED, confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise BookingError("hold_expired")
    slot_done = session.execute(
        update(Slot)
        .where(Slot.id == appt.slot_id, Slot.status == SlotStatus.HELD)
        .values(status=SlotStatus.BOOKED, held_until=None)
        .execution_options(synchronize_session=False)
    )
    if slot_done.rowcount != 1:  # type: ignore[attr-defined]
        raise BookingError("hold_expired")
    if appt.waitlist_entry_id is not None:
        session.execute(
            update(WaitlistEntry)
            .where(WaitlistEntry.id == appt.waitlist_entry_id)
            .values(status=WaitlistStatus.FULFILLED)
            .execution_options(synchronize_session=False)
        )


def _end(session: Session, appt: Appointment, status: AppointmentStatus, now: datetime, reason: str) -> None:
    done = session.execute(
        update(Appointment)
        .where(
            Appointment.id == appt.id,
            Appointment.status.in_([AppointmentStatus.HELD, AppointmentStatus.BOOKED]),
        )
        .values(status=status, cancelled_at=now, reason=reason[:300])
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise BookingError("not_cancellable")
    session.execute(
        update(Slot)
        .where(Slot.id == appt.slot_id, Slot.status.in_([SlotStatus.HELD, SlotStatus.BOOKED]))
        .values(status=SlotStatus.FREE, held_until=None)
        .execution_options(synchronize_session=False)
    )
    if appt.waitlist_entry_id is not None:
        session.execute(
            update(WaitlistEntry)
            .where(WaitlistEntry.id == appt.waitlist_entry_id, WaitlistEntry.status == WaitlistStatus.OFFERED)
            .values(status=WaitlistStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )


def get_appointment(session: Session, appointment_id: int) -> Appointment:
    appt = session.get(Appointment, appointment_id, populate_existing=True)
    if appt is None:
        raise BookingError("appointment_not_found", appointment_id=appointment_id)
    return appt


def _language(session: Session, person_id: int) -> str:
    return session.scalar(select(User.language).where(User.id == person_id)) or "zh"
