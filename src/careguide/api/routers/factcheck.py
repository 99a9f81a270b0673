"""Check a health claim or advert: text or a photo/screenshot. Nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel, Field

from careguide.api.deps import LangDep, OptionalUser
from careguide.api.errors import ApiError
from careguide.factcheck import MAX_CHARS, FactcheckInputError, FactcheckResult, check_text

router = APIRouter(prefix="/api/v1/check", tags=["claim check"])


class CheckBody(BaseModel):
    text: str = Field(max_length=MAX_CHARS * 2)
    lang: str | None = Field(default=None, description="Language of the explanation; default: the text's.")


def run_check(text: str, lang: str | None) -> FactcheckResult:
    try:
        return check_text(text, lang)
    except FactcheckInputError as exc:
        raise ApiError(422, f"factcheck.error_{exc.code}", "text", **exc.params) from exc


@router.post("", response_model=FactcheckResult)
def check(body: CheckBody, lang: LangDep, user: OptionalUser) -> FactcheckResult:
    return run_check(body.text, body.lang or None)


@router.post("/image", response_model=FactcheckResult)
def check_image(lang: LangDep, user: OptionalUser, image: UploadFile = File(...)) -> FactcheckResult:
    """A photo or screenshot of the advert: its text is read with OCR, then checked."""
    from careguide.factcheck.ocr import extract_text_from_image

    try:
        text = extract_text_from_image(image.file.read())
    except FactcheckInputError as exc:
        raise ApiError(422, f"factcheck.error_{exc.code}", "image", **exc.params) from exc
    return run_check(text, lang)
