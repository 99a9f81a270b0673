"""Pages of the skills: claim check, lab reports, symptom triage (more as the skills land)."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from careguide import triage
from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.api.errors import ApiError
from careguide.api.routers.reports import explain_upload
from careguide.assistant import triage_sessions
from careguide.factcheck import FactcheckInputError, FactcheckResult, check_text
from careguide.i18n import t
from careguide.privacy.consent import AccessDenied
from careguide.web.pages import render, verify_form

router = APIRouter(include_in_schema=False)


def highlighted(text: str, result: FactcheckResult) -> list[tuple[str, bool]]:
    """The checked text cut into (piece, is_highlighted) runs, for <mark> in the page."""
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for span in sorted(result.highlights, key=lambda s: s.start):
        if span.start < cursor:
            continue
        if span.start > cursor:
            pieces.append((text[cursor:span.start], False))
        pieces.append((text[span.start:span.end], True))
        cursor = span.end
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request, session: SessionDep) -> Response:
    return render(request, "check.html", text="")


@router.post("/check", response_class=HTMLResponse)
def check_submit(request: Request, session: SessionDep, text: str = Form(""),
                       image: UploadFile | None = File(None), csrf_token: str = Form("")) -> Response:
    verify_form(request, session, csrf_token)
    lang = resolve_language(request)
    try:
        if image is not None and image.filename and not text.strip():
            from careguide.factcheck.ocr import extract_text_from_image

            text = extract_text_from_image(image.file.read())
        result = check_text(text, lang)
    except FactcheckInputError as exc:
        return render(request, "check.html", status=422, text=text, error=exc.message(lang))
    return render(request, "check.html", text=text, result=result, pieces=highlighted(text, result))


def department_name(department_id: str, lang: str) -> str:
    from careguide.knowledge.loader import load_knowledge

    department = load_knowledge().departments.get(department_id)
    return getattr(department.name, lang) if department is not None else department_id


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, session: SessionDep) -> Response:
    if caller(request, session) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "reports.html", dept=department_name)


@router.post("/reports", response_class=HTMLResponse)
def reports_submit(
    request: Request,
    session: SessionDep,
    file: UploadFile | None = File(None),
    text: str = Form(""),
    save: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    lang = resolve_language(request)
    data = file.file.read() if file is not None and file.filename else b""
    filename = file.filename if data and file is not None else "pasted.txt"
    if not data:
        data = text.strip().encode("utf-8")
    if not data:
        return render(request, "reports.html", status=422, error=t("web.reports_need_input", lang), text=text,
                      dept=department_name)
    try:
        outcome = explain_upload(session, user, lang, data, filename, user.id, save == "on")
    except ApiError as exc:
        return render(request, "reports.html", status=exc.status, error=t(exc.key, lang, **exc.params), text=text,
                      dept=department_name)
    return render(request, "reports.html", outcome=outcome, report=outcome.explanation, text=text,
                  dept=department_name)


@router.get("/triage", response_class=HTMLResponse)
def triage_page(request: Request, session: SessionDep) -> Response:
    if caller(request, session) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "triage_start.html", text="")


@router.post("/triage", response_class=HTMLResponse)
def triage_submit(request: Request, session: SessionDep, text: str = Form(""), age: str = Form(""),
                  csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    lang = resolve_language(request)
    if not text.strip():
        return render(request, "triage_start.html", status=422, error=t("web.triage_need_text", lang), text=text)
    settings = request.app.state.settings
    chosen_age = float(age) if age.strip().replace(".", "", 1).isdigit() else None
    profile = triage_sessions.profile_of(user, region=settings.region, emergency_number=settings.emergency_number,
                                         lang=lang, age=chosen_age)
    row = triage_sessions.start_session(session, user, user, text[:10_000], profile)
    return RedirectResponse(f"/triage/{row.id}", status_code=303)


@router.get("/triage/{session_id}", response_class=HTMLResponse)
def triage_step_page(session_id: int, request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    try:
        row = triage_sessions.read_session(session, found[0], session_id)
    except (triage_sessions.TriageSessionError, AccessDenied):
        raise ApiError(404, "triage_sessions.not_found") from None
    return render(request, "triage_step.html", row=row, step=triage_sessions.current_step(row))


@router.post("/triage/{session_id}", response_class=HTMLResponse)
def triage_answer(session_id: int, request: Request, session: SessionDep, value: str = Form(""),
                  question_id: str = Form(""), check_back: str = Form(""), csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    try:
        if check_back in ("better", "same", "worse"):
            triage_sessions.check_back(session, user, session_id, check_back)  # type: ignore[arg-type]
        elif value.strip():
            triage_sessions.answer_session(session, user, session_id,
                                           triage.Answer(question_id=question_id or None, value=value[:2_000]))
    except triage_sessions.TriageSessionError as exc:
        raise ApiError(404 if exc.key == "not_found" else 409, f"triage_sessions.{exc.key}") from exc
    except AccessDenied:
        raise ApiError(404, "triage_sessions.not_found") from None
    return RedirectResponse(f"/triage/{session_id}", status_code=303)
