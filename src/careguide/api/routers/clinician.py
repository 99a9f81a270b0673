"""The doctor's workspace API: the referral queue, summaries, portable packets; a person's referrals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from careguide.api.deps import CurrentUser, LangDep, SessionDep
from careguide.api.errors import ApiError
from careguide.clinician import notes_service, queue
from careguide.clinician.handout import Handout, TopicSummary, topics
from careguide.clinician.models import PreVisitSummary
from careguide.clinician.notes import NoteInputError
from careguide.clinician.queue_models import ClinicNote, ClinicReferral
from careguide.clinician.service import referral_packet, referral_summary
from careguide.llm import get_llm
from careguide.store.triage import TriageSession

router = APIRouter(prefix="/api/v1", tags=["clinic"])


class ReferralOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    source: str
    department: str
    urgency: str
    reason: str
    status: str
    doctor_id: int | None
    triage_session_id: int | None
    created_at: datetime
    claimed_at: datetime | None
    closed_at: datetime | None


def _queue_error(exc: queue.QueueError) -> ApiError:
    status = {"already_claimed": 409, "doctor_only": 403, "bad_urgency": 422}.get(exc.key, 404)
    return ApiError(status, f"clinician.{exc.key}")


@router.post("/triage/sessions/{session_id}/refer", response_model=ReferralOut, status_code=201)
def refer_triage(session_id: int, user: CurrentUser, session: SessionDep) -> ClinicReferral:
    """The person sends a finished interview to the clinic of its first department."""
    row = session.get(TriageSession, session_id)
    if row is None or row.status != "done" or not row.disposition:
        raise ApiError(404, "triage_sessions.not_found")
    outcome = (row.step or {}).get("outcome") or {}
    departments = [d["id"] for d in outcome.get("departments") or []]
    department = next((d for d in departments if d != "emergency"), departments[0] if departments else "general_practice")
    try:
        return queue.refer(session, user, row.person_id, source="triage", department=department,
                           urgency=row.disposition, reason=str((row.evidence or {}).get("text", ""))[:4000],
                           detail={"departments": departments}, triage_session_id=row.id)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc


@router.get("/me/referrals", response_model=list[ReferralOut])
def my_referrals(user: CurrentUser, session: SessionDep) -> list[ClinicReferral]:
    return queue.my_referrals(session, user)


@router.get("/clinic/queue", response_model=list[ReferralOut])
def clinic_queue(user: CurrentUser, session: SessionDep) -> list[ClinicReferral]:
    try:
        return queue.doctor_queue(session, user)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc


@router.post("/clinic/referrals/{referral_id}/claim", response_model=ReferralOut)
def claim(referral_id: int, user: CurrentUser, session: SessionDep) -> ClinicReferral:
    try:
        return queue.claim(session, user, referral_id)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc


@router.post("/clinic/referrals/{referral_id}/close", response_model=ReferralOut)
def close(referral_id: int, user: CurrentUser, session: SessionDep) -> ClinicReferral:
    try:
        return queue.close(session, user, referral_id)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc


@router.get("/clinic/referrals/{referral_id}/summary", response_model=PreVisitSummary)
def summary(referral_id: int, user: CurrentUser, session: SessionDep, lang: LangDep) -> PreVisitSummary:
    try:
        return referral_summary(session, user, referral_id, lang)[1]
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc


@router.get("/clinic/referrals/{referral_id}/fhir")
def packet(referral_id: int, user: CurrentUser, session: SessionDep, lang: LangDep) -> JSONResponse:
    try:
        bundle: dict[str, Any] = referral_packet(session, user, referral_id, lang)
    except queue.QueueError as exc:
        raise _queue_error(exc) from exc
    return JSONResponse(bundle, media_type="application/fhir+json",
                        headers={"Content-Disposition": f'attachment; filename="previsit-{referral_id}.json"'})


class NoteIn(BaseModel):
    transcript: str = Field(max_length=50_000)


class NoteEdit(BaseModel):
    text: str = Field(max_length=50_000)


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    referral_id: int | None
    person_id: int
    language: str
    method: str
    text: str
    status: str
    created_at: datetime
    signed_at: datetime | None
    seconds_to_sign: int | None
    record_resource_id: str | None


class HandoutIn(BaseModel):
    article_id: str
    additions: str = Field(default="", max_length=4000)
    patient_lang: str | None = None


def _note_error(exc: Exception) -> ApiError:
    if isinstance(exc, NoteInputError):
        return ApiError(422, f"clinician.{exc.key}", "transcript")
    assert isinstance(exc, queue.QueueError)
    return ApiError(409 if exc.key in ("note_signed", "note_not_filed") else 404, f"clinician.{exc.key}")


@router.post("/clinic/referrals/{referral_id}/notes", response_model=NoteOut, status_code=201)
def draft(referral_id: int, body: NoteIn, request: Request, user: CurrentUser, session: SessionDep,
          lang: LangDep) -> ClinicNote:
    try:
        return notes_service.start_note(session, user, referral_id, body.transcript, lang, get_llm(request.app.state.settings))
    except (NoteInputError, queue.QueueError) as exc:
        raise _note_error(exc) from exc


@router.put("/clinic/notes/{note_id}", response_model=NoteOut)
def edit(note_id: int, body: NoteEdit, user: CurrentUser, session: SessionDep) -> ClinicNote:
    try:
        return notes_service.edit_note(session, user, note_id, body.text)
    except (NoteInputError, queue.QueueError) as exc:
        raise _note_error(exc) from exc


@router.post("/clinic/notes/{note_id}/sign", response_model=NoteOut)
def sign(note_id: int, user: CurrentUser, session: SessionDep) -> ClinicNote:
    try:
        return notes_service.sign_note(session, user, note_id)
    except (NoteInputError, queue.QueueError) as exc:
        raise _note_error(exc) from exc


@router.get("/clinic/handouts/topics", response_model=list[TopicSummary])
def handout_topics(user: CurrentUser, lang: LangDep, q: str = "") -> list[TopicSummary]:
    return topics(lang, q)[:200]


@router.post("/clinic/referrals/{referral_id}/handout", response_model=Handout)
def handout(referral_id: int, body: HandoutIn, user: CurrentUser, session: SessionDep) -> Handout:
    from careguide.store.models import User

    referral = session.get(ClinicReferral, referral_id)
    person = session.get(User, referral.person_id) if referral else None
    patient_lang = body.patient_lang or (person.language if person else None) or "zh"
    try:
        return notes_service.send_handout(session, user, referral_id, body.article_id, body.additions, patient_lang)
    except queue.QueueError as exc:
        raise _note_error(exc) from exc
