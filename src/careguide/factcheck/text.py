"""Input checks and the light text handling the matcher needs, keeping character offsets intact.

Spans returned to the reader must point into the text they sent, so normalisation here is strictly
one character for one character (full-width ASCII to half-width, traditional to simplified Chinese);
case is handled by the regexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from careguide.i18n import t
from careguide.language import detect_language, has_meaningful_text
from careguide.language.normalise import TRAD_TO_SIMP

MAX_CHARS = 20_000

_ONE_TO_ONE = str.maketrans(
    {**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "\u3000": " ", "\u2019": "'", "\u2018": "'",
     **TRAD_TO_SIMP}
)
# Sentence ends: Chinese and English full stops, question and exclamation marks, semicolons, line breaks.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|\.(?=\s|$)|…+")


class FactcheckInputError(ValueError):
    """Input the checker cannot work on; ``message(lang)`` says why in the reader's language."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str | None) -> str:
        return t(f"factcheck.error_{self.code}", lang, **self.params)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def validate(text: object) -> tuple[str, str]:
    """The text and its language (en / zh), or a :class:`FactcheckInputError`."""
    if not isinstance(text, str) or not text.strip():
        raise FactcheckInputError("empty")
    if len(text) > MAX_CHARS:
        raise FactcheckInputError("too_long", limit=MAX_CHARS, length=len(text))
    guess = detect_language(text)
    if guess.language == "unsupported":
        raise FactcheckInputError("unsupported_language")
    if not has_meaningful_text(text):
        raise FactcheckInputError("no_text")
    if guess.language == "zh":
        return text, "zh"
    if guess.language == "en" and _reads_as_english(text):
        return text, "en"
    raise FactcheckInputError("unsupported_language")


def normalise_for_matching(text: str) -> str:
    """Same length as ``text``: offsets of matches in the result are offsets in the original."""
    out = text.translate(_ONE_TO_ONE)
    assert len(out) == len(text)
    return out


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; empty pieces dropped."""
    found: list[Sentence] = []
    start = 0
    for end_mark in _SENTENCE_END.finditer(text):
        _add(found, text, start, end_mark.end())
        start = end_mark.end()
    _add(found, text, start, len(text))
    return found


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + (len(piece) - len(piece.lstrip()))
        found.append(Sentence(offset, offset + len(stripped), stripped))


_WORD = re.compile(r"[a-zà-ÿ]+(?:'[a-z]+)?")
# Function words of English and of the Latin-script languages a message most often arrives in
# (French, Spanish, German, Italian, Portuguese, Dutch, Indonesian). Headlines may have no English
# function word at all, so a text is refused only when another language's function words outnumber them.
_EN_FUNCTION = frozenset(
    "the a an and or of to in on for with is are was were be it this that you your my i we they he she "
    "not no can will do does did has have had at by from as if but so all any more than then".split()
)
_OTHER_FUNCTION = frozenset(
    "le la les des et est une du pour dans qui sur pas avec sont el los las y es por para con una del "
    "der die das und ist nicht ein eine mit sich auch il di che per non sono della gli um uma não com "
    "het een en van niet zijn yang dan ini itu dengan untuk tidak".split()
)


def _reads_as_english(text: str) -> bool:
    words = _WORD.findall(text.lower())
    english = sum(w in _EN_FUNCTION for w in words)
    other = sum(w in _OTHER_FUNCTION for w in words)
    return not (other >= 2 and other > english)
