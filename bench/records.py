"""Benchmark of the personal health record.

    python bench/records.py --json                 # everything, 1 GB Apple Health export included
    python bench/records.py --json --apple-mb 100  # a smaller memory test

Prints (with --json, as one JSON object on the last line):
- parse-only resources/s: the Synthea bundles read with json and validated with fhir.resources
  (R4B models), the floor any importer built on fhir.resources pays;
- import resources/s into SQLite and into PostgreSQL (when a server answers at
  CAREGUIDE_BENCH_DATABASE_URL or 127.0.0.1:5432) through ``records.service.import_file``,
  each bundle into its own person, one transaction per file; and the ratio to parse-only;
- timeline query p50/p99 for a person with 100,000 Observations (pages of 100 at random points);
- peak RSS of importing a generated Apple Health export.xml of --apple-mb megabytes (a child
  process; ru_maxrss), with its records/s.
Data: ../shared/evals/records/synthea_fhir_r4 (Synthea, Apache-2.0), read in place.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from careguide.records.service import import_file  # noqa: E402
from careguide.store.db import Database  # noqa: E402
from careguide.store.models import Role, User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--evals-dir", type=Path, default=ROOT.parent / "shared" / "evals" / "records")
    parser.add_argument("--timeline-n", type=int, default=100_000)
    parser.add_argument("--apple-mb", type=int, default=1024, help="0 skips the Apple Health memory test")
    parser.add_argument("--apple-only", action="store_true", help="only the Apple Health memory test")
    parser.add_argument("--apple-backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="where the Apple Health import writes (postgresql: a scratch database on the local server)")
    parser.add_argument("--apple-child", nargs=2, metavar=("FILE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.apple_child:
        _apple_child(Path(args.apple_child[0]), args.apple_child[1])
        return
    bundles = sorted((args.evals_dir / "synthea_fhir_r4" / "bundles").glob("*.json"))
    results: dict[str, Any] = {"bundles": len(bundles)}
    if not args.apple_only:
        results["parse_only_resources_per_s"] = _parse_only(bundles)
    with tempfile.TemporaryDirectory(prefix="careguide-bench-") as tmp:
        backends = {"sqlite": f"sqlite:///{tmp}/bench.db"}
        admin = _postgres_admin_url()
        if admin:
            backends["postgresql"] = admin
        for name, url in ({} if args.apple_only else backends).items():
            db, cleanup = _fresh(url, name)
            try:
                rate = _import_rate(db, bundles)
                results[f"import_{name}_resources_per_s"] = rate
                results[f"import_{name}_vs_parse_only"] = round(rate / results["parse_only_resources_per_s"], 3)
                results[f"timeline_{name}"] = _timeline(db, args.timeline_n)
            finally:
                cleanup()
        if args.apple_mb:
            results["apple_health"] = _apple_memory(Path(tmp), args.apple_mb, args.apple_backend)
    if not args.json:
        for key, value in results.items():
            print(f"{key}: {value}")
    print(json.dumps(results))


def _parse_only(bundles: list[Path]) -> float:
    from fhir.resources.R4B import get_fhir_model_class

    count = 0
    started = time.perf_counter()
    for path in bundles:
        for entry in json.loads(path.read_bytes())["entry"]:
            resource_ = entry["resource"]
            get_fhir_model_class(resource_["resourceType"]).model_validate(resource_)
            count += 1
    return round(count / (time.perf_counter() - started), 1)


def _person(db: Database) -> User:
    with db.session() as session:
        user = User(username=f"bench-{uuid.uuid4().hex[:10]}", password_hash="!", role=Role.PATIENT)
        session.add(user)
        session.flush()
        session.expunge(user)
    return user


def _import_rate(db: Database, bundles: list[Path]) -> float:
    people = [_person(db) for _ in bundles]
    count = 0
    started = time.perf_counter()
    for user, path in zip(people, bundles, strict=True):
        with db.sessions() as session:
            result = import_file(session, session.merge(user), user.id, path)
            session.commit()
        assert result.committed, result.errors[:2]
        count += sum(result.imported.values()) + result.duplicates
    return round(count / (time.perf_counter() - started), 1)


def _timeline(db: Database, n: int) -> dict[str, Any]:
    from careguide.records.base import Incoming
    from careguide.records.measures import load_measures
    from careguide.records.observations import ReadingTime, measure_observation
    from careguide.records.timeline import read_timeline, timeline
    from careguide.records.validate import check_resource
    from careguide.records.writer import ResourceWriter

    user = _person(db)
    measures = [load_measures().by_id(m) for m in ("heart_rate", "steps", "body_weight", "glucose", "spo2")]
    start = datetime(2021, 1, 1, tzinfo=UTC)
    step = timedelta(days=3 * 365) / n
    seeded = time.perf_counter()
    with db.session() as session:
        writer = ResourceWriter(session, user.id, batch_size=2000)
        for i in range(n):
            measure = measures[i % len(measures)]
            low, high = measure.plausible
            value = low + (high - low) * ((i * 7919) % 1000) / 1000
            doc = measure_observation(measure, value, ReadingTime(start + step * i), source="bench")
            checked = check_resource(Incoming(doc, f"seed {i}", "bench"))
            assert not isinstance(checked, list)
            writer.add(checked)
        writer.flush()
    seed_seconds = time.perf_counter() - seeded
    rng = random.Random(7)
    timings: list[float] = []
    with db.sessions() as session:
        for _ in range(300):
            until = start + timedelta(days=rng.uniform(0, 3 * 365))
            began = time.perf_counter()
            page = read_timeline(session, user.id, until=until, limit=100)
            timings.append((time.perf_counter() - began) * 1000)
        assert page.items
        audited: list[float] = []
        actor = session.merge(user)
        for _ in range(50):
            began = time.perf_counter()
            timeline(session, actor, user.id, limit=100)
            session.commit()
            audited.append((time.perf_counter() - began) * 1000)
    timings.sort()
    audited.sort()
    return {
        "observations": n,
        "seed_seconds": round(seed_seconds, 1),
        "page_p50_ms": round(statistics.median(timings), 2),
        "page_p99_ms": round(timings[int(len(timings) * 0.99) - 1], 2),
        "with_access_check_and_audit_p99_ms": round(audited[int(len(audited) * 0.99) - 1], 2),
    }


def _apple_memory(tmp: Path, megabytes: int, backend: str = "sqlite") -> dict[str, Any]:
    path = tmp / "export.xml"
    started = time.perf_counter()
    records = _write_apple_export(path, megabytes * 1024 * 1024)
    generated = time.perf_counter() - started
    admin = _postgres_admin_url() if backend == "postgresql" else None
    if backend == "postgresql" and admin is None:
        raise SystemExit("--apple-backend postgresql: no PostgreSQL server answers")
    db, cleanup = _fresh(admin, backend) if admin else _fresh(f"sqlite:///{tmp}/apple.db", "sqlite")
    url = db.engine.url.render_as_string(hide_password=False)
    db.dispose()
    started = time.perf_counter()
    try:
        child = subprocess.run([sys.executable, __file__, "--apple-child", str(path), url], capture_output=True,
                               text=True, check=False)
    finally:
        seconds = time.perf_counter() - started
        cleanup()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    outcome = json.loads(child.stdout.strip().splitlines()[-1]) if child.returncode == 0 else {"error": child.stderr[-500:]}
    return {
        "backend": backend,
        "file_mb": round(path.stat().st_size / 1024 / 1024, 1),
        "records_in_file": records,
        "generate_seconds": round(generated, 1),
        "import_seconds": round(seconds, 1),
        "records_per_s": round(records / seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "result": outcome,
    }


def _apple_child(path: Path, url: str) -> None:
    db = Database(url)
    user = _person(db)
    with db.sessions() as session:
        result = import_file(session, session.merge(user), user.id, path)
        session.commit()
    print(json.dumps({"committed": result.committed, "imported": result.imported, "duplicates": result.duplicates,
                      "skipped": result.skipped, "errors": [e.message for e in result.errors[:3]]}))


_DEVICE = "&lt;&lt;HKDevice: 0x3012772a0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,7, software:10.2&gt;"


def _write_apple_export(path: Path, size: int) -> int:
    rng = random.Random(1)
    moment = datetime(2018, 1, 1, tzinfo=UTC)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
                  ' <ExportDate value="2024-06-01 08:10:05 +0200"/>\n')
        while out.tell() < size:
            moment += timedelta(seconds=rng.randint(20, 400))
            stamp = moment.strftime("%Y-%m-%d %H:%M:%S +0000")
            kind = count % 10
            if kind < 6:
                line = (f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" sourceVersion="10.2" '
                        f'device="{_DEVICE}" unit="count/min" creationDate="{stamp}" startDate="{stamp}" '
                        f'endDate="{stamp}" value="{rng.randint(50, 120)}">\n'
                        f'  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n </Record>\n')
            elif kind < 9:
                line = (f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" sourceVersion="17.2" '
                        f'device="{_DEVICE}" unit="count" creationDate="{stamp}" startDate="{stamp}" '
                        f'endDate="{stamp}" value="{rng.randint(1, 900)}"/>\n')
            else:
                line = (f' <Record type="HKQuantityTypeIdentifierActiveEnergyBurned" sourceName="Watch" '
                        f'sourceVersion="10.2" unit="kcal" creationDate="{stamp}" startDate="{stamp}" '
                        f'endDate="{stamp}" value="{rng.uniform(0.05, 3):.2f}"/>\n')
            out.write(line)
            count += 1
        out.write("</HealthData>\n")
    return count


def _postgres_admin_url() -> str | None:
    url = os.environ.get("CAREGUIDE_BENCH_DATABASE_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    except OSError:
        return None


def _fresh(url: str, name: str):  # type: ignore[no-untyped-def]
    if name == "sqlite":
        db = Database(url)
        db.upgrade()
        return db, db.dispose
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    database = f"careguide_bench_records_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    db = Database(make_url(url).set(database=database).render_as_string(hide_password=False))
    db.upgrade()

    def cleanup() -> None:
        db.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()

    return db, cleanup


if __name__ == "__main__":
    main()
