"""Symptom triage interviews: start, answer, follow up."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from careguide import triage
from careguide.api.deps import CurrentUser, LangDep, SessionDep, SettingsDep
from careguide.api.errors import ApiError
from careguide.api.routers.people import checked_person
from careguide.assistant import triage_sessions as sessions
from careguide.privacy.consent import Access
from careguide.store.triage import TriageSession

router = APIRouter(prefix="/api/v1/triage", tags=["triage"])


class StartBody(BaseModel):
    text: str = Field(max_length=10_000, description="How the person feels, in their own words.")
    person_id: int | None = Field(default=None, description="Whose symptoms (default: the caller).")
    age: float | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male"] | None = None


class AnswerBody(BaseModel):
    value: str = Field(min_length=1, max_length=2_000)
    question_id: str | None = None


class CheckBackBody(BaseModel):
    status: Literal["better", "same", "worse"]


class TriageView(BaseModel):
    id: int
    person_id: int
    status: str
    kind: str
    question: triage.Question | None
    outcome: triage.Outcome | None
    message: str | None


def view(row: TriageSession) -> TriageView:
    step = sessions.current_step(row)
    return TriageView(id=row.id, person_id=row.person_id, status=row.status, kind=step.kind,
                      question=step.question, outcome=step.outcome, message=step.message)


def _session_error(exc: sessions.TriageSessionError) -> ApiError:
    return ApiError(404 if exc.key == "not_found" else 409, f"triage_sessions.{exc.key}")


@router.post("/sessions", response_model=TriageView, status_code=201)
def start(body: StartBody, user: CurrentUser, session: SessionDep, settings: SettingsDep, lang: LangDep) -> TriageView:
    person = checked_person(session, user, body.person_id or user.id, Access.WRITE, "triage")
    profile = sessions.profile_of(person, region=settings.region, emergency_number=settings.emergency_number,
                                  lang=None, age=body.age, sex=body.sex)
    return view(sessions.start_session(session, user, person, body.text, profile))


@router.get("/sessions/{session_id}", response_model=TriageView)
def read(session_id: int, user: CurrentUser, session: SessionDep) -> TriageView:
    try:
        return view(sessions.read_session(session, user, session_id))
    except sessions.TriageSessionError as exc:
        raise _session_error(exc) from exc


@router.post("/sessions/{session_id}/answer", response_model=TriageView)
def answer(session_id: int, body: AnswerBody, user: CurrentUser, session: SessionDep) -> TriageView:
    try:
        row = sessions.answer_session(session, user, session_id,
                                      triage.Answer(question_id=body.question_id, value=body.value))
    except sessions.TriageSessionError as exc:
        raise _session_error(exc) from exc
    return view(row)


@router.post("/sessions/{session_id}/check-back", response_model=TriageView)
def check_back(session_id: int, body: CheckBackBody, user: CurrentUser, session: SessionDep) -> TriageView:
    try:
        return view(sessions.check_back(session, user, session_id, body.status))
    except sessions.TriageSessionError as exc:
        raise _session_error(exc) from exc
