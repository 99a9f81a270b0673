"""Many people trying to book the same few slots at once: the check behind the no-double-booking claim.

Used by the tests and ``bench/booking.py``. Each attempt is its own thread, connection and
transaction, as separate API workers would be.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select

from careguide.booking.booking import book
from careguide.booking.errors import BookingError
from careguide.booking.models import Appointment, AppointmentStatus, Slot, SlotStatus
from careguide.store.db import Database
from careguide.store.models import User


class RaceResult(BaseModel):
    attempts: int
    confirmed: int
    refused: int
    errors: int  # anything other than a clear refusal
    refusal_codes: dict[str, int]
    double_booked: int  # slots with more than one active appointment (must be 0)
    booked_slots: int
    seconds: float


def race_for_slots(
    database: Database, slot_ids: list[int], person_ids: list[int], *, now: datetime
) -> RaceResult:
    """Person ``i`` tries slot ``slot_ids[i % len(slot_ids)]``; all threads start together."""
    barrier = threading.Barrier(len(person_ids))
    outcomes: list[str] = []
    lock = threading.Lock()  # guards only the outcome list of this harness, not the booking

    def attempt(index: int, person_id: int) -> None:
        barrier.wait()
        try:
            with database.session() as session:
                actor = session.get(User, person_id)
                assert actor is not None
                book(session, actor, person_id, slot_ids[index % len(slot_ids)], now=now)
            outcome = "confirmed"
        except BookingError as error:
            outcome = f"refused:{error.code}"
        except Exception as error:  # reported, never hidden: the claim is "clear refusals only"
            outcome = f"error:{type(error).__name__}:{error}"[:200]
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(i, pid)) for i, pid in enumerate(person_ids)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    counts = Counter(outcomes)
    with database.session() as session:
        per_slot = session.execute(
            select(Appointment.slot_id, func.count())
            .where(
                Appointment.slot_id.in_(slot_ids),
                Appointment.status.in_([AppointmentStatus.HELD, AppointmentStatus.BOOKED]),
            )
            .group_by(Appointment.slot_id)
        ).all()
        booked_slots = session.scalar(
            select(func.count())
            .select_from(Slot)
            .where(Slot.id.in_(slot_ids), Slot.status == SlotStatus.BOOKED)
        )
    return RaceResult(
        attempts=len(person_ids),
        confirmed=counts["confirmed"],
        refused=sum(n for k, n in counts.items() if k.startswith("refused:")),
        errors=sum(n for k, n in counts.items() if k.startswith("error:")),
        refusal_codes={k.split(":", 1)[1]: n for k, n in counts.items() if k.startswith("refused:")}
        | {k: n for k, n in counts.items() if k.startswith("error:")},
        double_booked=sum(1 for _slot, n in per_slot if n > 1),
        booked_slots=int(booked_slots or 0),
        seconds=round(seconds, 3),
    )
