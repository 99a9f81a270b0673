"""What a recorded conversation turn says, given the question the assistant is waiting on.

When the pending question offers yes / no answers (a triage question), the recording is heard
as a reply to it (:func:`hear_answer`, primed with the answer words) and a clear reply becomes
that option's label, exactly as if the person had pressed the button. Anything else - an
unclear reply, a new symptom ("my chest hurts now") - goes to the assistant as said, so the
safety layer reads it and the interview asks again rather than guessing an answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from careguide.voice.base import AnswerId, Transcript, VoiceError, VoiceLang
from careguide.voice.service import hear_answer, transcribe

YES_NO_IDS = frozenset({"yes", "no"})


class SpokenTurn(BaseModel):
    transcript: Transcript
    said: str  # what the person said, to show them (without words the recogniser was primed with)
    text: str  # what the assistant is given: ``said``, or the label of the option it answered
    answer: AnswerId | None = None


def hear_turn(audio: bytes, lang: VoiceLang, pending_options: list[dict[str, Any]] | None = None) -> SpokenTurn:
    """The text to give the assistant for a recorded turn; raises :class:`VoiceError` like :func:`transcribe`."""
    options = {str(o.get("id")): str(o.get("label") or o.get("id")) for o in pending_options or []}
    if not YES_NO_IDS <= options.keys():
        transcript = transcribe(audio, lang)
        return SpokenTurn(transcript=transcript, said=transcript.text, text=transcript.text)
    heard = hear_answer(audio, lang)
    said = heard.answer.transcript.strip()
    if not said:  # only the primed answer words came back: nothing the person said was heard
        raise VoiceError("not_understood", f"{heard.transcript.engine} echoed its prompt")
    answer = heard.answer.answer
    if answer is not None and answer in options:
        return SpokenTurn(transcript=heard.transcript, said=said, text=options[answer], answer=answer)
    return SpokenTurn(transcript=heard.transcript, said=said, text=said)


def pending_options(conversation_state: dict[str, Any]) -> list[dict[str, Any]]:
    """The answer options of the triage question a stored conversation is waiting on, if any."""
    triage = conversation_state.get("triage") or {}
    pending = triage.get("pending") or {}
    options = pending.get("options") or []
    return [o for o in options if isinstance(o, dict)]
