"""Insights from a person's readings, each naming its rule's source, citing the readings it
rests on and saying what to do next. The thresholds are data (``reading_rules.yaml``);
the words are in ``locales/records.yaml``. Nothing here diagnoses: a category or a
pattern is described, and the next step says when and whom to see.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import mean
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.config import get_settings
from careguide.i18n import t
from careguide.privacy.consent import Access, require_access
from careguide.records.measures import load_measures
from careguide.records.models import RecordResource
from careguide.records.observations import MEAL_CONTEXT_URL
from careguide.records.rules import BpGuideline, ReadingRules, load_rules
from careguide.records.timeline import Point, read_series
from careguide.store.base import utcnow
from careguide.store.models import User

Severity = Literal["info", "attention", "urgent"]


class CitedReading(BaseModel):
    resource_id: str
    at: datetime
    value: float
    unit: str
    value2: float | None = None  # diastolic beside systolic


class Insight(BaseModel):
    kind: str
    severity: Severity
    title: str
    detail: str
    next_step: str
    source: str
    readings: list[CitedReading] = Field(default_factory=list)


def insights(
    session: Session,
    actor: User,
    person_id: int,
    *,
    lang: str | None = None,
    guideline: str | None = None,
    now: datetime | None = None,
) -> list[Insight]:
    """Every insight the record supports right now, most urgent first.

    ``guideline`` picks the blood-pressure guideline (``cn_2018`` or ``acc_aha_2017``);
    by default the Chinese one in region CN and ACC/AHA elsewhere.
    """
    require_access(session, actor, person_id, Access.READ, resource="records/insights")
    return compute_insights(session, person_id, lang=lang, guideline=guideline, now=now)


def compute_insights(session: Session, person_id: int, *, lang: str | None = None, guideline: str | None = None,
                     now: datetime | None = None) -> list[Insight]:
    rules = load_rules()
    now = now or utcnow()
    chosen = rules.guideline(guideline or ("cn_2018" if get_settings().region.upper() == "CN" else "acc_aha_2017"))
    found: list[Insight] = []
    found += _blood_pressure(session, person_id, rules, chosen, now, lang)
    found += _glucose(session, person_id, rules, now, lang)
    found += _resting_heart_rate(session, person_id, rules, now, lang)
    found += _sleep(session, person_id, rules, now, lang)
    found += _weight(session, person_id, rules, now, lang)
    order = {"urgent": 0, "attention": 1, "info": 2}
    return sorted(found, key=lambda insight: order[insight.severity])


def _msg(key: str, lang: str | None, **params: object) -> str:
    return t(f"records.{key}", lang, **params)


def _bp_readings(session: Session, person_id: int, since: datetime) -> list[CitedReading]:
    systolic = {p.resource_id: p for p in read_series(session, person_id, "systolic_bp", since=since).points}
    diastolic = {p.resource_id: p for p in read_series(session, person_id, "diastolic_bp", since=since).points}
    return sorted(
        (CitedReading(resource_id=rid, at=point.at, value=point.value, unit="mm[Hg]", value2=diastolic[rid].value)
         for rid, point in systolic.items() if rid in diastolic),
        key=lambda reading: reading.at,
    )


def _blood_pressure(session: Session, person_id: int, rules: ReadingRules, guideline: BpGuideline, now: datetime,
                    lang: str | None) -> list[Insight]:
    since = now - timedelta(days=max(rules.bp_recent_days, rules.bp_sustained.window_days))
    readings = [r for r in _bp_readings(session, person_id, since) if r.at <= now]
    if not readings:
        return []
    out: list[Insight] = []
    name = guideline.name.get(lang)
    severe = [r for r in readings if r.value >= rules.bp_severe.systolic or (r.value2 or 0) >= rules.bp_severe.diastolic]
    if severe:
        last = severe[-1]
        out.append(Insight(
            kind="bp_severe", severity="urgent", title=_msg("bp_severe_title", lang),
            detail=_msg("bp_severe_detail", lang, systolic=_fmt(last.value), diastolic=_fmt(last.value2),
                        at=_day(last.at), count=len(severe)),
            next_step=_msg("bp_severe_next", lang, emergency=get_settings().emergency_number),
            source=name, readings=severe[-5:]))
    recent = [r for r in readings if r.at >= now - timedelta(days=rules.bp_recent_days)]
    if recent:
        avg_sys, avg_dia = mean(r.value for r in recent), mean(r.value2 or 0 for r in recent)
        category = guideline.classify(avg_sys, avg_dia)
        label = _msg(f"bp_cat_{guideline.id}_{category.id}", lang)
        next_key = ("bp_next_hypertensive" if category.hypertensive
                    else "bp_next_normal" if category.id == "normal" else "bp_next_raised")
        out.append(Insight(
            kind="bp_category", severity="attention" if category.hypertensive else "info",
            title=_msg("bp_category_title", lang, category=label),
            detail=_msg("bp_category_detail", lang, count=len(recent), days=rules.bp_recent_days,
                        systolic=_fmt(avg_sys), diastolic=_fmt(avg_dia), guideline=name, category=label),
            next_step=_msg(next_key, lang), source=name, readings=recent[-10:]))
    window = [r for r in readings if r.at >= now - timedelta(days=rules.bp_sustained.window_days)]
    high = [r for r in window
            if r.value >= guideline.home_high.systolic or (r.value2 or 0) >= guideline.home_high.diastolic]
    if len(high) >= rules.bp_sustained.min_high_readings:
        out.append(Insight(
            kind="bp_sustained_high", severity="attention", title=_msg("bp_sustained_title", lang),
            detail=_msg("bp_sustained_detail", lang, high=len(high), total=len(window),
                        days=rules.bp_sustained.window_days, systolic=_fmt(guideline.home_high.systolic),
                        diastolic=_fmt(guideline.home_high.diastolic), guideline=name),
            next_step=_msg("bp_next_hypertensive", lang), source=name, readings=high[-10:]))
    return out


def _glucose(session: Session, person_id: int, rules: ReadingRules, now: datetime, lang: str | None) -> list[Insight]:
    g = rules.glucose
    since = now - timedelta(days=g.window_days)
    measure = load_measures().by_id("glucose")
    t_ = RecordResource
    rows = session.execute(select(t_.resource_id, t_.code, t_.effective_at, t_.value, t_.document).where(
        t_.person_id == person_id, t_.code.in_(measure.loinc + g.fasting_codes), t_.effective_at >= since,
        t_.effective_at <= now, t_.value.is_not(None)).order_by(t_.effective_at)).all()
    groups: dict[str, list[CitedReading]] = defaultdict(list)
    for rid, code, at, value, document in rows:
        if code in g.fasting_codes and code not in measure.loinc:
            value = measure.to_canonical(float(document["valueQuantity"]["value"]),
                                         document["valueQuantity"].get("code") or document["valueQuantity"].get("unit"))
            if value is None:
                continue
        reading = CitedReading(resource_id=rid, at=at, value=round(value, 2), unit="mmol/L")
        context = "fasting" if code in g.fasting_codes else _meal_context(document)
        if value < g.low:
            groups["glucose_low"].append(reading)
        elif context == "fasting" and value >= g.fasting_high:
            groups["glucose_fasting_high"].append(reading)
        elif context == "fasting" and value >= g.fasting_impaired:
            groups["glucose_fasting_impaired"].append(reading)
        elif context == "after-meal" and value >= g.after_meal_high:
            groups["glucose_after_meal_high"].append(reading)
    severity: dict[str, Severity] = {"glucose_low": "urgent", "glucose_fasting_high": "attention",
                                     "glucose_after_meal_high": "attention", "glucose_fasting_impaired": "info"}
    limits = {"glucose_low": g.low, "glucose_fasting_high": g.fasting_high,
              "glucose_after_meal_high": g.after_meal_high, "glucose_fasting_impaired": g.fasting_impaired}
    return [
        Insight(kind=kind, severity=severity[kind], title=_msg(f"{kind}_title", lang),
                detail=_msg(f"{kind}_detail", lang, count=len(found), days=g.window_days, limit=_fmt(limits[kind]),
                            highest=_fmt(max(r.value for r in found)), lowest=_fmt(min(r.value for r in found))),
                next_step=_msg(f"{kind}_next", lang, emergency=get_settings().emergency_number),
                source=g.source, readings=found[-10:])
        for kind, found in groups.items()
    ]


def _meal_context(document: dict[str, Any]) -> str | None:
    for extension in document.get("extension") or []:
        if extension.get("url") == MEAL_CONTEXT_URL:
            return str(extension.get("valueCode"))
    return None


def _daily(points: list[Point]) -> dict[str, list[Point]]:
    days: dict[str, list[Point]] = defaultdict(list)
    for point in points:
        days[point.at.date().isoformat()].append(point)
    return days


def _resting_heart_rate(session: Session, person_id: int, rules: ReadingRules, now: datetime,
                        lang: str | None) -> list[Insight]:
    r = rules.resting_heart_rate
    recent_start = now - timedelta(days=r.recent_days)
    points = [p for p in read_series(session, person_id, "resting_heart_rate",
                                     since=recent_start - timedelta(days=r.baseline_days)).points if p.at <= now]
    recent = [p for p in points if p.at >= recent_start]
    baseline = [p for p in points if p.at < recent_start]
    if len(recent) < r.min_recent or len(baseline) < r.min_baseline:
        return []
    before, lately = mean(p.value for p in baseline), mean(p.value for p in recent)
    if lately - before < r.rise:
        return []
    return [Insight(kind="resting_hr_rising", severity="attention", title=_msg("resting_hr_title", lang),
                    detail=_msg("resting_hr_detail", lang, recent=_fmt(lately), baseline=_fmt(before),
                                days=r.recent_days, baseline_days=r.baseline_days),
                    next_step=_msg("resting_hr_next", lang), source=r.source,
                    readings=[_cite(p, "/min") for p in recent])]


def _sleep(session: Session, person_id: int, rules: ReadingRules, now: datetime, lang: str | None) -> list[Insight]:
    s = rules.sleep
    since = now - timedelta(days=s.nights + 1)
    totals: dict[str, float] = defaultdict(float)
    stages: dict[str, float] = defaultdict(float)
    cited: list[CitedReading] = []
    for measure_id in ("sleep_duration", "sleep_light", "sleep_deep", "sleep_rem"):
        for night, points in _daily(read_series(session, person_id, measure_id, since=since).points).items():
            target = totals if measure_id == "sleep_duration" else stages
            target[night] += sum(p.value for p in points if p.at <= now)
            cited += [_cite(p, "min") for p in points]
    nights = {night: max(totals.get(night, 0.0), stages.get(night, 0.0)) for night in set(totals) | set(stages)}
    if len(nights) < s.min_nights:
        return []
    average = mean(nights.values())
    if average >= s.short_minutes:
        return []
    return [Insight(kind="short_sleep", severity="info", title=_msg("short_sleep_title", lang),
                    detail=_msg("short_sleep_detail", lang, hours=_fmt(average / 60), nights=len(nights),
                                target=_fmt(s.short_minutes / 60)),
                    next_step=_msg("short_sleep_next", lang), source=s.source,
                    readings=sorted(cited, key=lambda c: c.at)[-14:])]


def _weight(session: Session, person_id: int, rules: ReadingRules, now: datetime, lang: str | None) -> list[Insight]:
    w = rules.weight
    points = [p for p in read_series(session, person_id, "body_weight", since=now - timedelta(days=w.window_days)).points
              if p.at <= now]
    if len(points) < 2:
        return []
    latest = points[-1]
    short = [p for p in points if p.at >= latest.at - timedelta(days=w.short_window_days)]
    if latest.value - short[0].value >= w.short_kg:
        return [Insight(kind="weight_gain_fast", severity="attention", title=_msg("weight_gain_fast_title", lang),
                        detail=_msg("weight_gain_fast_detail", lang, kg=_fmt(latest.value - short[0].value),
                                    days=w.short_window_days),
                        next_step=_msg("weight_gain_fast_next", lang), source=w.source,
                        readings=[_cite(short[0], "kg"), _cite(latest, "kg")])]
    first = points[0]
    change = (latest.value - first.value) / first.value * 100
    if abs(change) < w.percent:
        return []
    kind = "weight_loss" if change < 0 else "weight_gain"
    return [Insight(kind=kind, severity="attention", title=_msg(f"{kind}_title", lang),
                    detail=_msg("weight_change_detail", lang, percent=_fmt(abs(change)), start=_fmt(first.value),
                                end=_fmt(latest.value), days=(latest.at - first.at).days or 1),
                    next_step=_msg(f"{kind}_next", lang), source=w.source,
                    readings=[_cite(first, "kg"), _cite(latest, "kg")])]


def _cite(point: Point, unit: str) -> CitedReading:
    return CitedReading(resource_id=point.resource_id, at=point.at, value=point.value, unit=unit)


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if abs(value) >= 20 else f"{value:.1f}"


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
