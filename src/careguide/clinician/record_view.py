"""The record entries a summary may cite, read under the doctor's consent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.clinician.summary import RecordView
from careguide.records.models import RecordResource
from careguide.records.summary import summarize
from careguide.store.base import utcnow
from careguide.store.models import User

ABNORMAL = {"H", "L", "HH", "LL", "A", "AA", "HU", "LU"}


def record_view(session: Session, actor: User, person_id: int, lang: str, *, lab_days: int = 365,
                max_labs: int = 20) -> RecordView:
    """Problems, medications, allergies, latest vitals and recent abnormal lab results.

    ``summarize`` checks the actor's consent (and audits the read)."""
    summary = summarize(session, actor, person_id, lang=lang)
    view = RecordView(
        problems=[(f"{e.resource_type}/{e.resource_id}", e.display) for e in summary.problems],
        medications=[(f"{e.resource_type}/{e.resource_id}", e.display) for e in summary.medications],
        allergies=[(f"{e.resource_type}/{e.resource_id}", e.display) for e in summary.allergies],
        vitals=[(f"Observation/{v.resource_id}",
                 f"{v.name}: {v.value:g} {v.unit} ({v.at.date().isoformat()})") for v in summary.latest_vitals],
    )
    since = utcnow() - timedelta(days=lab_days)
    rows = session.scalars(
        select(RecordResource)
        .where(RecordResource.person_id == person_id, RecordResource.resource_type == "Observation",
               RecordResource.category == "laboratory", RecordResource.effective_at >= since)
        .order_by(RecordResource.effective_at.desc())
        .limit(500)
    )
    for row in rows:
        flag = _interpretation(row.document or {})
        if flag not in ABNORMAL:
            continue
        quantity = (row.document or {}).get("valueQuantity") or {}
        value = quantity.get("value")
        shown = f"{value:g} {quantity.get('unit') or ''}".strip() if isinstance(value, int | float) else str(
            (row.document or {}).get("valueString", ""))
        when = row.effective_at.date().isoformat() if row.effective_at else ""
        view.abnormal_labs.append((f"Observation/{row.resource_id}",
                                   f"{row.display or row.code}: {shown} [{flag}] ({when})"))
        if len(view.abnormal_labs) >= max_labs:
            break
    return view


def _interpretation(document: dict[str, Any]) -> str | None:
    for concept in document.get("interpretation") or []:
        for coding in (concept or {}).get("coding") or []:
            if coding.get("code"):
                return str(coding["code"])
    return None
