"""Chinese word segmentation (jieba) with a medical user dictionary."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

_lock = threading.Lock()
_ready = False
_extra: set[str] = set()
# Medical words jieba's general dictionary splits wrongly; skills add their own with add_words().
MEDICAL_WORDS = (
    "糖化血红蛋白", "二甲双胍", "幽门螺杆菌", "甲状腺", "甲亢", "甲减", "心绞痛", "心肌梗死", "心梗", "脑梗",
    "脑梗塞", "房颤", "早搏", "转氨酶", "肌酐", "尿蛋白", "胆结石", "肾结石", "荨麻疹", "湿疹", "痛经", "白带",
    "胎动", "见红", "拉肚子", "胸闷", "气短", "咳痰", "咯血", "便血", "黑便", "尿频", "尿急", "尿痛", "血尿",
    "头晕", "眩晕", "耳鸣", "鼻塞", "流鼻涕", "嗓子疼", "咽喉痛", "发烧", "发热", "高烧", "低烧", "乏力",
    "心慌", "心悸", "反酸", "烧心", "腹胀", "腹泻", "便秘", "失眠", "抑郁", "焦虑", "乙肝", "大三阳", "小三阳",
)
_UNIT = re.compile(r"\d+(?:\.\d+)?\s*(?:mmol/l|mg/dl|mmhg|g/l|u/l|umol/l|%|℃)", re.IGNORECASE)


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter domain words (lexicon phrases, analyte names)."""
    global _ready
    new = {w for w in words if w and "..." not in w}
    with _lock:
        if not new - _extra:
            return
        _extra.update(new)
        if _ready:
            import jieba

            for word in new:
                jieba.add_word(word)


def _ensure() -> None:
    global _ready
    with _lock:
        if _ready:
            return
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        for word in (*MEDICAL_WORDS, *_extra):
            jieba.add_word(word)
        _ready = True


def segment(text: str) -> list[str]:
    """Words of a Chinese or mixed text; numbers with units (``5.6 mmol/L``) stay one token."""
    _ensure()
    import jieba

    tokens: list[str] = []
    position = 0
    for unit in _UNIT.finditer(text):
        tokens.extend(t for t in jieba.lcut(text[position:unit.start()]) if t.strip())
        tokens.append(unit.group(0))
        position = unit.end()
    tokens.extend(t for t in jieba.lcut(text[position:]) if t.strip())
    return tokens
