"""The voice page: one large button to talk to the assistant, the answer shown large and read aloud.

The page itself is plain HTML; ``static/voice.js`` records with the browser's MediaRecorder
(WebM/Opus in Chrome and Firefox, MP4/AAC on iPhone - the server decodes both) and sends each
recorded turn to ``/api/v1/voice/conversations/{id}/turn``. Where no engine listens in the
person's language, the page says so and offers typing instead.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.voice import capabilities
from careguide.voice.settings import get_voice_settings
from careguide.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/voice", response_class=HTMLResponse)
def voice_page(request: Request, session: SessionDep) -> Response:
    if caller(request, session) is None:
        return RedirectResponse("/login", status_code=303)
    lang = resolve_language(request)
    able = capabilities("zh" if lang == "zh" else "en")
    return render(request, "voice.html", voice=able, max_seconds=int(get_voice_settings().max_audio_seconds))
