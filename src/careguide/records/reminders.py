"""Reminders: preventive care by age and sex, medication times, follow-up of abnormal labs.

``plan_reminders`` turns a person's record into ``Reminder`` rows (the plan; planning
again updates rows by key instead of adding twins). ``run_due`` delivers every reminder
that is due as an in-app ``Notification`` and moves it to its next time. The API process
calls ``run_due`` on a timer by default; at scale a separate worker calls the same
function (on PostgreSQL, rows are claimed with SKIP LOCKED so workers never double-send).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.i18n import t
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.records.models import RecordResource, Reminder
from careguide.records.prevention import PreventionItem, load_schedule
from careguide.records.timeline import read_series
from careguide.store.base import utcnow
from careguide.store.models import Notification, Role, User

_PERIOD_DAYS = {"s": 1 / 86400, "min": 1 / 1440, "h": 1 / 24, "d": 1, "wk": 7, "mo": 30.4375, "a": 365.25}
_MANAGED_PREFIXES = ("prevention:", "medication:", "lab_followup:")
_DELIVERY_BATCH = 500


class ReminderView(BaseModel):
    key: str
    kind: str
    title: str
    body: str
    next_due_at: datetime
    source: str
    interval_days: float | None = None


def reminders(session: Session, actor: User, person_id: int, *, lang: str | None = None,
              now: datetime | None = None) -> list[ReminderView]:
    """Plan the person's reminders afresh and list the active ones, soonest first."""
    require_access(session, actor, person_id, Access.READ, resource="records/reminders")
    person = session.get(User, person_id)
    if person is None:
        return []
    plan_reminders(session, person, now=now)
    rows = session.scalars(select(Reminder).where(Reminder.person_id == person_id, Reminder.active.is_(True))
                           .order_by(Reminder.next_due_at)).all()
    return [ReminderView(key=r.key, kind=r.kind, title=_title(r, lang), body=_body(r, lang), next_due_at=r.next_due_at,
                         source=r.source, interval_days=r.interval_days) for r in rows]


def plan_reminders(session: Session, person: User, *, now: datetime | None = None) -> list[Reminder]:
    """Create or update the person's reminders from their age, sex and record (system action)."""
    now = now or utcnow()
    wanted: dict[str, dict[str, Any]] = {}
    age, sex = _age_and_sex(session, person, now)
    if age is not None:
        for item in load_schedule().items:
            if item.applies(age, sex) and _bmi_fits(session, person.id, item, now):
                planned = _prevention(session, person.id, item, now)
                if planned is not None:
                    wanted[f"prevention:{item.id}"] = planned
    wanted.update(_medications(session, person.id, now))
    wanted.update(_lab_followups(session, person.id, now))
    existing = {r.key: r for r in session.scalars(select(Reminder).where(Reminder.person_id == person.id))}
    for key, wanted_fields in wanted.items():
        fields = dict(wanted_fields)
        once = fields.pop("once", False)
        row = existing.get(key)
        if row is None:
            row = Reminder(person_id=person.id, key=key, **fields)
            session.add(row)
            existing[key] = row
        elif row.active and not (row.last_sent_at and once):
            due = fields["next_due_at"]
            if row.last_sent_at is not None and row.interval_days:
                due = max(due, row.last_sent_at + timedelta(days=row.interval_days))
            for name, value in fields.items():
                setattr(row, name, value)
            row.next_due_at = due
    for key, row in existing.items():
        if key.startswith(_MANAGED_PREFIXES) and key not in wanted and row.active:
            row.active = False
    session.flush()
    return [existing[k] for k in wanted]


def run_due(session: Session, now: datetime | None = None) -> int:
    """Deliver every due reminder as a Notification; returns how many were sent."""
    now = now or utcnow()
    query = (select(Reminder).where(Reminder.active.is_(True), Reminder.next_due_at <= now)
             .order_by(Reminder.next_due_at).limit(_DELIVERY_BATCH))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    sent = 0
    while True:
        due = session.scalars(query).all()
        if not due:
            return sent
        for reminder in due:
            person = session.get(User, reminder.person_id)
            lang = person.language if person is not None else None
            session.add(Notification(user_id=reminder.person_id, kind=f"reminder.{reminder.kind}",
                                     title=_title(reminder, lang)[:200], body=_body(reminder, lang),
                                     link="/records/reminders", due_at=reminder.next_due_at))
            reminder.last_sent_at = now
            if reminder.interval_days:
                reminder.next_due_at = max(reminder.next_due_at + timedelta(days=reminder.interval_days),
                                           now + timedelta(minutes=1))
            else:
                reminder.active = False
            sent += 1
        session.flush()
        audit.record(session, action="records.reminders.deliver", outcome=audit.Outcome.ALLOWED,
                     resource="records/reminders", detail={"sent": len(due)})


def plan_all(session: Session, now: datetime | None = None) -> int:
    """Plan reminders for every active patient (the worker's daily job); returns how many people."""
    people = session.scalars(select(User).where(User.role == Role.PATIENT, User.is_active.is_(True))).all()
    for person in people:
        plan_reminders(session, person, now=now)
    return len(people)


def _title(reminder: Reminder, lang: str | None) -> str:
    return t(f"records.{reminder.title_key}", lang, **_localised(reminder.params, lang))


def _body(reminder: Reminder, lang: str | None) -> str:
    return t(f"records.{reminder.title_key.replace('_title', '_body')}", lang, **_localised(reminder.params, lang))


