"""The doctor's pages: the referral queue, a case's pre-consultation summary, doctor agents' sign-off and
audit; the person's 'send to clinic'."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.api.errors import ApiError
from careguide.api.routers.agents import governance_error
from careguide.api.routers.chat import assistant_of
from careguide.api.routers.clinician import HandoutIn, refer_triage
from careguide.api.routers.clinician import handout as api_handout
from careguide.assistant import agent_governance as governance
from careguide.clinician import notes_service, queue
from careguide.clinician.handout import topics
from careguide.clinician.notes import NoteInputError
from careguide.clinician.queue_models import ClinicNote
from careguide.clinician.service import referral_summary
from careguide.i18n import t
from careguide.llm import get_llm
from careguide.privacy.consent import AccessDenied
from careguide.store.base import utcnow
from careguide.web.pages import render, verify_form

router = APIRouter(include_in_schema=False)


@router.get("/clinic", response_class=HTMLResponse)
def clinic_queue(request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    try:
        items = queue.doctor_queue(session, found[0])
    except queue.QueueError as exc:
        return render(request, "clinic_queue.html", status=403, error=t(f"clinician.{exc.key}",
                                                                          resolve_language(request)), items=[])
    now = utcnow()
    waits = {item.id: int((now - item.created_at).total_seconds() // 60) for item in items}
    return render(request, "clinic_queue.html", items=items, waits=waits)


@router.post("/clinic/referrals/{referral_id}/claim")
def clinic_claim(referral_id: int, request: Request, session: SessionDep, csrf_token: str = Form("")) -> Response:
    return _clinic_action(referral_id, "claim", request, session, csrf_token)


@router.post("/clinic/referrals/{referral_id}/close")
def clinic_close(referral_id: int, request: Request, session: SessionDep, csrf_token: str = Form("")) -> Response:
    return _clinic_action(referral_id, "close", request, session, csrf_token)


def _clinic_action(referral_id: int, action: str, request: Request, session: SessionDep, csrf_token: str) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    try:
        if action == "claim":
            queue.claim(session, user, referral_id)
            return RedirectResponse(f"/clinic/referrals/{referral_id}", status_code=303)
        if action == "close":
            queue.close(session, user, referral_id)
    except queue.QueueError as exc:
        raise ApiError(409 if exc.key == "already_claimed" else 404, f"clinician.{exc.key}") from exc
    return RedirectResponse("/clinic", status_code=303)


@router.get("/clinic/referrals/{referral_id}", response_class=HTMLResponse)
def clinic_case(referral_id: int, request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    lang = resolve_language(request)
    try:
        referral, summary, _, _ = referral_summary(session, found[0], referral_id, lang)
    except (queue.QueueError, AccessDenied):
        return render(request, "clinic_case.html", status=403, error=t("clinician.no_access", lang))
    notes = session.scalars(select(ClinicNote).where(ClinicNote.referral_id == referral_id)
                            .order_by(ClinicNote.id.desc())).all()
    return render(request, "clinic_case.html", referral=referral, summary=summary, notes=notes,
                  topics=topics(lang)[:300], sent=request.query_params.get("sent"))


@router.post("/clinic/referrals/{referral_id}/note")
def clinic_note(referral_id: int, request: Request, session: SessionDep, transcript: str = Form(""),
                csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    try:
        notes_service.start_note(session, user, referral_id, transcript, resolve_language(request),
                                 get_llm(request.app.state.settings))
    except (NoteInputError, queue.QueueError) as exc:
        raise ApiError(422 if isinstance(exc, NoteInputError) else 404, f"clinician.{exc.key}") from exc
    return RedirectResponse(f"/clinic/referrals/{referral_id}#notes", status_code=303)


@router.post("/clinic/notes/{note_id}")
def clinic_note_save(note_id: int, request: Request, session: SessionDep, text: str = Form(""),
                     sign: str = Form(""), csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    try:
        note = notes_service.edit_note(session, user, note_id, text)
        if sign:
            notes_service.sign_note(session, user, note_id)
    except (NoteInputError, queue.QueueError) as exc:
        raise ApiError(409, f"clinician.{exc.key}") from exc
    return RedirectResponse(f"/clinic/referrals/{note.referral_id}#notes", status_code=303)


@router.post("/clinic/referrals/{referral_id}/handout")
def clinic_handout(referral_id: int, request: Request, session: SessionDep, article_id: str = Form(""),
                   additions: str = Form(""), csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    api_handout(referral_id, HandoutIn(article_id=article_id, additions=additions[:4000]), user, session)
    return RedirectResponse(f"/clinic/referrals/{referral_id}?sent=1#handout", status_code=303)


@router.post("/triage/{session_id}/refer")
def triage_refer(session_id: int, request: Request, session: SessionDep, csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    refer_triage(session_id, user, session)
    return RedirectResponse(f"/triage/{session_id}?referred=1", status_code=303)


@router.get("/clinic/agents", response_class=HTMLResponse)
def clinic_agents(request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    packs = assistant_of(request).agents.packs
    try:
        items = governance.audit_queue(session, found[0])
    except governance.GovernanceError as exc:
        return render(request, "clinic_agents.html", status=403, agents=[], items=[], names={},
                      error=t(f"clinician.{exc.key}", resolve_language(request)))
    lang = resolve_language(request)
    return render(request, "clinic_agents.html", agents=governance.agent_statuses(session, packs), items=items,
                  names={pack.id: pack.name.get(lang) for pack in packs.values()})


@router.post("/clinic/agents/{agent_id}/sign")
def clinic_agent_sign(agent_id: str, request: Request, session: SessionDep, version: int = Form(0),
                      digest: str = Form(""), csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    try:
        governance.sign(session, user, agent_id, version, digest or None, assistant_of(request).agents.packs)
    except governance.GovernanceError as exc:
        raise governance_error(exc) from exc
    return RedirectResponse("/clinic/agents", status_code=303)


@router.post("/clinic/agents/audit/{item_id}")
def clinic_agent_review(item_id: int, request: Request, session: SessionDep, decision: str = Form(""),
                        corrected_answer: str = Form(""), csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    try:
        governance.review(session, user, item_id, "correct" if decision == "correct" else "approve",
                          corrected_answer[:governance.MAX_TEXT])
    except governance.GovernanceError as exc:
        raise governance_error(exc) from exc
    return RedirectResponse("/clinic/agents#audit", status_code=303)
