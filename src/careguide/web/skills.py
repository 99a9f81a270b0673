"""Pages of the skills: claim check (more as the skills land)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from careguide.api.deps import SessionDep, resolve_language
from careguide.factcheck import FactcheckInputError, FactcheckResult, check_text
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
def check_submit(request: Request, session: SessionDep, text: str = Form(""), csrf_token: str = Form("")) -> Response:
    verify_form(request, session, csrf_token)
    lang = resolve_language(request)
    try:
        result = check_text(text, lang)
    except FactcheckInputError as exc:
        return render(request, "check.html", status=422, text=text, error=exc.message(lang))
    return render(request, "check.html", text=text, result=result, pieces=highlighted(text, result))
