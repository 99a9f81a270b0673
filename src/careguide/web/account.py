"""Account pages: notifications, sharing (consents given), people who shared with me."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.api.routers.notifications import due_notifications
from careguide.i18n import t
from careguide.privacy import consent
from careguide.store.base import utcnow
from careguide.store.models import Consent, ConsentPurpose, ConsentScope, Notification, User
from careguide.web.pages import render, verify_form

router = APIRouter(include_in_schema=False)


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    items = due_notifications(session, found[0].id, include_read=True)
    return render(request, "notifications.html", items=items)


@router.post("/notifications/{notification_id}/read")
def notification_read(notification_id: int, request: Request, session: SessionDep,
                      csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    notification = session.get(Notification, notification_id)
    if notification is not None and notification.user_id == user.id and notification.read_at is None:
        notification.read_at = utcnow()
    target = notification.link if notification is not None and notification.link else "/notifications"
    return RedirectResponse(target if target.startswith("/") else "/notifications", status_code=303)


def _sharing_context(session: SessionDep, user: User) -> dict[str, Any]:
    given = session.execute(
        select(Consent, User).join(User, User.id == Consent.grantee_id)
        .where(Consent.subject_id == user.id).order_by(Consent.id.desc())
    ).all()
    received = session.execute(
        select(Consent, User).join(User, User.id == Consent.subject_id)
        .where(Consent.grantee_id == user.id, Consent.revoked_at.is_(None)).order_by(Consent.id.desc())
    ).all()
    now = utcnow()
    return {"given": given, "received": [(c, u) for c, u in received if c.expires_at is None or c.expires_at > now],
            "now": now}


@router.get("/sharing", response_class=HTMLResponse)
def sharing_page(request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "sharing.html", **_sharing_context(session, found[0]))


@router.post("/sharing", response_class=HTMLResponse)
def sharing_grant(request: Request, session: SessionDep, grantee: str = Form(""), purpose: str = Form("care"),
                  scope: str = Form("read"), expires: str = Form(""), csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    lang = resolve_language(request)
    target = session.scalar(select(User).where(func.lower(User.username) == grantee.strip().lower()))
    error = None
    expires_at = None
    if target is None or target.id == user.id:
        error = t("accounts.grantee_not_found", lang)
    elif expires:
        try:
            expires_at = datetime.combine(date.fromisoformat(expires), time(23, 59), tzinfo=UTC)
        except ValueError:
            error = t("web.sharing_bad_date", lang)
    if error or target is None:
        return render(request, "sharing.html", status=422, error=error, **_sharing_context(session, user))
    consent.grant(session, user, target,
                  purpose=ConsentPurpose(purpose) if purpose in {p.value for p in ConsentPurpose} else ConsentPurpose.CARE,
                  scope=ConsentScope.WRITE if scope == "write" else ConsentScope.READ, expires_at=expires_at)
    return RedirectResponse("/sharing", status_code=303)


@router.post("/sharing/{consent_id}/revoke")
def sharing_revoke(consent_id: int, request: Request, session: SessionDep, csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    consent.revoke(session, user, consent_id)
    return RedirectResponse("/sharing", status_code=303)
