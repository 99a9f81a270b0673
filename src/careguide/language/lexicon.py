"""Phrase lexicon matching in English and Chinese with ConText assertions.

A lexicon maps concept ids to phrases in both languages; ``find`` returns every concept mention
in a text with whether it is present, negated, hypothetical or about another person. Matching is
longest-phrase-first on normalised text; ``...`` inside a phrase allows a short gap
("chest ... tight" matches "chest feels really tight", "胸...疼" matches "胸口有点疼").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from careguide.language.context import Assertion, assertion
from careguide.language.normalise import normalise

_EN_GAP = r"\W+(?:[a-z0-9']+\W+){0,3}"
_ZH_GAP = r"[^,，。.;；!！?？]{0,4}"


@dataclass(frozen=True)
class Mention:
    concept: str
    start: int
    end: int
    text: str
    assertion: Assertion

    @property
    def present(self) -> bool:
        return self.assertion == "present"

    @property
    def negated(self) -> bool:
        return self.assertion == "negated"


def _gap_pattern(phrase: str, zh: bool) -> str:
    parts = [p.strip() for p in normalise(phrase).split("...")]
    if zh:
        return _ZH_GAP.join(re.escape(p) for p in parts if p)
    body = _EN_GAP.join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts if p)
    suffix = r"(?:s|es|ed|d|ing)?" if re.search(r"[a-z]$", parts[-1]) else ""
    return rf"(?<![a-z0-9]){body}{suffix}(?![a-z])"


_WORD = re.compile(r"[a-z0-9']+")
# a negation inside a gap ("lips not swollen", "嘴唇不肿") negates the whole phrase
_GAP_NEGATION = re.compile(r"不|没|无|未|\b(?:not|no|never)\b|n't")
_JOIN = re.compile(r"[\s\-/]+")
_SUFFIXES = ("ing", "es", "ed", "s", "d")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class Lexicon:
    """Phrase matcher over ``{concept: {"en": [...], "zh": [...]}}``.

    Literal phrases are looked up by their first character (Chinese) or first word (English), so a
    lookup costs about the same for ten phrases or ten thousand; phrases with a ``...`` gap are few
    and run as small regular expressions.
    """

    def __init__(self, entries: Mapping[str, Mapping[str, Iterable[str]]]):
        self._zh: dict[str, list[tuple[str, str]]] = {}
        self._en: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # gap phrases run only when every literal part of the phrase occurs in the text
        self._gaps: list[tuple[tuple[str, ...], re.Pattern[str], str]] = []
        self.size = 0
        for concept, by_lang in entries.items():
            for lang, items in by_lang.items():
                if lang not in ("en", "zh"):
                    continue
                for phrase in items:
                    self._add(normalise(phrase), concept)
        for table in (self._zh, self._en):
            for candidates in table.values():
                candidates.sort(key=lambda pc: -len(pc[0]) if isinstance(pc[0], str) else -len(" ".join(pc[0])))

    def _add(self, phrase: str, concept: str) -> None:
        if not phrase:
            return
        self.size += 1
        zh = bool(_CJK.search(phrase))
        if "..." in phrase:
            parts = tuple(p.strip() for p in phrase.split("...") if p.strip())
            self._gaps.append((parts, re.compile(_gap_pattern(phrase, zh)), concept))
        elif zh:
            self._zh.setdefault(phrase[0], []).append((phrase, concept))
        else:
            words = tuple(_WORD.findall(phrase))
            if words:
                self._en.setdefault(words[0], []).append((words, concept))

    def find(self, text: str, *, already_normalised: bool = False) -> list[Mention]:
        """Every mention in ``text`` (both languages, so mixed text works), in text order."""
        norm = text if already_normalised else normalise(text)
        spans: list[tuple[int, int, str]] = [*self._find_zh(norm), *self._find_en(norm)]
        taken = [(a, b) for a, b, _ in spans]
        negated_gaps: set[tuple[int, int]] = set()
        for parts, regex, concept in self._gaps:
            if not all(part in norm for part in parts):
                continue
            for m in regex.finditer(norm):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    spans.append((m.start(), m.end(), concept))
                    taken.append((m.start(), m.end()))
                    if _GAP_NEGATION.search(m.group(0)):
                        negated_gaps.add((m.start(), m.end()))
        spans.sort()
        return [Mention(concept, a, b, norm[a:b], "negated" if (a, b) in negated_gaps else assertion(norm, a, b))
                for a, b, concept in spans]

    def _find_zh(self, norm: str) -> list[tuple[int, int, str]]:
        found = []
        i = 0
        while i < len(norm):
            for phrase, concept in self._zh.get(norm[i], ()):
                if norm.startswith(phrase, i):
                    found.append((i, i + len(phrase), concept))
                    i += len(phrase) - 1
                    break
            i += 1
        return found

    def _find_en(self, norm: str) -> list[tuple[int, int, str]]:
        tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(norm)]
        found = []
        i = 0
        while i < len(tokens):
            match = self._match_en(norm, tokens, i)
            if match is None:
                i += 1
                continue
            end_index, concept = match
            found.append((tokens[i][1], tokens[end_index][2], concept))
            i = end_index + 1
        return found

    def _match_en(self, norm: str, tokens: list[tuple[str, int, int]], i: int) -> tuple[int, str] | None:
        first = tokens[i][0]
        keys = [first] + [first[: -len(s)] for s in _SUFFIXES if first.endswith(s) and len(first) > len(s) + 2]
        best: tuple[int, str] | None = None
        for key in keys:
            for words, concept in self._en.get(key, ()):
                end = i + len(words) - 1
                if end >= len(tokens) or (best is not None and end <= best[0]):
                    continue
                if all(_word_matches(tokens[i + k][0], w, last=(k == len(words) - 1)) for k, w in enumerate(words)) \
                        and all(_JOIN.fullmatch(norm[tokens[i + k][2]:tokens[i + k + 1][1]])
                                for k in range(len(words) - 1)):
                    best = (end, concept)
        return best

    def concepts(self, text: str) -> dict[str, Assertion]:
        """One assertion per concept; a present mention outweighs a negated one elsewhere."""
        result: dict[str, Assertion] = {}
        for mention in self.find(text):
            previous = result.get(mention.concept)
            if previous is None or (mention.assertion == "present" and previous != "present"):
                result[mention.concept] = mention.assertion
        return result


def _word_matches(token: str, word: str, *, last: bool) -> bool:
    if token == word:
        return True
    return last and word[-1:].isalpha() and token.startswith(word) and token[len(word):] in _SUFFIXES
