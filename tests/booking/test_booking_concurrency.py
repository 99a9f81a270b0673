from booking_testkit import NOW, later, make_people
from sqlalchemy import select

from careguide.booking.models import Slot, SlotStatus
from careguide.booking.race import race_for_slots
from careguide.store.db import Database


def _ten_free_slots(db: Database) -> list[int]:
    with db.session() as session:
        return list(
            session.scalars(
                select(Slot.id)
                .where(Slot.status == SlotStatus.FREE, Slot.start > later(2))
                .order_by(Slot.id.desc())
                .limit(10)
            )
        )


def test_200_concurrent_attempts_on_10_slots_give_10_bookings_and_190_clear_refusals(db: Database):
    slots = _ten_free_slots(db)
    people = make_people(db, 200)
    result = race_for_slots(db, slots, people, now=NOW)
    assert result.errors == 0, result.refusal_codes
    assert result.confirmed == 10
    assert result.refused == 190
    assert result.refusal_codes == {"slot_taken": 190}
    assert result.double_booked == 0
    assert result.booked_slots == 10
