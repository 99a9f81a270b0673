"""Lab results already in a person's record, and saving a new report's resources into it."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.privacy.consent import Access, require_access
from careguide.records.base import FileImportResult
from careguide.records.models import RecordResource
from careguide.records.service import import_file
from careguide.store.models import User


@dataclass(frozen=True)
class StoredLabValue:
    loinc: str
    value: float
    unit: str | None
    when: date | None


def earlier_lab_values(
    session: Session, actor: User, person_id: int, loincs: set[str], *, before: date | None = None, limit: int = 500
) -> list[StoredLabValue]:
    """Numeric Observations of these LOINC codes in the person's record, oldest first (consent-checked)."""
    if not loincs:
        return []
    require_access(session, actor, person_id, Access.READ, resource="records/observations/lab-history")
    rows = session.scalars(
        select(RecordResource)
        .where(RecordResource.person_id == person_id, RecordResource.resource_type == "Observation",
               RecordResource.code.in_(sorted(loincs)))
        .order_by(RecordResource.effective_at.desc())
        .limit(limit)
    ).all()
    found: list[StoredLabValue] = []
    for row in reversed(rows):
        when = row.effective_at.date() if row.effective_at else None
        if before is not None and when is not None and when >= before:
            continue
        quantity = (row.document or {}).get("valueQuantity") or {}
        value = quantity.get("value")
        if isinstance(value, int | float) and row.code:
            found.append(StoredLabValue(row.code, float(value), quantity.get("unit"), when))
    return found


def save_resources(session: Session, actor: User, person_id: int, bundle: dict[str, Any], *, name: str,
                   lang: str | None = None) -> FileImportResult:
    """Store a Bundle through the record's one import path (validation, idempotency, audit)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
        return import_file(session, actor, person_id, path, lang=lang)
