"""EXPLAIN ANALYZE of the hot queries on PostgreSQL at a realistic size.

Creates a scratch database (dropped afterwards), migrates it, seeds the demo accounts and the
whole demo booking directory, adds ``--people`` people with ``--readings`` record rows each,
then runs the real code paths (record timeline, slot matching, doctor queue when the
clinician queue exists) while capturing their SQL, and prints each statement's plan, the
indexes it used and its execution time.

    python bench/explain_hot.py [--people 2000] [--readings 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import uuid
from datetime import date
from typing import Any

import sqlalchemy
from sqlalchemy import event, text

ADMIN_URL = os.environ.get("CAREGUIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--readings", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    name = f"careguide_explain_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(f"{ADMIN_URL}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        results = explain_all(f"{ADMIN_URL}/{name}", args.people, args.readings)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    for row in results:
        print(f"== {row['path']}: {row['execution_ms']} ms, indexes {row['indexes'] or 'none'}"
              f"{' SEQ SCAN ' + ','.join(row['seq_scans']) if row['seq_scans'] else ''}")
        if not args.json:
            print(row["plan"])
    if args.json:
        print(json.dumps([{k: v for k, v in row.items() if k != "plan"} for row in results]))


def explain_all(url: str, people: int, readings: int) -> list[dict[str, Any]]:
    from careguide import demo
    from careguide.booking.demo import seed_directory
    from careguide.store.db import Database
    from careguide.store.models import User

    database = Database(url)
    database.upgrade()
    with database.session() as session:
        demo.seed(session)
        seed_directory(session, date.today(), 7)
        _bulk_people(session, people, readings)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    captured: list[tuple[str, str, Any]] = []
    current = {"path": ""}

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "pg_advisory" not in statement:
            captured.append((current["path"], statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    with database.session() as session:
        admin = session.scalar(sqlalchemy.select(User).where(User.username == "admin"))
        person = session.scalar(sqlalchemy.select(User).where(User.username == "load_person_17"))
        assert admin is not None and person is not None
        current["path"] = "record timeline"
        from careguide.records.timeline import read_timeline

        read_timeline(session, person.id, limit=100)
        current["path"] = "slot matching"
        from careguide.booking.matching import MatchRequest, PersonContext, match

        for department in ("general_practice", "cardiology"):
            match(session, MatchRequest(disposition="routine", department_ids=[department],
                                        person=PersonContext(city="北京", language="zh"), emergency_number="120"))
        doctor = session.scalar(sqlalchemy.select(User).where(User.username == "doctor"))
        try:
            from careguide.clinician.queue import doctor_queue
        except ImportError:
            doctor_queue = None  # type: ignore[assignment]
        if doctor_queue is not None and doctor is not None:
            current["path"] = "doctor queue"
            doctor_queue(session, doctor)
    event.remove(database.engine, "before_cursor_execute", capture)
    results = []
    seen: set[str] = set()
    for path, statement, parameters in captured:
        if statement in seen or not path:
            continue
        seen.add(statement)
        with database.engine.connect() as connection:
            cursor = connection.connection.driver_connection.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            plan = "\n".join(line[0] for line in cursor.fetchall())
        executed = re.search(r"Execution Time: ([\d.]+) ms", plan)
        results.append({
            "path": path, "statement": " ".join(statement.split())[:300],
            "execution_ms": float(executed.group(1)) if executed else None,
            "indexes": sorted(set(re.findall(r"(?:using|Index Scan on) (\w+)", plan, flags=re.IGNORECASE))),
            "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", plan))), "plan": plan,
        })
    database.dispose()
    return results


def _bulk_people(session: Any, people: int, readings: int) -> None:
    """People and their readings in a few set-based INSERTs (the ORM would take minutes here)."""
    session.execute(text("""
        INSERT INTO users (username, password_hash, role, full_name, language, senior_mode, is_active, created_at)
        SELECT 'load_person_' || n, 'x', 'patient', 'Load ' || n, 'zh', false, true, now()
        FROM generate_series(1, :people) AS n"""), {"people": people})
    session.execute(text("""
        INSERT INTO record_resources (person_id, resource_type, resource_id, code_system, code, status,
                                      effective_at, value, unit, source, content_hash, document,
                                      imported_at, updated_at)
        SELECT u.id, CASE WHEN r % 10 = 0 THEN 'Condition' ELSE 'Observation' END, 'r-' || u.id || '-' || r,
               'http://loinc.org', CASE WHEN r % 2 = 0 THEN '2345-7' ELSE '8480-6' END, 'final',
               now() - (r || ' days')::interval, 5 + (r % 30) / 10.0, 'mmol/L', 'fhir', md5(u.id || '-' || r),
               '{}'::json, now(), now()
        FROM users u CROSS JOIN generate_series(1, :readings) AS r
        WHERE u.username LIKE 'load_person_%'"""), {"readings": readings})
    if "clinic_referrals" in sqlalchemy.inspect(session.connection()).get_table_names():
        # A referral queue 25x the people: 12 departments, mostly closed, 1 in 20 still open.
        session.execute(text("""
            INSERT INTO clinic_referrals (person_id, source, department, urgency, urgency_rank, reason, detail,
                                          status, created_at)
            SELECT u.id, 'triage',
                   (ARRAY['general_practice','cardiology','dermatology','pediatrics','neurology','gastroenterology',
                          'endocrinology','orthopedics','ent','ophthalmology','urology','gynecology'])[1 + r % 12],
                   'routine', 3, 'load', '{}'::json, CASE WHEN r % 20 = 0 THEN 'open' ELSE 'closed' END,
                   now() - (r || ' hours')::interval
            FROM users u CROSS JOIN generate_series(1, 25) AS r
            WHERE u.username LIKE 'load_person_%'"""))


if __name__ == "__main__":
    main()
