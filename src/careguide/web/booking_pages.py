"""Booking pages: from a triage outcome to three proposals, one click to book, my appointments, visit guide."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.api.errors import ApiError
from careguide.api.routers import booking as booking_api
from careguide.assistant import triage_sessions
from careguide.i18n import t
from careguide.privacy.consent import AccessDenied
from careguide.web.pages import render, verify_form

router = APIRouter(include_in_schema=False)


@router.get("/book", response_class=HTMLResponse)
def book_page(request: Request, session: SessionDep, triage: int | None = None, department: str = "",
              level: str = "routine") -> Response:
    """Proposals for a finished interview (``?triage=ID``) or a department chosen by hand."""
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user = found[0]
    lang = resolve_language(request)
    departments = [department] if department else []
    disposition = level if level in ("ambulance", "emergency", "urgent", "routine", "self_care") else "routine"
    if triage is not None:
        try:
            row = triage_sessions.read_session(session, user, triage)
        except (triage_sessions.TriageSessionError, AccessDenied):
            raise ApiError(404, "triage_sessions.not_found") from None
        outcome = triage_sessions.current_step(row).outcome
        if outcome is not None:
            disposition = outcome.disposition.value
            departments = [d.id for d in outcome.departments[:3]]
    if disposition == "self_care":
        disposition = "routine"  # someone who still wants a visit books a routine one
    result = booking_api.match_outcome(
        booking_api.MatchBody(disposition=disposition, department_ids=departments),  # type: ignore[arg-type]
        user, session, request.app.state.settings, lang)
    return render(request, "book.html", result=result, departments=departments)


@router.post("/book", response_class=HTMLResponse)
def book_submit(request: Request, session: SessionDep, slot_id: int = Form(...), csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    try:
        booking_api.book(booking_api.SlotBody(slot_id=slot_id), user, session)
    except ApiError as exc:
        session.rollback()
        return render(request, "book.html", status=exc.status, result=None, departments=[],
                      error=t(exc.key, resolve_language(request), **exc.params))
    return RedirectResponse("/appointments?booked=1", status_code=303)


@router.get("/appointments", response_class=HTMLResponse)
def appointments_page(request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    items = booking_api.my_appointments(found[0].id, found[0], session)
    return render(request, "appointments.html", items=items, booked=request.query_params.get("booked"))


@router.post("/appointments/{appointment_id}/cancel")
def appointment_cancel(appointment_id: int, request: Request, session: SessionDep,
                       csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    booking_api.cancel(appointment_id, user, session)
    return RedirectResponse("/appointments", status_code=303)


@router.get("/appointments/{appointment_id}/guide", response_class=HTMLResponse)
def appointment_guide(appointment_id: int, request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    guide = booking_api.guide(appointment_id, found[0], session, request.app.state.settings,
                              resolve_language(request), senior=bool(found[0].senior_mode))
    return render(request, "visit_guide.html", guide=guide)
