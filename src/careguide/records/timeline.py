"""The record over time: a paged timeline of everything dated, and chart series of one measure.

Both read only indexed columns (``person_id, effective_at`` and ``person_id, code,
effective_at``), so they stay fast for a person with hundreds of thousands of readings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import and_, case, null, or_, select, type_coerce
from sqlalchemy.orm import Session

from careguide.privacy.consent import Access, require_access
from careguide.records.measures import load_measures
from careguide.records.models import RecordResource
from careguide.store.models import User

MAX_PAGE = 500


class TimelineItem(BaseModel):
    resource_type: str
    resource_id: str
    code: str | None = None
    display: str | None = None
    category: str | None = None
    status: str | None = None
    effective_at: datetime
    value: float | None = None
    unit: str | None = None


class TimelinePage(BaseModel):
    items: list[TimelineItem]
    next_cursor: str | None = None  # pass back as ``before`` for the next (older) page


class Point(BaseModel):
    at: datetime
    value: float
    resource_id: str


class Series(BaseModel):
    measure: str
    name: str
    unit: str
    points: list[Point] = Field(default_factory=list)


def timeline(
    session: Session,
    actor: User,
    person_id: int,
    *,
    types: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: str | None = None,
    limit: int = 100,
) -> TimelinePage:
    """Newest first; ``before`` is the cursor of the previous page."""
    require_access(session, actor, person_id, Access.READ, resource="records/timeline")
    return read_timeline(session, person_id, types=types, since=since, until=until, before=before, limit=limit)


def read_timeline(
    session: Session,
    person_id: int,
    *,
    types: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: str | None = None,
    limit: int = 100,
) -> TimelinePage:
    """The query behind ``timeline``, for callers that have already checked access."""
    limit = max(1, min(limit, MAX_PAGE))
    t = RecordResource
    query = select(t.id, t.resource_type, t.resource_id, t.code, t.display, t.category, t.status,
                   t.effective_at, t.value, t.unit).where(t.person_id == person_id, t.effective_at.is_not(None))
    if types:
        query = query.where(t.resource_type.in_(types))
    if since is not None:
        query = query.where(t.effective_at >= since)
    if until is not None:
        query = query.where(t.effective_at < until)
    if before:
        at_text, _, row_id = before.rpartition("|")
        at = datetime.fromisoformat(at_text)
        query = query.where(or_(t.effective_at < at, and_(t.effective_at == at, t.id < int(row_id))))
    rows = session.execute(query.order_by(t.effective_at.desc(), t.id.desc()).limit(limit + 1)).all()
    items = [TimelineItem(resource_type=r.resource_type, resource_id=r.resource_id, code=r.code, display=r.display,
                          category=r.category, status=r.status, effective_at=r.effective_at, value=r.value,
                          unit=r.unit) for r in rows[:limit]]
    cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        cursor = f"{last.effective_at.isoformat()}|{last.id}"
    return TimelinePage(items=items, next_cursor=cursor)


def series(
    session: Session,
    actor: User,
    person_id: int,
    measure_id: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    lang: str | None = None,
) -> Series:
    """The readings of one measure (any of its LOINC codes, and panel components) in its canonical unit."""
    require_access(session, actor, person_id, Access.READ, resource=f"records/series/{measure_id}")
    return read_series(session, person_id, measure_id, since=since, until=until, lang=lang)


def read_series(session: Session, person_id: int, measure_id: str, *, since: datetime | None = None,
                until: datetime | None = None, lang: str | None = None) -> Series:
    index = load_measures()
    measure = index.by_id(measure_id)
    panel_codes = [code for panel in index.panels if measure_id in panel.components for code in panel.loinc]
    t = RecordResource
    # the encrypted document is fetched (and opened) only for panels, whose value is a component
    panel_document = type_coerce(case((t.code.in_(panel_codes), t.document), else_=null()), t.document.type)
    query = select(t.resource_id, t.code, t.effective_at, t.value, panel_document).where(
        t.person_id == person_id, t.code.in_(measure.loinc + panel_codes), t.effective_at.is_not(None))
    if since is not None:
        query = query.where(t.effective_at >= since)
    if until is not None:
        query = query.where(t.effective_at < until)
    points: list[Point] = []
    for rid, code, at, value, document in session.execute(query.order_by(t.effective_at)):
        if code in panel_codes:
            value = component_value(document, measure.loinc)
        if value is not None:
            points.append(Point(at=at, value=round(value, 3), resource_id=rid))
    return Series(measure=measure.id, name=measure.name.get(lang), unit=measure.unit, points=points)


def component_value(document: dict[str, Any], codes: list[str]) -> float | None:
    """A panel component's value in its measure's canonical unit (None when absent or unreadable)."""
    index = load_measures()
    for component in document.get("component") or []:
        for coding in (component.get("code") or {}).get("coding") or []:
            if coding.get("code") in codes:
                quantity = component.get("valueQuantity") or {}
                measure = index.by_loinc(coding.get("code"))
                if measure is None or quantity.get("value") is None:
                    return None
                return measure.to_canonical(float(quantity["value"]), quantity.get("code") or quantity.get("unit"))
    return None
