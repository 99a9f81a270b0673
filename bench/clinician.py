"""Pre-consultation summaries per second for people with large records (10,000 observations each),
with the foundation's API baseline (GET /healthz on one worker) measured in the same run.

    python bench/clinician.py [--observations 10000] [--people 3] [--rounds 20] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def api_baseline(seconds: float) -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("api_baseline", Path(__file__).with_name("api_baseline.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures: dict[str, float] = module.trivial_baseline(seconds)
    return figures


def fill_record(session, person_id: int, n: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Vitals and labs over five years, one in ten lab results flagged high or low."""
    from careguide.records.models import RecordResource

    kinds = [("8480-6", "Systolic blood pressure", "mm[Hg]", 110, 170, "vital-signs"),
             ("8867-4", "Heart rate", "/min", 55, 110, "vital-signs"),
             ("2345-7", "Glucose", "mmol/L", 4.0, 11.0, "laboratory"),
             ("4548-4", "Hemoglobin A1c", "%", 5.0, 9.5, "laboratory"),
             ("2160-0", "Creatinine", "umol/L", 50, 140, "laboratory")]
    start = datetime.now(UTC) - timedelta(days=5 * 365)
    rows = []
    for i in range(n):
        code, name, unit, low, high, category = kinds[i % len(kinds)]
        value = round(rng.uniform(low, high), 1)
        document = {"resourceType": "Observation", "id": f"bench-{person_id}-{i}", "status": "final",
                    "category": [{"coding": [{"code": category}]}],
                    "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": name}]},
                    "valueQuantity": {"value": value, "unit": unit}}
        if category == "laboratory" and i % 10 == 0:
            document["interpretation"] = [{"coding": [{"code": "H"}]}]
        when = start + timedelta(minutes=i * (5 * 365 * 24 * 60) // n)
        rows.append(RecordResource(person_id=person_id, resource_type="Observation", resource_id=document["id"],
                                   code_system="http://loinc.org", code=code, display=name, category=category,
                                   status="final", effective_at=when, value=value, unit=unit, source="bench",
                                   content_hash=str(i), document=document))
    session.add_all(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of the API baseline")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CAREGUIDE_DATA_DIR"] = tmp
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from careguide import accounts, triage
        from careguide.clinician.record_view import record_view
        from careguide.clinician.summary import build_summary
        from careguide.privacy.consent import grant
        from careguide.store.db import Database
        from careguide.store.models import ConsentPurpose, Role

        db = Database(f"sqlite:///{tmp}/bench.db")
        db.upgrade()
        rng = random.Random(7)
        with db.session() as session:
            doctor = accounts.create_user(session, accounts.NewUser("bench_dr", "password-123", Role.DOCTOR))
            people = []
            for p in range(args.people):
                person = accounts.create_user(session, accounts.NewUser(f"bench_p{p}", "password-123"))
                grant(session, person, doctor, purpose=ConsentPurpose.CARE)
                fill_record(session, person.id, args.observations, rng)
                people.append(person.id)
        step = triage.start(triage.Profile(age_years=60, sex="male", language="en"),
                            "chest tightness on walking for two weeks, no pain at rest, no sweating")
        while step.kind == "question" and step.question is not None:
            options = [o.id for o in step.question.options]
            step = triage.answer(step.evidence, "no" if "no" in options else (options[-1] if options else "2 weeks"))
        latencies = []
        for round_no in range(args.rounds):
            person_id = people[round_no % len(people)]
            began = time.perf_counter()
            with db.session() as session:
                doctor_user = session.get(type(doctor), doctor.id)
                view = record_view(session, doctor_user, person_id, "en")
                build_summary(person_id, step.evidence, step.outcome, view, "en")
            latencies.append(time.perf_counter() - began)
        db.dispose()
    latencies.sort()
    figures = {
        "observations_per_person": args.observations,
        "summaries": args.rounds,
        "summaries_per_second": round(len(latencies) / sum(latencies), 2),
        "summary_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "summary_p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
        "database": "sqlite",
    }
    baseline = api_baseline(args.seconds)
    figures.update(baseline)
    figures["ratio_summaries_to_trivial_rps"] = round(figures["summaries_per_second"] / baseline["trivial_rps"], 4)
    print(f"summaries/s with {args.observations} observations each: {figures['summaries_per_second']} "
          f"(p50 {figures['summary_p50_ms']} ms, p99 {figures['summary_p99_ms']} ms)")
    print(f"API baseline GET /healthz: {baseline['trivial_rps']} req/s; ratio {figures['ratio_summaries_to_trivial_rps']}")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
