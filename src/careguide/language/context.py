"""ConText-style assertion rules (negated / hypothetical / other person) for English and Chinese.

Chapman et al.'s ConText algorithm: a trigger term opens a scope that runs to the end of the clause
or to a terminator word; a concept inside the scope takes the trigger's assertion. Pseudo-triggers
("no increase", "不停", "无明显诱因") look like triggers but are not, and are blanked out first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Assertion = Literal["present", "negated", "hypothetical", "other_person"]

_EN_PSEUDO = [
    "not only", "no increase", "no change", "not sure", "not certain", "not very", "not too", "not that",
    "not much", "no idea", "not know", "no matter", "not stop", "won't stop", "doesn't stop", "not go away",
    "not going away", "no better", "not better", "not improving", "not getting better", "no relief",
    "not respond", "no reason", "no obvious cause", "not eating", "not drinking", "not feeding",
    "gram negative", "not responding", "not waking", "not breathing", "no energy", "no appetite",
    "not able", "no longer able", "without warning", "not helped", "not helping", "nothing helps",
    "without me", "without him", "without her", "without us",
]
_EN_NEGATION = [
    "no", "not", "without", "denies", "denied", "deny", "never", "none", "nor", "neither", "free of",
    "absence of", "negative for", "ruled out", "don't have", "dont have", "doesn't have", "didn't have",
    "haven't had", "hasn't had", "haven't", "hasn't", "didn't", "doesn't", "don't", "isn't", "wasn't",
    "no sign of", "no signs of", "no history of", "no longer",
]
_EN_HYPOTHETICAL = ["if", "in case", "whether", "should i get", "what if", "worried about getting", "prevent"]
_EN_OTHER = ["family history of", "family history", "runs in the family", "my family has"]
_EN_TERMINATORS = {
    "but", "however", "yet", "though", "although", "except", "apart", "aside", "which", "who", "i", "my",
    "she", "he", "her", "his", "it", "started", "now", "also", "then", "while", "because", "since", "today",
    "i've", "i'm", "i'd", "i'll", "we", "we've", "they", "you", "he's", "she's", "it's", "this", "yesterday",
}
_EN_POST_NEGATION = re.compile(r"^\s*(?:is |was )?(?:absent|denied|not present|negative|none|-ve)\b")

_ZH_PSEUDO = [
    "无明显诱因", "没有明显诱因", "无诱因", "没有诱因", "没有原因", "没什么原因", "无明显原因", "不明原因",
    "原因不明", "不停", "不断", "不止", "不时", "不明", "不小心", "不知道", "不知", "不确定", "不太", "不是很",
    "不怎么", "不一定", "不规律", "不好", "不行", "不舒服", "不适", "不了", "不住", "没多久", "没过多久",
    "没想到", "没办法", "没事", "没用", "无效", "没效果", "不见好", "没好", "没有好转", "不退", "没退",
    "没有缓解", "不缓解", "无法", "不能", "不见效", "不管用", "无缘无故", "没来由", "没什么胃口", "没胃口",
    "没力气", "没精神", "没劲", "不醒", "叫不醒", "不出", "不清", "不安", "不良", "不全", "不畅", "不稳",
    "不对称", "不正常", "不规则", "不均", "不下", "不动", "无力", "乏力", "没有力气", "没有胃口", "没食欲",
    "没有食欲", "毫无", "不着", "不到", "不上",
]
_ZH_NEGATION = ["并没有", "从来没有", "没有", "从未", "未见", "未曾", "否认", "并无", "不伴有", "不伴", "没", "无", "未"]
_ZH_NEGATION_NEAR = ["不"]  # only when directly before the concept: 不烧, 不咳
_ZH_HYPOTHETICAL = ["如果", "万一", "要是", "假如", "会不会", "是否会", "预防", "担心会", "怕会", "以防"]
_ZH_OTHER = ["家族史", "家里人有", "家族中有", "遗传"]
_ZH_TERMINATORS = ["但是", "但", "可是", "不过", "却", "而且", "还有", "现在", "今天", "又", "然后", "并且有"]
_ZH_POST_NEGATION = re.compile(r"^\s*(?:也|都)?(?:没有|无|阴性|\(-\)|正常)\s*(?=[,，。.;；!！?？]|$)")

_CLAUSE_END = re.compile(r"[.;!?。；！？\n]")
_ZH_CLAUSE_END = re.compile(r"[.;!?。；！？\n,，]")


@dataclass(frozen=True)
class AssertionRules:
    """The trigger lists, exposed so a skill can extend them (e.g. a report's "(-)" columns)."""

    en_negation: tuple[str, ...] = tuple(_EN_NEGATION)
    zh_negation: tuple[str, ...] = tuple(_ZH_NEGATION)


@lru_cache(maxsize=16)
def _clause_ends(text: str, chinese: bool) -> list[int]:
    """Positions just after each clause break, computed once per text."""
    regex = _ZH_CLAUSE_END if chinese else _CLAUSE_END
    return [m.end() for m in regex.finditer(text)]


def _clause_start(text: str, start: int, chinese: bool) -> int:
    ends = _clause_ends(text, chinese)
    i = bisect_right(ends, start)
    return ends[i - 1] if i else 0


def _blank(text: str, phrases: list[str]) -> str:
    """Replace pseudo-trigger phrases by spaces of the same length so offsets stay valid."""
    for phrase in phrases:
        if phrase in text:
            text = text.replace(phrase, "#" * len(phrase))
    return text


def assertion(text: str, start: int, end: int) -> Assertion:
    """The assertion of the concept at ``text[start:end]`` (text already normalised)."""
    if re.search(r"[\u4e00-\u9fff]", text[start:end]):
        return _assert_zh(text, start, end)
    return _assert_en(text, start, end)


def _assert_en(text: str, start: int, end: int) -> Assertion:
    clause_start = _clause_start(text, start, chinese=False)
    before = _blank(text[clause_start:start], _EN_PSEUDO)
    words = re.findall(r"[a-z']+|#+", before)
    # walk back from the concept to the nearest trigger, stopping at a terminator word
    for i in range(len(words) - 1, -1, -1):
        window = " ".join(words[i:])
        if any(window.startswith(t + " ") or window == t for t in _EN_OTHER):
            return "other_person"
        if any(window.startswith(t + " ") or window == t for t in _EN_HYPOTHETICAL):
            return "hypothetical"
        if any(window.startswith(t + " ") or window == t for t in _EN_NEGATION):
            if len(words) - i <= 9:
                return "negated"
        if words[i] in _EN_TERMINATORS:
            break
    if _EN_POST_NEGATION.match(text[end:]):
        return "negated"
    return "present"


def _assert_zh(text: str, start: int, end: int) -> Assertion:
    clause_start = _clause_start(text, start, chinese=True)
    before = _blank(text[clause_start:start], _ZH_PSEUDO)
    for term in _ZH_TERMINATORS:
        idx = before.rfind(term)
        if idx >= 0:
            before = before[idx + len(term):]
    if any(term in before for term in _ZH_OTHER):
        return "other_person"
    if any(term in before for term in _ZH_HYPOTHETICAL):
        return "hypothetical"
    for term in _ZH_NEGATION:
        idx = before.rfind(term)
        if idx >= 0 and len(before) - (idx + len(term)) <= 12:
            return "negated"
    if any(before.endswith(term) for term in _ZH_NEGATION_NEAR):
        return "negated"
    if _ZH_POST_NEGATION.match(text[end:]):
        return "negated"
    return "present"
