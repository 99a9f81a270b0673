"""Text rewritten the way it should be read aloud, in English or Mandarin.

"BP 120/80 mmHg" -> "blood pressure one hundred and twenty over eighty millimetres of mercury";
"血压120/80" -> "血压高压一百二十，低压八十". Units and abbreviations are data
(``data/speech_units.yaml``); the patterns below are the generic shapes of numbers, dates,
times, ranges, blood pressures and phone numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel

from careguide.voice.number_words import (
    en_digits,
    en_integer,
    en_number,
    en_ordinal,
    en_year,
    zh_digits,
    zh_integer,
    zh_number,
    zh_year,
)

_DATA = Path(__file__).parent / "data" / "speech_units.yaml"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MONTHS = ("January February March April May June July August September October November "
           "December").split()
# Plausible arterial pressures: a pair outside these is a fraction or a ratio, not a blood pressure.
_SYSTOLIC, _DIASTOLIC = range(50, 301), range(20, 201)
# Measure words after which 2 is said 两 (两片, 两次, 两天), not 二.
_ZH_MEASURE_WORDS = "个片粒次天周年岁顿杯瓶袋支口斤位名种条只遍回趟"


class SpeechUnit(BaseModel):
    symbol: str
    en: str
    en_one: str
    zh: str


class SpeechLexicon(BaseModel):
    units: list[SpeechUnit]
    abbreviations: dict[str, dict[str, str]]


def for_speech(text: str, lang: str) -> str:
    """``text`` with numbers, units, dates, times and abbreviations written out as spoken words."""
    return _for_speech_zh(text) if lang == "zh" else _for_speech_en(text)


@lru_cache(maxsize=1)
def lexicon() -> SpeechLexicon:
    return SpeechLexicon.model_validate(yaml.safe_load(_DATA.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _unit_pattern() -> re.Pattern[str]:
    symbols = sorted((u.symbol for u in lexicon().units), key=len, reverse=True)
    alternatives = "|".join(re.escape(s) for s in symbols)
    return re.compile(rf"(?P<num>{_NUM})(?:\s*(?:-|–|~|～|to|到|至)\s*(?P<num2>{_NUM}))?\s?"
                      rf"(?P<unit>{alternatives})(?![A-Za-z])")


def _unit(symbol: str) -> SpeechUnit:
    return next(u for u in lexicon().units if u.symbol == symbol)


def _abbreviations(text: str, lang: str) -> str:
    for short, spoken in lexicon().abbreviations.get(lang, {}).items():
        if short.isalnum() or short.replace(".", "").isalnum():
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(short)}(?![A-Za-z0-9])", spoken, text)
        else:
            text = text.replace(short, f" {spoken} ")
    return text


def _blood_pressure(match: re.Match[str]) -> tuple[int, int] | None:
    systolic, diastolic = int(match["sys"]), int(match["dia"])
    if systolic in _SYSTOLIC and diastolic in _DIASTOLIC and systolic > diastolic:
        return systolic, diastolic
    return None


_BP = re.compile(r"(?<![\d/.])(?P<sys>\d{2,3})\s*/\s*(?P<dia>\d{2,3})(?![\d/.])(?P<unit>\s*mmHg)?")
_ISO_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_TIME = re.compile(r"(?<![\d:])(?P<h>\d{1,2}):(?P<min>\d{2})(?![\d:])")
_EN_PHONE = re.compile(r"(?i)\b(?P<verb>call|dial|phone|ring)\s+(?P<num>\d{3,})\b")
_ZH_PHONE = re.compile(r"(?P<verb>拨打|打|呼叫|电话)\s*(?P<num>\d{3,})")
_LONG_DIGITS = re.compile(r"(?<![\d.])\d{7,}(?![\d.])")


def _for_speech_en(text: str) -> str:
    text = _abbreviations(text, "en")

    def date(m: re.Match[str]) -> str:
        year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m[0]
        return f"{_MONTHS[month - 1]} {en_ordinal(day)}, {en_year(year)}"

    def time(m: re.Match[str]) -> str:
        hour, minute = int(m["h"]), int(m["min"])
        if hour > 23 or minute > 59:
            return m[0]
        if minute == 0:
            return f"{en_integer(hour)} o'clock"
        return f"{en_integer(hour)} {'oh ' if minute < 10 else ''}{en_integer(minute)}"

    def pressure(m: re.Match[str]) -> str:
        pair = _blood_pressure(m)
        if pair is None:
            return m[0]
        unit = f" {_unit('mmHg').en}" if m["unit"] else ""
        return f"{en_integer(pair[0])} over {en_integer(pair[1])}{unit}"

    def measure(m: re.Match[str]) -> str:
        unit = _unit(m["unit"])
        if m["num2"]:
            return f"{en_number(m['num'])} to {en_number(m['num2'])} {unit.en}"
        return f"{en_number(m['num'])} {unit.en_one if m['num'] == '1' else unit.en}"

    text = _ISO_DATE.sub(date, text)
    text = _TIME.sub(time, text)
    text = _EN_PHONE.sub(lambda m: f"{m['verb']} {en_digits(m['num'])}", text)
    text = _LONG_DIGITS.sub(lambda m: en_digits(m[0]), text)
    text = _BP.sub(pressure, text)
    text = _unit_pattern().sub(measure, text)
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: en_ordinal(int(m[1])), text)
    text = re.sub(rf"(?P<a>{_NUM})\s*(?:-|–|~)\s*(?P<b>{_NUM})",
                  lambda m: f"{en_number(m['a'])} to {en_number(m['b'])}", text)
    text = re.sub(_NUM, lambda m: en_number(m[0]), text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _for_speech_zh(text: str) -> str:
    text = _abbreviations(text, "zh")

    def date(m: re.Match[str]) -> str:
        month, day = int(m["m"]), int(m["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m[0]
        return f"{zh_year(m['y'])}年{zh_integer(month)}月{zh_integer(day)}日"

    def time(m: re.Match[str]) -> str:
        hour, minute = int(m["h"]), int(m["min"])
        if hour > 23 or minute > 59:
            return m[0]
        hour_words = "两" if hour == 2 else zh_integer(hour)
        if minute == 0:
            return f"{hour_words}点"
        return f"{hour_words}点{'零' if minute < 10 else ''}{zh_integer(minute)}分"

    def pressure(m: re.Match[str]) -> str:
        pair = _blood_pressure(m)
        if pair is None:
            return m[0]
        unit = _unit("mmHg").zh if m["unit"] else ""
        return f"高压{zh_integer(pair[0])}，低压{zh_integer(pair[1])}{unit}"

    def measure(m: re.Match[str]) -> str:
        unit = _unit(m["unit"])
        if unit.symbol == "%":
            if m["num2"]:
                return f"百分之{zh_number(m['num'])}到百分之{zh_number(m['num2'])}"
            return f"百分之{zh_number(m['num'])}"
        if m["num2"]:
            return f"{zh_number(m['num'])}到{zh_number(m['num2'])}{unit.zh}"
        return f"{zh_number(m['num'])}{unit.zh}"

    def number(m: re.Match[str]) -> str:
        following = text_after(m)
        if m[0] == "2" and following[:1] and following[0] in _ZH_MEASURE_WORDS:
            return "两"
        return zh_number(m[0])

    def text_after(m: re.Match[str]) -> str:
        return m.string[m.end():m.end() + 1]

    text = _ISO_DATE.sub(date, text)
    text = re.sub(r"(\d{4})年", lambda m: f"{zh_year(m[1])}年", text)
    text = _TIME.sub(time, text)
    text = _ZH_PHONE.sub(lambda m: f"{m['verb']}{zh_digits(m['num'])}", text)
    text = _LONG_DIGITS.sub(lambda m: zh_digits(m[0]), text)
    text = _BP.sub(pressure, text)
    text = _unit_pattern().sub(measure, text)
    text = re.sub(rf"(?P<a>{_NUM})\s*(?:-|–|~|～)\s*(?P<b>{_NUM})",
                  lambda m: f"{zh_number(m['a'])}到{zh_number(m['b'])}", text)
    text = re.sub(_NUM, number, text)
    return re.sub(r"\s{2,}", " ", text).strip()
