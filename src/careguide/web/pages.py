"""The patient-facing shell: log in, register, home, profile, language and senior mode."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from careguide import accounts
from careguide.api.deps import (
    LANG_COOKIE,
    SESSION_COOKIE,
    SessionDep,
    SettingsDep,
    caller,
    check_csrf,
    resolve_language,
)
from careguide.api.errors import ApiError
from careguide.api.routers.auth import client_of
from careguide.i18n import LANGUAGES, t
from careguide.store.models import Role, User, WebSession
from careguide.web import templates

router = APIRouter(include_in_schema=False)
PRE_CSRF_COOKIE = "cg_csrf"


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the caller's language. Forms carry ``csrf``: the session's token when signed in,
    else a token also set as a strict same-site cookie (double submit)."""
    lang = resolve_language(request)
    found = getattr(request.state, "caller", None) or None
    user = found[0] if found else None
    pre_csrf = request.cookies.get(PRE_CSRF_COOKIE) or secrets.token_urlsafe(24)
    base: dict[str, Any] = {
        "lang": lang,
        "t": lambda key, **params: t(key, lang, **params),
        "user": user,
        "senior": bool(user.senior_mode) if user else request.cookies.get("cg_senior") == "1",
        "csrf": found[1].csrf_token if found and found[1] else pre_csrf,
        "pre_csrf": pre_csrf,
        "languages": LANGUAGES,
        "path": request.url.path,
        "emergency_number": request.app.state.settings.emergency_number,
    }
    response = templates.TemplateResponse(request, name, base | context, status_code=status)
    if PRE_CSRF_COOKIE not in request.cookies:
        response.set_cookie(PRE_CSRF_COOKIE, pre_csrf, httponly=True, samesite="strict", max_age=3600)
    return response


def local_path(target: str) -> str:
    """A redirect target on this site only (no open redirect to ``//elsewhere``)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def verify_form(request: Request, session: Session, token: str) -> User | None:
    """Check a posted form's CSRF token; returns the signed-in user, if any."""
    found = caller(request, session)
    if found is not None and found[1] is not None:
        _form_csrf(request, found[1], token)
        return found[0]
    expected = request.cookies.get(PRE_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, token):
        raise ApiError(403, "api.csrf_failed")
    return found[0] if found else None


def _signed_in(request: Request, session: SessionDep) -> tuple[User, WebSession] | None:
    found = caller(request, session)
    if found is None or found[1] is None:
        return None
    return found[0], found[1]


def _form_csrf(request: Request, web: WebSession, token: str) -> None:
    request.state.form_csrf = token
    check_csrf(request, web.csrf_token)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    if _signed_in(request, session) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "home.html", actions=home_actions())


# The home page's big buttons; a skill's page adds its link here when it lands.
HOME_ACTIONS: dict[str, str | None] = {
    "action_symptoms": "/triage",
    "action_question": "/chat",
    "action_voice": "/voice",
    "action_report": "/reports",
    "action_record": "/records",
    "action_book": "/appointments",
    "action_check": "/check",
}


def home_actions() -> list[tuple[str, str | None]]:
    return list(HOME_ACTIONS.items())


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, session: SessionDep) -> Response:
    if _signed_in(request, session) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html")


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    verify_form(request, session, csrf_token)
    try:
        user = accounts.authenticate(
            session, username, password, client=client_of(request),
            max_failures=settings.login_max_failures, lockout=timedelta(minutes=settings.login_lockout_minutes),
        )
    except accounts.AccountError as exc:
        session.commit()
        lang = resolve_language(request)
        return render(request, "login.html", status=401, error=t(f"accounts.{exc.key}", lang), username=username)
    raw, _ = accounts.open_web_session(session, user, settings.session_hours)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, raw, httponly=True, secure=settings.cookie_secure, samesite="lax",
                        max_age=settings.session_hours * 3600)
    return response


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request) -> Response:
    return render(request, "register.html", form={})


@router.post("/register", response_class=HTMLResponse)
def register_submit(
    request: Request,
    session: SessionDep,
    username: str = Form(""),
    password: str = Form(""),
    full_name: str = Form(""),
    role: str = Form("patient"),
    csrf_token: str = Form(""),
) -> Response:
    verify_form(request, session, csrf_token)
    lang = resolve_language(request)
    chosen = Role.CAREGIVER if role == "caregiver" else Role.PATIENT
    try:
        accounts.create_user(session, accounts.NewUser(username=username.strip(), password=password,
                                                       full_name=full_name.strip(), role=chosen, language=lang))
    except accounts.AccountError as exc:
        session.rollback()
        return render(request, "register.html", status=422, error=t(f"accounts.{exc.key}", lang),
                      error_field=exc.field, form={"username": username, "full_name": full_name, "role": role})
    return RedirectResponse("/login?registered=1", status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep, csrf_token: str = Form("")) -> Response:
    found = _signed_in(request, session)
    if found is not None:
        _form_csrf(request, found[1], csrf_token)
        accounts.close_web_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, session: SessionDep) -> Response:
    if _signed_in(request, session) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "profile.html")


@router.post("/profile", response_class=HTMLResponse)
def profile_submit(
    request: Request,
    session: SessionDep,
    full_name: str = Form(""),
    city: str = Form(""),
    sex: str = Form(""),
    birth_date: str = Form(""),
    language: str = Form(""),
    senior_mode: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    found = _signed_in(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    _form_csrf(request, web, csrf_token)
    try:
        born = date.fromisoformat(birth_date) if birth_date else None
    except ValueError:
        return render(request, "profile.html", status=422, error_field="birth_date",
                      error=t("web.birth_date_invalid", resolve_language(request)))
    user.full_name = full_name.strip()[:200]
    user.city = city.strip()[:80] or None
    user.sex = sex if sex in ("F", "M") else None
    user.birth_date = born
    user.language = language if language in LANGUAGES else user.language
    user.senior_mode = senior_mode == "on"
    request.state.user_language = user.language
    return render(request, "profile.html", saved=True)


@router.post("/senior-mode")
def toggle_senior_mode(request: Request, session: SessionDep, csrf_token: str = Form(""),
                       next: str = Form("/")) -> Response:
    user = verify_form(request, session, csrf_token)
    target = local_path(next)
    response = RedirectResponse(target, status_code=303)
    if user is not None:
        user.senior_mode = not user.senior_mode
    else:
        response.set_cookie("cg_senior", "0" if request.cookies.get("cg_senior") == "1" else "1",
                            samesite="lax", max_age=365 * 86400)
    return response


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, session: SessionDep, next: str = "/") -> Response:
    lang = code if code in LANGUAGES else None
    target = local_path(next)
    response = RedirectResponse(target, status_code=303)
    if lang is None:
        return response
    response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
    found = _signed_in(request, session)
    if found is not None:
        found[0].language = lang
    return response
