from datetime import timedelta

from booking_testkit import NOW, free_slots, later, make_person
from sqlalchemy import select

from careguide.booking import booking, waitlist
from careguide.booking.models import (
    Appointment,
    AppointmentStatus,
    PractitionerRole,
    Slot,
    SlotStatus,
    WaitlistStatus,
)
from careguide.store.db import Database
from careguide.store.models import Notification


def _department_of(db: Database, slot_id: int) -> str:
    with db.session() as s:
        return s.scalar(
            select(PractitionerRole.department_id)
            .join(Slot, Slot.role_id == PractitionerRole.id)
            .where(Slot.id == slot_id)
        )


def test_a_cancelled_slot_is_held_for_the_first_person_on_the_wait_list_who_can_confirm_it(db: Database):
    [slot_id] = free_slots(db, department="allergy")  # a department no other wait-list test uses
    department = _department_of(db, slot_id)
    booker, first, second = make_person(db), make_person(db, language="zh"), make_person(db)
    with db.session() as s:
        booked = booking.book(s, booker, booker.id, slot_id, now=NOW)
    with db.session() as s:
        entry = waitlist.join_waitlist(
            s, first, first.id, department, earliest=NOW, latest=later(30), language="zh", now=NOW
        )
        waitlist.join_waitlist(
            s, second, second.id, department, earliest=NOW, latest=later(30), now=NOW + timedelta(seconds=1)
        )
    with db.session() as s:
        booking.cancel(s, booker, booked.id, now=NOW + timedelta(minutes=5))
    with db.session() as s:
        offer = s.scalars(
            select(Appointment).where(
                Appointment.slot_id == slot_id, Appointment.status == AppointmentStatus.HELD
            )
        ).one()
        assert offer.person_id == first.id and offer.waitlist_entry_id == entry.id
        note = s.scalars(
            select(Notification).where(
                Notification.user_id == first.id, Notification.kind == "booking.waitlist_offer"
            )
        ).one()
        assert "候补" in note.title
    with db.session() as s:
        confirmed = booking.confirm(s, first, offer.id, now=NOW + timedelta(minutes=30))
    assert confirmed.status is AppointmentStatus.BOOKED
    with db.session() as s:
        assert [e.status for e in waitlist.waitlist_of(s, first, first.id)] == [WaitlistStatus.FULFILLED]
        assert [e.status for e in waitlist.waitlist_of(s, second, second.id)] == [WaitlistStatus.WAITING]


def test_an_unanswered_offer_lapses_and_goes_to_the_next_person(db: Database):
    [slot_id] = free_slots(db, department="pain_medicine")
    department = _department_of(db, slot_id)
    booker, first, second = make_person(db), make_person(db), make_person(db)
    with db.session() as s:
        booked = booking.book(s, booker, booker.id, slot_id, now=NOW)
        waitlist.join_waitlist(s, first, first.id, department, earliest=NOW, latest=later(30), now=NOW)
        waitlist.join_waitlist(
            s, second, second.id, department, earliest=NOW, latest=later(30), now=NOW + timedelta(seconds=1)
        )
    with db.session() as s:
        booking.cancel(s, booker, booked.id, now=NOW)
    with db.session() as s:
        freed = waitlist.release_expired_holds(s, now=NOW + timedelta(minutes=waitlist.OFFER_MINUTES + 1))
    assert freed >= 1
    with db.session() as s:
        holders = s.scalars(
            select(Appointment.person_id).where(
                Appointment.slot_id == slot_id, Appointment.status == AppointmentStatus.HELD
            )
        ).all()
        assert list(holders) == [second.id]
        assert s.scalar(select(Slot.status).where(Slot.id == slot_id)) is SlotStatus.HELD


def test_joining_the_wait_list_for_an_unknown_department_or_doctor_is_refused(db: Database, person):
    import pytest

    from careguide.booking.errors import BookingError

    with pytest.raises(BookingError) as caught, db.session() as s:
        waitlist.join_waitlist(s, person, person.id, "astrology", earliest=NOW, latest=later(3), now=NOW)
    assert caught.value.code == "unknown_department"
    with pytest.raises(BookingError) as caught, db.session() as s:
        waitlist.join_waitlist(
            s, person, person.id, "cardiology", practitioner_id=424242, earliest=NOW, latest=later(3), now=NOW
        )
    assert caught.value.code == "unknown_practitioner"
