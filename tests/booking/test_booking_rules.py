from datetime import timedelta

import pytest
from booking_testkit import NOW, free_slots, later, make_person
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from careguide.booking import booking
from careguide.booking.errors import BookingError
from careguide.booking.models import Appointment, AppointmentStatus, Slot, SlotStatus
from careguide.privacy.consent import AccessDenied
from careguide.store.db import Database
from careguide.store.models import Notification, User


def _state(db: Database, person_id: int, slot_id: int) -> tuple[int, int, SlotStatus]:
    with db.session() as s:
        appts = s.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.person_id == person_id)
        )
        notes = s.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == person_id)
        )
        status = s.scalar(select(Slot.status).where(Slot.id == slot_id))
        return int(appts or 0), int(notes or 0), status


def _refusal(db: Database, call) -> BookingError:
    with pytest.raises(BookingError) as caught, db.session() as s:
        call(s)
    return caught.value


def test_booking_a_free_slot_confirms_it_and_sends_confirmation_and_reminder(db: Database, person: User):
    [slot_id] = free_slots(db)
    with db.session() as s:
        view = booking.book(s, person, person.id, slot_id, now=NOW)
    assert view.status is AppointmentStatus.BOOKED
    assert view.place.building.en and view.place.floor
    with db.session() as s:
        kinds = sorted(s.scalars(select(Notification.kind).where(Notification.user_id == person.id)))
        assert s.scalar(select(Slot.status).where(Slot.id == slot_id)) is SlotStatus.BOOKED
        mine = booking.appointments_of(s, person, person.id, now=NOW)
    assert kinds == ["booking.confirmed", "booking.reminder"]
    assert [a.id for a in mine] == [view.id]


def test_booking_a_past_slot_is_refused_with_a_clear_message_and_nothing_written(db: Database, person: User):
    [slot_id] = free_slots(db, after=later(0))
    with db.session() as s:
        start = s.scalar(select(Slot.start).where(Slot.id == slot_id))
    before = _state(db, person.id, slot_id)
    error = _refusal(
        db, lambda s: booking.book(s, person, person.id, slot_id, now=start + timedelta(minutes=5))
    )
    assert error.code == "slot_in_past"
    assert "passed" in error.message("en") and "已经过去" in error.message("zh")
    assert _state(db, person.id, slot_id) == before


def test_booking_a_taken_slot_is_refused_and_the_first_booking_stands(db: Database, person: User):
    [slot_id] = free_slots(db)
    other = make_person(db)
    with db.session() as s:
        first = booking.book(s, other, other.id, slot_id, now=NOW)
    before = _state(db, person.id, slot_id)
    error = _refusal(db, lambda s: booking.book(s, person, person.id, slot_id, now=NOW))
    assert error.code == "slot_taken"
    assert "someone else" in error.message("en") and "已被他人预约" in error.message("zh")
    assert _state(db, person.id, slot_id) == before
    with db.session() as s:
        assert s.get(Appointment, first.id).status is AppointmentStatus.BOOKED


def test_confirming_an_expired_hold_is_refused_and_the_slot_can_then_be_booked_by_someone_else(
    db: Database, person: User
):
    [slot_id] = free_slots(db)
    with db.session() as s:
        held = booking.hold(s, person, person.id, slot_id, now=NOW, hold_minutes=10)
    before = _state(db, person.id, slot_id)
    error = _refusal(db, lambda s: booking.confirm(s, person, held.id, now=NOW + timedelta(minutes=11)))
    assert error.code == "hold_expired"
    assert "ran out" in error.message("en") and "预留时间已过" in error.message("zh")
    assert _state(db, person.id, slot_id) == before
    other = make_person(db)
    with db.session() as s:
        taken = booking.book(s, other, other.id, slot_id, now=NOW + timedelta(minutes=12))
    assert taken.status is AppointmentStatus.BOOKED
    with db.session() as s:
        assert s.get(Appointment, held.id).status is AppointmentStatus.EXPIRED


def test_a_live_hold_blocks_others_until_it_lapses(db: Database, person: User):
    [slot_id] = free_slots(db)
    other = make_person(db)
    with db.session() as s:
        booking.hold(s, person, person.id, slot_id, now=NOW, hold_minutes=10)
    assert (
        _refusal(db, lambda s: booking.hold(s, other, other.id, slot_id, now=NOW + timedelta(minutes=5))).code
        == "slot_taken"
    )


