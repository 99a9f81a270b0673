"""One spelling of the text for the detectors, character for character the same length.

Identifiers come written in traditional characters (Hong Kong, Taiwan: 醫生 黃志明, 聯絡電話) and
with full-width digits and letters typed on a Chinese keyboard (１３９ ＠ ．com). The word lists
and patterns are written once, in simplified characters and ASCII; this module maps each
character of the text to that spelling, one for one, so every offset found on the mapped text
holds in the original.
"""

from __future__ import annotations

from functools import lru_cache

_IDEOGRAPHIC_SPACE = "\u3000"
# Full-width ASCII that makes up identifiers (digits, letters, @ . - + _ #). Full-width
# punctuation that Chinese prose uses on its own (，：（）；) stays as written.
_FULL_WIDTH_KEPT = set("，：（）；！？")


def detection_text(text: str) -> str:
    """``text`` in simplified characters and ASCII digits/letters, with the same length."""
    converted = _to_simplified(text)
    if len(converted) != len(text):  # a phrase rule changed the length: convert character by character
        converted = "".join(_simplified_char(c) for c in text)
    return "".join(_ascii_char(c) for c in converted)


def _ascii_char(char: str) -> str:
    code = ord(char)
    if char == _IDEOGRAPHIC_SPACE:
        return " "
    if 0xFF01 <= code <= 0xFF5E and char not in _FULL_WIDTH_KEPT:
        return chr(code - 0xFEE0)
    return char


def _to_simplified(text: str) -> str:
    if all(ord(c) < 0x3000 for c in text):  # no CJK at all: nothing to convert
        return text
    return _converter().convert(text)


@lru_cache(maxsize=4096)
def _simplified_char(char: str) -> str:
    converted = _converter().convert(char) if ord(char) >= 0x3000 else char
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")
