"""Voice: a spoken turn of a conversation (audio in, transcript + checked answer + speech out)."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from careguide.api.deps import CurrentUser, LangDep, SessionDep
from careguide.api.errors import ApiError
from careguide.api.routers.chat import assistant_of
from careguide.assistant import conversations
from careguide.voice import VoiceCapabilities, VoiceError, capabilities, speak
from careguide.voice.turn import hear_turn, pending_options

router = APIRouter(prefix="/api/v1/voice", tags=["voice"])
MAX_SPOKEN_CHARS = 1200  # the spoken answer: its first paragraphs; the whole answer is shown on screen


class SpeakBody(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    lang: str | None = None


def _lang(value: str | None, fallback: str) -> Any:
    return value if value in ("en", "zh") else (fallback if fallback in ("en", "zh") else "en")


def _voice_error(exc: VoiceError, field: str) -> ApiError:
    error = ApiError(422, f"voice.{exc.code}", field)
    error.params = dict(getattr(exc, "params", {}) or {})
    return error


@router.get("/capabilities", response_model=VoiceCapabilities)
def voice_capabilities(user: CurrentUser, lang: LangDep) -> VoiceCapabilities:
    return capabilities(_lang(None, lang))


@router.post("/speak")
def speak_text(body: SpeakBody, user: CurrentUser, lang: LangDep) -> Response:
    try:
        audio = speak(body.text, _lang(body.lang, lang))
    except VoiceError as exc:
        raise _voice_error(exc, "text") from exc
    return Response(audio.wav, media_type=audio.media_type)


@router.post("/conversations/{conversation_id}/turn")
def spoken_turn(conversation_id: str, request: Request, user: CurrentUser, session: SessionDep, lang: LangDep,
                      audio: UploadFile = File(...), language: str | None = Form(None)) -> dict[str, Any]:
    """Transcribe, answer through the assistant (safety first, as typed turns), and read the answer aloud.

    While a triage yes/no question is pending, a spoken "yes" / "没有" / "not sure" answers it as its button would.
    """
    chosen = _lang(language, lang)
    try:
        row = conversations.load(session, user, conversation_id)
    except conversations.ConversationError as exc:
        raise ApiError(404, f"conversations.{exc.key}") from exc
    try:
        heard = hear_turn(audio.file.read(), chosen, pending_options(row.state or {}))
    except VoiceError as exc:
        raise _voice_error(exc, "audio") from exc
    try:
        result = conversations.answer(session, assistant_of(request), user, conversation_id, heard.text, chosen)
    except conversations.ConversationError as exc:
        raise ApiError(409 if exc.key == "busy" else 404, f"conversations.{exc.key}") from exc
    spoken: str | None = None
    try:
        speech = speak("\n\n".join(result.chunks())[:MAX_SPOKEN_CHARS], chosen)
        spoken = base64.b64encode(speech.wav).decode("ascii")
    except VoiceError:
        spoken = None  # no voice for this language here: the answer is still shown
    return {"transcript": heard.said, "answered": heard.answer, "turn": result.public_dict(),
            "audio_wav_base64": spoken, "conversation_id": conversation_id}
