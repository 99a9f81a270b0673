"""The record at a glance: active problems, current medications, allergies, latest vitals."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from careguide.privacy.consent import Access, require_access
from careguide.records.measures import load_measures
from careguide.records.models import RecordResource
from careguide.records.timeline import read_series
from careguide.store.models import User

ACTIVE_CONDITION = {"active", "recurrence", "relapse"}
ACTIVE_MEDICATION = {"active", "intended", "on-hold"}
ACTIVE_ALLERGY = {"active"}
VITAL_MEASURES = ("systolic_bp", "diastolic_bp", "heart_rate", "resting_heart_rate", "body_weight", "bmi",
                  "glucose", "spo2", "hba1c", "steps", "sleep_duration")


class Entry(BaseModel):
    resource_type: str
    resource_id: str
    display: str
    code: str | None = None
    status: str | None = None
    since: datetime | None = None


class LatestValue(BaseModel):
    measure: str
    name: str
    value: float
    unit: str
    at: datetime
    resource_id: str


class RecordSummary(BaseModel):
    person_id: int
    problems: list[Entry] = Field(default_factory=list)
    medications: list[Entry] = Field(default_factory=list)
    allergies: list[Entry] = Field(default_factory=list)
    latest_vitals: list[LatestValue] = Field(default_factory=list)
    immunizations: int = 0
    resources: int = 0


def summarize(session: Session, actor: User, person_id: int, *, lang: str | None = None) -> RecordSummary:
    require_access(session, actor, person_id, Access.READ, resource="records/summary")
    summary = RecordSummary(person_id=person_id)
    t = RecordResource
    listing = select(t.resource_type, t.resource_id, t.display, t.code, t.status, t.effective_at).where(
        t.person_id == person_id, t.resource_type.in_(
            ["Condition", "MedicationRequest", "MedicationStatement", "AllergyIntolerance"])
    ).order_by(t.effective_at.desc())
    for rtype, rid, display, code, status, at in session.execute(listing):
        entry = Entry(resource_type=rtype, resource_id=rid, display=display or code or rid, code=code, status=status,
                      since=at)
        if rtype == "Condition" and status in ACTIVE_CONDITION:
            summary.problems.append(entry)
        elif rtype.startswith("Medication") and status in ACTIVE_MEDICATION:
            summary.medications.append(entry)
        elif rtype == "AllergyIntolerance" and (status in ACTIVE_ALLERGY or status is None):
            summary.allergies.append(entry)
    counts: dict[str, int] = {rtype: n for rtype, n in session.execute(
        select(t.resource_type, func.count()).where(t.person_id == person_id).group_by(t.resource_type))}
    summary.resources = sum(counts.values())
    summary.immunizations = counts.get("Immunization", 0)
    for measure_id in VITAL_MEASURES:
        latest = _latest(session, person_id, measure_id, lang)
        if latest is not None:
            summary.latest_vitals.append(latest)
    return summary


def _latest(session: Session, person_id: int, measure_id: str, lang: str | None) -> LatestValue | None:
    measure = load_measures().by_id(measure_id)
    t = RecordResource
    newest = session.scalar(select(t.effective_at).where(
        t.person_id == person_id, t.code.in_(measure.loinc + _panel_codes(measure_id)), t.effective_at.is_not(None)
    ).order_by(t.effective_at.desc()).limit(1))
    if newest is None:
        return None
    points = read_series(session, person_id, measure_id, since=newest, lang=lang).points
    if not points:
        return None
    point = points[-1]
    return LatestValue(measure=measure.id, name=measure.name.get(lang), value=point.value, unit=measure.unit,
                       at=point.at, resource_id=point.resource_id)


def _panel_codes(measure_id: str) -> list[str]:
    return [code for panel in load_measures().panels if measure_id in panel.components for code in panel.loinc]
