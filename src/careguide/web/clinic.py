"""The doctor's pages: the referral queue and a case's pre-consultation summary; the person's 'send to clinic'."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.api.errors import ApiError
from careguide.api.routers.clinician import refer_triage
from careguide.clinician import queue
from careguide.clinician.service import referral_summary
from careguide.i18n import t
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


@router.post("/clinic/referrals/{referral_id}/{action}")
def clinic_action(referral_id: int, action: str, request: Request, session: SessionDep,
                  csrf_token: str = Form("")) -> Response:
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
    return render(request, "clinic_case.html", referral=referral, summary=summary)


@router.post("/triage/{session_id}/refer")
def triage_refer(session_id: int, request: Request, session: SessionDep, csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    refer_triage(session_id, user, session)
    return RedirectResponse(f"/triage/{session_id}?referred=1", status_code=303)
