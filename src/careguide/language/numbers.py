"""Numbers written in digits, English words or Chinese numerals."""

from __future__ import annotations

import re

_EN_WORDS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "couple": 2, "a couple of": 2, "couple of": 2, "few": 3, "a few": 3, "several": 3, "half": 0.5,
    "a half": 0.5, "half a": 0.5,
}
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
ZH_NUMERAL_CHARS = "零〇一二两俩三四五六七八九十百千半几"
EN_NUMBER_WORDS = "|".join(sorted((re.escape(w) for w in _EN_WORDS), key=len, reverse=True))


def parse_number(token: str) -> float | None:
    """``"3"`` 3, ``"2.5"`` 2.5, ``"three"`` 3, ``"twenty five"`` 25, ``"三十五"`` 35, ``"半"`` 0.5, ``"几"`` 3."""
    token = (token or "").strip().lower()
    if not token:
        return None
    try:
        return float(token)
    except ValueError:
        pass
    if token in _EN_WORDS:
        return float(_EN_WORDS[token])
    parts = re.split(r"[\s-]+", token)
    if len(parts) == 2 and parts[0] in _EN_WORDS and parts[1] in _EN_WORDS:
        return float(_EN_WORDS[parts[0]] + _EN_WORDS[parts[1]])
    return _parse_chinese(token)


def _parse_chinese(token: str) -> float | None:
    if token == "半":
        return 0.5
    if token in ("几", "几个"):
        return 3.0  # "几天" is read as a few days
    if not token or any(ch not in ZH_NUMERAL_CHARS for ch in token):
        return None
    total, current = 0, 0
    for ch in token:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (current or 1) * _ZH_UNITS[ch]
            current = 0
        elif ch == "几":
            current = 3
        else:
            return None
    return float(total + current)
