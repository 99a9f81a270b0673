"""Spoken answers to a yes/no question ("yeah", "not sure", "是的", "不知道") -> yes / no / dont_know.

The phrases are data (``data/answers.yaml``). Matching is longest-phrase-first over the
normalised transcript, so "not sure" is dont_know and "我不知道" is not "不" (no). Two
different answers in one reply ("yes ... no") are not guessed: the caller asks again.

Mandarin is matched on toneless pinyin, because recognisers mostly err by homophones
("不知到" for 不知道). A one-character phrase (不, 对, 有, 无) counts only when it is the whole
reply: inside a garbled transcript a lone 不 is more often noise than an answer, and a wrong
"no" in triage is worse than asking again.
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
    whole_reply = _strip_particles(text) if lang == "zh" else text
    if lang == "zh":
        text = _pinyin(text)
    found: list[tuple[str, AnswerId]] = []
    for phrase, answer in _phrases(lang):
        if lang == "zh" and len(phrase) == 1 and whole_reply.replace(phrase, "") != "":
            continue
        pattern = _phrase_pattern(_pinyin(phrase) if lang == "zh" else phrase, lang)
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
    return re.compile(rf"(?<![a-z']){re.escape(phrase)}(?![a-z'])")


@lru_cache(maxsize=1024)
def _pinyin(text: str) -> str:
    """Toneless pinyin syllables separated by spaces; a pause (|) between phrases is kept."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL))


def _strip_particles(text: str) -> str:
    # Modal particles and repeats ("对啊", "对对") do not change a one-word reply.
    return re.sub(r"[\s啊呀呢吧了的嘛哦喔]+", "", text)


def _normalise(text: str, lang: str) -> str:
    text = text.lower().replace("’", "'")
    if lang == "zh":
        from careguide.voice.chinese import to_simplified

        text = to_simplified(text)
        return re.sub(r"[\s\W_]+", " ", text).strip()
    text = re.sub(r"[^a-z' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
