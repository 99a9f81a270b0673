"""Triage interviews as stored conversations: the engine stays pure, the state lives here.

Each step's evidence is saved, so any API worker can take the next answer. An outcome
below ``emergency`` schedules the safety-net check-back ("better / same / worse?") as an
in-app notification; "worse" re-runs the interview from what is known.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from careguide import triage
from careguide.i18n import t
from careguide.privacy.consent import Access, require_access
from careguide.store.base import utcnow
from careguide.store.models import Notification, User
from careguide.store.triage import TriageSession


class TriageSessionError(Exception):
    """``key`` is a catalog key in ``triage_sessions``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def profile_of(person: User, *, region: str, emergency_number: str, lang: str | None = None,
               age: float | None = None, sex: str | None = None) -> triage.Profile:
    """What the record already says about the person; the form's age/sex win when given."""
    if age is None and person.birth_date is not None:
        today = date.today()
        born = person.birth_date
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    chosen_sex = sex or {"F": "female", "M": "male"}.get(person.sex or "")
    return triage.Profile(age_years=age, sex=chosen_sex, language=lang if lang in ("en", "zh") else None,
                          region=region, emergency_number=emergency_number)


def start_session(session: Session, actor: User, person: User, text: str, profile: triage.Profile) -> TriageSession:
    require_access(session, actor, person.id, Access.WRITE, resource=f"person/{person.id}/triage")
    step = triage.start(profile, text)
    row = TriageSession(person_id=person.id, started_by=actor.id, language=step.evidence.language,
                        evidence={}, step={})
    session.add(row)
    session.flush()
    _store(session, row, step)
    return row


def answer_session(session: Session, actor: User, session_id: int, reply: triage.Answer) -> TriageSession:
    row = _load(session, actor, session_id, Access.WRITE)
    if row.status != "open":
        raise TriageSessionError("already_finished")
    evidence = triage.Evidence.model_validate(row.evidence)
    _store(session, row, triage.answer(evidence, reply))
    return row


def check_back(session: Session, actor: User, session_id: int,
               status: Literal["better", "same", "worse"]) -> TriageSession:
    row = _load(session, actor, session_id, Access.WRITE)
    if row.status != "done" or row.check_back_due is None:
        raise TriageSessionError("no_check_back")
    evidence = triage.Evidence.model_validate(row.evidence)
    row.check_back_status = status
    row.check_back_due = None
    row.status = "open"
    _store(session, row, triage.check_back(evidence, status))
    return row


def read_session(session: Session, actor: User, session_id: int) -> TriageSession:
    return _load(session, actor, session_id, Access.READ)


def current_step(row: TriageSession) -> triage.Step:
    return triage.Step.model_validate(row.step)


def _load(session: Session, actor: User, session_id: int, access: Access) -> TriageSession:
    row = session.get(TriageSession, session_id)
    if row is None:
        raise TriageSessionError("not_found")
    require_access(session, actor, row.person_id, access, resource=f"triage/{session_id}")
    return row


def _store(session: Session, row: TriageSession, step: triage.Step) -> None:
    row.evidence = step.evidence.model_dump(mode="json")
    row.step = step.model_dump(mode="json")
    if step.kind != "outcome" or step.outcome is None:
        row.status = "open"
        return
    row.status = "done"
    row.disposition = step.outcome.disposition.value
    plan = step.outcome.check_back
    if plan is not None:
        row.check_back_due = utcnow() + timedelta(hours=plan.after_hours)
        lang = row.language
        session.add(Notification(
            user_id=row.person_id, kind="check_back", title=t("triage_sessions.check_back_title", lang),
            body=plan.question, link=f"/triage/{row.id}", due_at=row.check_back_due,
        ))
