"""Booking benchmark: no double booking under a race, matching latency, booking throughput.

1. The race: 200 threads (own connection and transaction each) try to book 10 slots at the same
   moment, on SQLite and on PostgreSQL; every attempt must end as a booking or a clear refusal,
   and no slot may hold two active appointments.
2. Matching: the demo directory scaled to >= 2,000 doctors with 30 days of slots; triage outcomes
   drawn at random (urgent/routine, 1-3 departments, a city, a language); p50/p99 latency.
3. Throughput: confirmed bookings/s with 16 threads booking different free slots (PostgreSQL, and
   SQLite for comparison).

    python bench/booking.py [--json] [--postgres-url URL | --no-postgres] [--queries 500]

With --json the last line is one JSON object with at least: attempts, confirmed, refused,
double_booked, match_p99_ms, database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

os.environ.setdefault("CAREGUIDE_DATA_DIR", tempfile.mkdtemp(prefix="careguide-bench-booking-"))

from careguide.booking.booking import book  # noqa: E402
from careguide.booking.demo import seed_directory  # noqa: E402
from careguide.booking.errors import BookingError  # noqa: E402
from careguide.booking.matching import MatchRequest, PersonContext, match  # noqa: E402
from careguide.booking.models import Practitioner, Slot, SlotStatus  # noqa: E402
from careguide.booking.places import cities, department_taxonomy  # noqa: E402
from careguide.booking.race import race_for_slots  # noqa: E402
from careguide.store.db import Database  # noqa: E402
from careguide.store.models import Role, User  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "CAREGUIDE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--queries", type=int, default=500, help="matching requests to time")
    parser.add_argument("--doctors-per-service", type=int, default=3, help="3 gives 2,205 doctors")
    parser.add_argument("--bookings", type=int, default=2000, help="bookings for the throughput figure")
    args = parser.parse_args()

    # Start "now" just before today's morning clinics, so all 30 days of slots are ahead.
    today = datetime.now(TZ).date()
    now = datetime.combine(today, datetime.min.time(), tzinfo=TZ).replace(hour=7).astimezone(UTC)
    results: dict[str, dict[str, Any]] = {}
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = run_one(Database(f"sqlite:///{tmp}/bench.db"), today, now, args)
    if not args.no_postgres:
        admin = _reachable(args.postgres_url)
        if admin:
            name = f"careguide_bench_booking_{secrets.token_hex(4)}"
            engine = create_engine(admin, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(admin).set(database=name).render_as_string(hide_password=False)
                results["postgresql"] = run_one(Database(url), today, now, args)
            finally:
                with engine.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                engine.dispose()
        else:
            _say(args, "PostgreSQL not reachable: SQLite only")

    races = [r["race"] for r in results.values()]
    summary: dict[str, Any] = {
        "database": "+".join(results),
        "attempts": sum(r["attempts"] for r in races),
        "confirmed": sum(r["confirmed"] for r in races),
        "refused": sum(r["refused"] for r in races),
        "errors": sum(r["errors"] for r in races),
        "double_booked": sum(r["double_booked"] for r in races),
        "match_p99_ms": max(r["match"]["p99_ms"] for r in results.values()),
        "match_p50_ms": max(r["match"]["p50_ms"] for r in results.values()),
        "doctors": max(r["doctors"] for r in results.values()),
        "slots": max(r["slots"] for r in results.values()),
        "per_database": results,
    }
    if "postgresql" in results:
        summary["bookings_per_s_postgresql"] = results["postgresql"]["throughput"]["bookings_per_s"]
    if "sqlite" in results:
        summary["bookings_per_s_sqlite"] = results["sqlite"]["throughput"]["bookings_per_s"]
    summary["throughput_errors"] = sum(r["throughput"]["errors"] for r in results.values())
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for db_name, r in results.items():
            race = r["race"]
            print(
                f"{db_name}: race {race['attempts']} attempts on 10 slots -> {race['confirmed']} booked, "
                f"{race['refused']} refused, {race['errors']} errors, {race['double_booked']} double-booked; "
                f"matching p50 {r['match']['p50_ms']} ms p99 {r['match']['p99_ms']} ms over {r['doctors']} doctors / "
                f"{r['slots']} slots; {r['throughput']['bookings_per_s']} confirmed bookings/s"
            )


def run_one(database: Database, today: date, now: datetime, args: argparse.Namespace) -> dict[str, Any]:
    name = database.engine.dialect.name
    database.upgrade()
    started = time.perf_counter()
    with database.session() as session:
        seed_directory(session, today, seed=2026, doctors_per_service=args.doctors_per_service, days=30)
    _say(args, f"{name}: seeded in {time.perf_counter() - started:.1f} s")
    with database.session() as session:
        doctors = int(session.scalar(select(func.count()).select_from(Practitioner)) or 0)
        slots = int(session.scalar(select(func.count()).select_from(Slot)) or 0)
    people = _people(database, 200 + 16)
    race_slots = _free_slots(database, now, 10, newest=True)
    race = race_for_slots(database, race_slots, people[:200], now=now)
    _say(args, f"{name}: race {race.model_dump()}")
    latency = _match_latency(database, now, args.queries)
    _say(args, f"{name}: matching {latency}")
    throughput = _throughput(database, now, people[200:], args.bookings)
    _say(args, f"{name}: throughput {throughput}")
    database.dispose()
    return {
        "race": race.model_dump(),
        "match": latency,
        "throughput": throughput,
        "doctors": doctors,
        "slots": slots,
    }


def _match_latency(database: Database, now: datetime, queries: int) -> dict[str, float]:
    rng = random.Random(99)
    departments = [d for d in department_taxonomy() if d != "emergency"]
    city_names = [c.name.zh if rng.random() < 0.5 else c.name.en for c in cities().values()]
    timings: list[float] = []
    with database.session() as session:
        for i in range(queries + 20):
            request = MatchRequest(
                disposition=rng.choice(["routine", "routine", "urgent", "self_care"]),
                department_ids=rng.sample(departments, rng.randint(1, 3)),
                person=PersonContext(city=rng.choice(city_names), language=rng.choice(["zh", "en"])),
                prefer_senior=rng.random() < 0.3,
                emergency_number="120",
            )
            started = time.perf_counter()
            result = match(session, request, now=now)
            elapsed = (time.perf_counter() - started) * 1000
            if i >= 20:  # the first requests warm caches (YAML, statement cache)
                timings.append(elapsed)
            assert result.proposals or result.disposition == "urgent"
    timings.sort()
    return {
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


def _throughput(database: Database, now: datetime, people: list[int], bookings: int) -> dict[str, Any]:
    slot_ids = _free_slots(database, now, bookings, newest=False)
    queue = list(reversed(slot_ids))
    lock = threading.Lock()  # hands out work items only; who gets a slot is decided by the database
    confirmed = refused = 0
    errors: list[str] = []

    def worker(person_id: int) -> None:
        nonlocal confirmed, refused
        while True:
            with lock:
                if not queue:
                    return
                slot_id = queue.pop()
            try:
                with database.session() as session:
                    actor = session.get(User, person_id)
                    assert actor is not None
                    book(session, actor, person_id, slot_id, now=now)
                with lock:
                    confirmed += 1
            except BookingError:
                with lock:
                    refused += 1
            except Exception as error:  # counted and reported, never hidden (e.g. SQLite busy timeout)
                with lock:
                    errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")

    threads = [threading.Thread(target=worker, args=(pid,)) for pid in people]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "threads": len(people),
        "confirmed": confirmed,
        "refused": refused,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:3],
        "seconds": round(seconds, 2),
        "bookings_per_s": round(confirmed / seconds, 1),
    }


def _people(database: Database, count: int) -> list[int]:
    with database.session() as session:
        users = [
            User(
                username=f"bench_{secrets.token_hex(6)}", password_hash="x", role=Role.PATIENT, language="zh"
            )
            for _ in range(count)
        ]
        session.add_all(users)
        session.flush()
        return [u.id for u in users]


def _free_slots(database: Database, now: datetime, count: int, *, newest: bool) -> list[int]:
    with database.session() as session:
        order = Slot.start.desc() if newest else Slot.start
        return list(
            session.scalars(
                select(Slot.id)
                .where(Slot.status == SlotStatus.FREE, Slot.start > now + timedelta(days=1))
                .order_by(order, Slot.id)
                .limit(count)
            )
        )


def _reachable(url: str) -> str | None:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return url
    except Exception:
        return None


def _say(args: argparse.Namespace, message: str) -> None:
    print(message, file=sys.stderr)


if __name__ == "__main__":
    main()
