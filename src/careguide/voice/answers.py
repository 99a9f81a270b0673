"""Spoken answers to a yes/no question ("yeah", "not sure", "是的", "不知道") -> yes / no / dont_know.

The phrases are data (``data/answers.yaml``). Matching is longest-phrase-first over the
normalised transcript, so "not sure" is dont_know and "我不知道" is not "不" (no). Two
different answers in one reply ("yes ... no") are not guessed: the caller asks again.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel

from careguide.voice.base import AnswerId

_DATA = Path(__file__).parent / "data" / "answers.yaml"
ANSWER_IDS: tuple[AnswerId, ...] = ("yes", "no", "dont_know")


class AnswerPhrases(BaseModel):
    answers: dict[str, dict[AnswerId, list[str]]]


class RecognisedAnswer(BaseModel):
    answer: AnswerId | None
    matched: list[str]
    transcript: str


def recognise_answer(transcript: str, lang: str) -> RecognisedAnswer:
    """The answer id a transcript gives, or ``answer=None`` when it gives none or several."""
    text = _normalise(transcript, lang)
    found: list[tuple[str, AnswerId]] = []
    for phrase, answer in _phrases(lang):
        pattern = _phrase_pattern(phrase, lang)
        if pattern.search(text):
            found.append((phrase, answer))
            text = pattern.sub(" | ", text)  # a matched phrase cannot match again as a shorter one
    answers = {answer for _, answer in found}
    chosen = answers.pop() if len(answers) == 1 else None
    return RecognisedAnswer(answer=chosen, matched=[phrase for phrase, _ in found], transcript=transcript)


@lru_cache(maxsize=1)
def answer_phrases() -> AnswerPhrases:
    return AnswerPhrases.model_validate(yaml.safe_load(_DATA.read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def _phrases(lang: str) -> list[tuple[str, AnswerId]]:
    table = answer_phrases().answers.get(lang, {})
    pairs = [(_normalise(p, lang), answer) for answer, phrases in table.items() for p in phrases]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


@lru_cache(maxsize=512)
def _phrase_pattern(phrase: str, lang: str) -> re.Pattern[str]:
    if lang == "zh":
        return re.compile(re.escape(phrase))
    return re.compile(rf"(?<![a-z']){re.escape(phrase)}(?![a-z'])")


def _normalise(text: str, lang: str) -> str:
    text = text.lower().replace("’", "'")
    if lang == "zh":
        from careguide.voice.chinese import to_simplified

        text = to_simplified(text)
        return re.sub(r"[\s\W_]+", " ", text).strip()
    text = re.sub(r"[^a-z' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
