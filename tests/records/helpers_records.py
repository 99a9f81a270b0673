"""Small FHIR documents and files written by the tests themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from careguide.records.base import FileImportResult, ImportOptions
from careguide.records.service import import_file
from careguide.store.db import Database
from careguide.store.models import User


def observation(oid: str, loinc: str, value: float, unit: str, when: str = "2024-03-01T08:00:00+08:00",
                **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": oid, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": "urn:uuid:patient-1"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
        **extra,
    }


def bp(oid: str, systolic: float, diastolic: float, when: str) -> dict[str, Any]:
    def part(code: str, value: float) -> dict[str, Any]:
        return {"code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "valueQuantity": {"value": value, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org",
                                  "code": "mm[Hg]"}}
    return {"resourceType": "Observation", "id": oid, "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
            "effectiveDateTime": when, "component": [part("8480-6", systolic), part("8462-4", diastolic)]}


def transaction(*resources: dict[str, Any]) -> dict[str, Any]:
    patient = {"resourceType": "Patient", "id": "patient-1", "gender": "female", "birthDate": "1960-05-01"}
    entries = [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r,
                "request": {"method": "POST", "url": r["resourceType"]}} for r in (patient, *resources)]
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def run_import(db: Database, user: User, path: Path, options: ImportOptions | None = None,
               lang: str = "en", actor: User | None = None) -> FileImportResult:
    # A plain session (not db.session()): a refused access commits its audit event and raises.
    with db.sessions() as session:
        acting = session.merge(actor or user)
        result = import_file(session, acting, user.id, path, options=options, lang=lang)
        session.commit()
        return result
