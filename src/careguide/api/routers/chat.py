"""The assistant over HTTP: conversations, turns (JSON or server-sent events), history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from careguide.api.deps import CurrentUser, LangDep, SessionDep, SettingsDep
from careguide.api.errors import ApiError
from careguide.assistant import conversations
from careguide.assistant.assistant import Assistant, TurnResult
from careguide.assistant.state import Turn

router = APIRouter(prefix="/api/v1/chat", tags=["assistant"])


class NewConversation(BaseModel):
    person_id: int | None = None
    agent_id: str | None = Field(default=None, description="talk to one doctor agent")


class Message(BaseModel):
    text: str = Field(max_length=20_000)
    lang: str | None = None


class ConversationOut(BaseModel):
    id: str
    person_id: int
    agent_id: str | None
    turns: list[Turn]


def assistant_of(request: Request) -> Assistant:
    """One assistant per app (it holds the article index); built on first use."""
    cached: Assistant | None = getattr(request.app.state, "assistant", None)
    if cached is None:
        settings = request.app.state.settings
        cached = Assistant(settings, use_embeddings=settings.assistant_embeddings)
        request.app.state.assistant = cached
    return cached


def _error(exc: conversations.ConversationError) -> ApiError:
    return ApiError(409 if exc.key == "busy" else 404, f"conversations.{exc.key}")


@router.post("/conversations", response_model=ConversationOut, status_code=201)
def start(body: NewConversation, user: CurrentUser, session: SessionDep, settings: SettingsDep,
          lang: LangDep) -> ConversationOut:
    row = conversations.start(session, user, body.person_id or user.id, settings.region, lang)
    if body.agent_id:
        state = conversations.state_of(row)
        state.agent_id = body.agent_id
        row.state = state.model_dump(mode="json")
    return ConversationOut(id=row.id, person_id=row.person_id, agent_id=body.agent_id, turns=[])


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
def read(conversation_id: str, user: CurrentUser, session: SessionDep) -> ConversationOut:
    try:
        row = conversations.load(session, user, conversation_id)
    except conversations.ConversationError as exc:
        raise _error(exc) from exc
    state = conversations.state_of(row)
    return ConversationOut(id=row.id, person_id=row.person_id, agent_id=state.agent_id, turns=state.turns)


@router.post("/conversations/{conversation_id}/messages", response_model=None)
def send(conversation_id: str, body: Message, request: Request, user: CurrentUser,
         session: SessionDep) -> dict[str, Any] | StreamingResponse:
    """One turn. With ``Accept: text/event-stream`` the checked answer streams as server-sent events
    (``chunk`` events, then one ``done`` event with the whole result); otherwise one JSON object."""
    try:
        result = conversations.answer(session, assistant_of(request), user, conversation_id, body.text,
                                      body.lang)
    except conversations.ConversationError as exc:
        raise _error(exc) from exc
    payload = result.public_dict() | {"conversation_id": conversation_id}
    if "text/event-stream" not in request.headers.get("accept", ""):
        return payload
    session.commit()  # the turn is saved before the first byte is streamed
    return StreamingResponse(_events(result, payload), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _events(result: TurnResult, payload: dict[str, Any]) -> Iterator[str]:
    for chunk in result.chunks():
        yield f"event: chunk\ndata: {json.dumps({'text': chunk}, ensure_ascii=False)}\n\n"
    yield f"event: done\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"
