"""Chinese text helpers for speech: simplified script and pinyin for espeak-ng."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Pauses: espeak-ng's pinyin voice reads ASCII punctuation as phrase breaks.
_PUNCTUATION = str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "、": ",", "；": ";", "：": ":",
                              "（": ",", "）": ",", "“": "", "”": "", "《": "", "》": "", "…": "."})


def to_simplified(text: str) -> str:
    """Whisper often writes Mandarin in traditional characters; people here read simplified."""
    return _converter().convert(text)


def to_pinyin(text: str) -> str:
    """Hanzi -> tone-numbered pinyin syllables (``xue4 ya1``), other text kept, punctuation as pauses."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text.translate(_PUNCTUATION), style=Style.TONE3, neutral_tone_with_five=True,
                            errors="default")
    joined = " ".join(s.strip() for s in syllables if s.strip())
    return re.sub(r"\s+([,.!?;:])", r"\1", joined)


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")
