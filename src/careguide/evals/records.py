"""Records evaluation: the Synthea FHIR import check, wearable imports, export round trip.

Every Synthea bundle is imported into its own person; the stored resources, type by
type, must equal ``bundles_index.json`` (less the Organizations/Practitioners the
importer reports as duplicates); importing them all again must add nothing; exporting
each record and importing the export into a fresh person must give back an equal
record. Then the Apple Health sample and the Fitbit exports are imported.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from careguide.records.base import ImportOptions
from careguide.records.export import export_bundle
from careguide.records.models import RecordResource
from careguide.records.service import import_file
from careguide.store.db import Database
from careguide.store.models import Role, User


def run_records_eval(evals_dir: Path, database_url: str | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="careguide-records-eval-") as tmp:
        database = Database(database_url or f"sqlite:///{tmp}/eval.db")
        database.upgrade()
        try:
            metrics = _synthea(database, evals_dir / "synthea_fhir_r4")
            metrics.update(_wearables(database, evals_dir))
        finally:
            database.dispose()
    metrics["passed"] = bool(
        metrics["synthea_types_matching"] == metrics["synthea_bundles"]
        and metrics["synthea_reimport_added"] == 0
        and metrics["synthea_round_trip_equal"] == metrics["synthea_bundles"]
        and not metrics["errors"]
    )
    return metrics


def _person(database: Database, name: str) -> User:
    with database.session() as session:
        user = User(username=name, password_hash="!", role=Role.PATIENT)
        session.add(user)
        session.flush()
        session.expunge(user)
    return user


def _import(database: Database, user: User, path: Path, options: ImportOptions | None = None):  # type: ignore[no-untyped-def]
    with database.session() as session:
        return import_file(session, session.merge(user), user.id, path, options=options)


def _stored_types(database: Database, person_id: int) -> Counter[str]:
    with database.session() as session:
        rows = session.execute(select(RecordResource.resource_type, func.count())
                               .where(RecordResource.person_id == person_id)
                               .group_by(RecordResource.resource_type)).all()
    return Counter({rtype: n for rtype, n in rows})


def _synthea(database: Database, folder: Path) -> dict[str, Any]:
    index = json.loads((folder / "bundles_index.json").read_text(encoding="utf-8"))
    errors: list[str] = []
    matching = round_trips = added_again = resources = duplicates = 0
    started = time.perf_counter()
    people: list[tuple[User, dict[str, Any]]] = []
    for number, item in enumerate(index):
        user = _person(database, f"synthea-{number}")
        result = _import(database, user, folder / "bundles" / item["file"])
        errors += [issue.message for issue in result.errors]
        duplicates += result.duplicates
        resources += sum(result.imported.values())
        expected = Counter(item["resource_counts"])
        if _stored_types(database, user.id) + Counter() == expected and result.duplicates == 0:
            matching += 1
        else:
            errors.append(f"{item['file']}: stored {dict(_stored_types(database, user.id))} != {dict(expected)}")
        people.append((user, item))
    import_seconds = time.perf_counter() - started
    for user, item in people:
        again = _import(database, user, folder / "bundles" / item["file"])
        added_again += sum(again.imported.values()) + sum(again.updated.values())
    for user, item in people:
        with database.session() as session:
            bundle = export_bundle(session, session.merge(user), user.id)
        copy = _person(database, f"copy-of-{user.username}")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
            json.dump(bundle, handle)
        result = _import(database, copy, Path(handle.name))
        Path(handle.name).unlink()
        with database.session() as session:
            copied = export_bundle(session, session.merge(copy), copy.id)
        if result.committed and copied["entry"] == bundle["entry"]:
            round_trips += 1
        else:
            errors.append(f"{item['file']}: export round trip differs")
    return {
        "synthea_bundles": len(index),
        "synthea_resources_in_index": sum(sum(i["resource_counts"].values()) for i in index),
        "synthea_resources_stored": resources,
        "synthea_duplicates_first_import": duplicates,
        "synthea_types_matching": matching,
        "synthea_reimport_added": added_again,
        "synthea_round_trip_equal": round_trips,
        "synthea_import_resources_per_s": round(resources / import_seconds, 1) if import_seconds else None,
        "errors": errors[:20],
    }


def _wearables(database: Database, evals_dir: Path) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    apple = evals_dir / "apple_health_export_sample" / "export.xml"
    user = _person(database, "apple-health")
    result = _import(database, user, apple)
    metrics["apple_health_observations"] = result.imported.get("Observation", 0)
    metrics["apple_health_skipped"] = result.skipped
    metrics["apple_health_errors"] = [i.message for i in result.errors]
    fitbit = evals_dir / "fitbit_fitabase_2016"
    counts: dict[str, int] = {}
    problems: list[str] = []
    for path in sorted(fitbit.glob("*.csv")):
        fitbit_user = _person(database, f"fitbit-{path.stem}")
        result = _import(database, fitbit_user, path, ImportOptions(device_subject="1503960366"))
        counts[path.name] = result.imported.get("Observation", 0)
        problems += [i.message for i in result.errors]
    metrics["fitbit_observations_user_1503960366"] = counts
    metrics["fitbit_errors"] = problems[:10]
    return metrics
