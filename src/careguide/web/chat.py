"""The chat page: talk to the assistant; answer buttons for triage questions; sources shown."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.api.errors import ApiError
from careguide.api.routers.chat import assistant_of
from careguide.assistant import conversations
from careguide.i18n import t
from careguide.privacy.consent import AccessDenied
from careguide.web.pages import render, verify_form

router = APIRouter(include_in_schema=False)


@router.get("/chat", response_class=HTMLResponse)
def chat_home(request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    recent = conversations.recent(session, found[0], found[0].id, limit=10)
    return render(request, "chat.html", conversation=None, turns=[], recent=recent)


@router.post("/chat", response_class=HTMLResponse)
def chat_new(request: Request, session: SessionDep, csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    row = conversations.start(session, user, user.id, request.app.state.settings.region, resolve_language(request))
    return RedirectResponse(f"/chat/{row.id}", status_code=303)


@router.get("/chat/{conversation_id}", response_class=HTMLResponse)
def chat_page(conversation_id: str, request: Request, session: SessionDep) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    try:
        row = conversations.load(session, found[0], conversation_id)
    except (conversations.ConversationError, AccessDenied):
        raise ApiError(404, "conversations.not_found") from None
    return render(request, "chat.html", conversation=row, turns=conversations.state_of(row).turns, recent=[])


@router.post("/chat/{conversation_id}", response_class=HTMLResponse)
def chat_send(conversation_id: str, request: Request, session: SessionDep, text: str = Form(""),
              csrf_token: str = Form("")) -> Response:
    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    lang = resolve_language(request)
    try:
        result = conversations.answer(session, assistant_of(request), user, conversation_id, text[:20_000])
    except conversations.ConversationError as exc:
        row = conversations.load(session, user, conversation_id)
        return render(request, "chat.html", status=409, conversation=row, turns=conversations.state_of(row).turns,
                      recent=[], error=t(f"conversations.{exc.key}", lang))
    except AccessDenied:
        raise ApiError(404, "conversations.not_found") from None
    row = conversations.load(session, user, conversation_id)
    return render(request, "chat.html", conversation=row, turns=result.state.turns, recent=[], result=result)