def test_booking_with_an_unknown_doctor_is_refused_with_a_clear_message(db: Database, person: User):
    [slot_id] = free_slots(db)
    before = _state(db, person.id, slot_id)
    error = _refusal(
        db, lambda s: booking.book(s, person, person.id, slot_id, practitioner_id=987654, now=NOW)
    )
    assert error.code == "unknown_practitioner"
    assert "987654" in error.message("en") and "未找到该医生" in error.message("zh")
    assert _state(db, person.id, slot_id) == before


def test_booking_an_unknown_slot_is_refused(db: Database, person: User):
    error = _refusal(db, lambda s: booking.book(s, person, person.id, 99_999_999, now=NOW))
    assert error.code == "slot_not_found"
    assert error.message("zh")


def test_cancelling_frees_the_slot_and_tells_the_person(db: Database, person: User):
    [slot_id] = free_slots(db)
    with db.session() as s:
        view = booking.book(s, person, person.id, slot_id, now=NOW)
    with db.session() as s:
        cancelled = booking.cancel(s, person, view.id, now=NOW + timedelta(minutes=1))
        kinds = list(s.scalars(select(Notification.kind).where(Notification.user_id == person.id)))
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert "booking.cancelled" in kinds
    assert _state(db, person.id, slot_id)[2] is SlotStatus.FREE
    assert _refusal(db, lambda s: booking.cancel(s, person, view.id, now=NOW)).code == "not_cancellable"


def test_rescheduling_books_the_new_slot_and_releases_the_old_in_one_step(db: Database, person: User):
    old_slot, new_slot = free_slots(db, count=2)
    with db.session() as s:
        old = booking.book(s, person, person.id, old_slot, now=NOW)
    with db.session() as s:
        new = booking.reschedule(s, person, old.id, new_slot, now=NOW)
    assert new.replaces_id == old.id and new.status is AppointmentStatus.BOOKED
    with db.session() as s:
        assert s.get(Appointment, old.id).status is AppointmentStatus.RESCHEDULED
        assert s.scalar(select(Slot.status).where(Slot.id == old_slot)) is SlotStatus.FREE
        assert s.scalar(select(Slot.status).where(Slot.id == new_slot)) is SlotStatus.BOOKED


def test_rescheduling_onto_a_taken_slot_keeps_the_original_booking(db: Database, person: User):
    old_slot, taken_slot = free_slots(db, count=2)
    other = make_person(db)
    with db.session() as s:
        old = booking.book(s, person, person.id, old_slot, now=NOW)
        booking.book(s, other, other.id, taken_slot, now=NOW)
    assert (
        _refusal(db, lambda s: booking.reschedule(s, person, old.id, taken_slot, now=NOW)).code
        == "slot_taken"
    )
    with db.session() as s:
        assert s.get(Appointment, old.id).status is AppointmentStatus.BOOKED
        assert s.scalar(select(Slot.status).where(Slot.id == old_slot)) is SlotStatus.BOOKED


def test_someone_else_cannot_book_or_see_a_persons_appointments_without_consent(db: Database, person: User):
    [slot_id] = free_slots(db)
    stranger = make_person(db)
    # the API's pattern: a plain session per request (the refusal commits its own audit event)
    with pytest.raises(AccessDenied), db.sessions() as s:
        booking.book(s, stranger, person.id, slot_id, now=NOW)
    with pytest.raises(AccessDenied), db.sessions() as s:
        booking.appointments_of(s, stranger, person.id, now=NOW)
    assert _state(db, person.id, slot_id)[0] == 0
    with db.session() as s:
        assert s.scalar(select(Slot.status).where(Slot.id == slot_id)) is SlotStatus.FREE


def test_the_database_itself_refuses_a_second_active_appointment_for_one_slot(db: Database, person: User):
    [slot_id] = free_slots(db)
    with db.session() as s:
        role_id = s.scalar(select(Slot.role_id).where(Slot.id == slot_id))
        s.get(Slot, slot_id).status = SlotStatus.BOOKED  # keep the slot consistent for the other tests
        s.add(
            Appointment(
                person_id=person.id, slot_id=slot_id, role_id=role_id, status=AppointmentStatus.BOOKED
            )
        )
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(
            Appointment(person_id=person.id, slot_id=slot_id, role_id=role_id, status=AppointmentStatus.HELD)
        )
    with db.session() as s:  # an inactive (cancelled) one beside it is fine
        s.add(
            Appointment(
                person_id=person.id, slot_id=slot_id, role_id=role_id, status=AppointmentStatus.CANCELLED
            )
        )