def _localised(params: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """Params stored as {"en": ..., "zh": ...} pairs are resolved to the reader's language."""
    zh = (lang or "").startswith("zh")
    return {k: (v["zh"] if zh else v["en"]) if isinstance(v, dict) and "en" in v else v for k, v in params.items()}


def _age_and_sex(session: Session, person: User, now: datetime) -> tuple[float | None, str | None]:
    birth: date | None = person.birth_date
    sex = {"f": "female", "m": "male"}.get((person.sex or "").lower())
    if birth is None or sex is None:
        patient = session.scalar(select(RecordResource.document).where(
            RecordResource.person_id == person.id, RecordResource.resource_type == "Patient").limit(1))
        if patient:
            sex = sex or (patient.get("gender") if patient.get("gender") in ("female", "male") else None)
            if birth is None and patient.get("birthDate"):
                try:
                    birth = date.fromisoformat(str(patient["birthDate"])[:10])
                except ValueError:
                    birth = None
    if birth is None:
        return None, sex
    return (now.date() - birth).days / 365.25, sex


def _bmi_fits(session: Session, person_id: int, item: PreventionItem, now: datetime) -> bool:
    if item.min_bmi is None:
        return True
    points = read_series(session, person_id, "bmi", until=now).points
    return bool(points) and points[-1].value >= item.min_bmi


def _prevention(session: Session, person_id: int, item: PreventionItem, now: datetime) -> dict[str, Any] | None:
    last_done = None
    if item.evidence is not None and item.evidence.codes():
        last_done = session.scalar(select(RecordResource.effective_at).where(
            RecordResource.person_id == person_id, RecordResource.code.in_(item.evidence.codes()),
            RecordResource.effective_at <= now).order_by(RecordResource.effective_at.desc()).limit(1))
    if item.once and last_done is not None:
        return None
    months = (item.evidence.interval_months_after if item.evidence and item.evidence.interval_months_after
              else item.interval_months)
    due = now if last_done is None or months is None else max(now, last_done + timedelta(days=months * 30.4375))
    return {
        "kind": item.kind,
        "title_key": f"reminder_{item.kind}_title",
        "params": {"name": item.name.model_dump(), "last": last_done.date().isoformat() if last_done else "-"},
        "source": "; ".join(item.sources),
        "interval_days": item.interval_months * 30.4375 if item.interval_months else None,
        "next_due_at": due,
        "once": item.once,
    }


def _medications(session: Session, person_id: int, now: datetime) -> dict[str, dict[str, Any]]:
    rows = session.execute(select(RecordResource.resource_id, RecordResource.display, RecordResource.document).where(
        RecordResource.person_id == person_id,
        RecordResource.resource_type.in_(["MedicationRequest", "MedicationStatement"]),
        RecordResource.status.in_(["active", "intended"]))).all()
    planned: dict[str, dict[str, Any]] = {}
    for rid, display, document in rows:
        interval = _dosing_interval_days(document)
        if interval is None:
            continue  # no timing in the prescription: we do not invent one
        name = display or "medication"
        planned[f"medication:{rid}"] = {
            "kind": "medication", "title_key": "reminder_medication_title",
            "params": {"name": name, "every_hours": round(interval * 24, 1)},
            "source": f"{document.get('resourceType')}/{rid} dosageInstruction.timing",
            "interval_days": interval, "next_due_at": now, "once": False,
        }
    return planned


def _dosing_interval_days(document: dict[str, Any]) -> float | None:
    dosages = document.get("dosageInstruction") or document.get("dosage") or []
    for dosage in dosages:
        repeat = ((dosage.get("timing") or {}).get("repeat")) or {}
        frequency, period, unit = repeat.get("frequency"), repeat.get("period"), repeat.get("periodUnit")
        if frequency and period and unit in _PERIOD_DAYS:
            interval = float(period) * _PERIOD_DAYS[unit] / float(frequency)
            if interval >= 1 / 24:  # more often than hourly is not a reminder schedule
                return interval
    return None


def _lab_followups(session: Session, person_id: int, now: datetime) -> dict[str, dict[str, Any]]:
    rule = load_schedule().lab_followup
    rows = session.execute(select(RecordResource.resource_id, RecordResource.display, RecordResource.effective_at,
                                  RecordResource.document).where(
        RecordResource.person_id == person_id, RecordResource.resource_type == "Observation",
        RecordResource.category == "laboratory",
        RecordResource.effective_at >= now - timedelta(days=rule.max_age_days),
        RecordResource.effective_at <= now)).all()
    planned: dict[str, dict[str, Any]] = {}
    for rid, display, at, document in rows:
        codes = {c.get("code") for i in document.get("interpretation") or [] for c in i.get("coding") or []}
        abnormal = codes & set(rule.abnormal_codes)
        if not abnormal:
            continue
        critical = bool(codes & set(rule.critical_codes))
        days = rule.critical_days if critical else rule.abnormal_days
        due = max(now, at + timedelta(days=days))
        planned[f"lab_followup:{rid}"] = {
            "kind": "lab_followup", "title_key": "reminder_lab_followup_title",
            "params": {"name": display or rid, "date": at.date().isoformat(), "flag": sorted(abnormal)[0]},
            "source": rule.source, "interval_days": None, "next_due_at": due, "once": True,
        }
    return planned
