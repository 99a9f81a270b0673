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


def _pattern(phrase: str, zh: bool) -> str:
    parts = [p.strip() for p in normalise(phrase).split("...")]
    if zh:
        return _ZH_GAP.join(re.escape(p) for p in parts if p)
    body = _EN_GAP.join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts if p)
    suffix = r"(?:s|es|ed|d|ing)?" if re.search(r"[a-z]$", parts[-1]) else ""
    return rf"(?<![a-z0-9]){body}{suffix}(?![a-z])"


class Lexicon:
    """Compiled phrase matcher over ``{concept: {"en": [...], "zh": [...]}}``."""

    def __init__(self, entries: Mapping[str, Mapping[str, Iterable[str]]]):
        self._groups: dict[str, str] = {}
        self._regex: dict[str, re.Pattern[str] | None] = {}
        phrases: dict[str, list[tuple[str, str]]] = {"en": [], "zh": []}
        for concept, by_lang in entries.items():
            for lang, items in by_lang.items():
                for phrase in items:
                    key = "zh" if re.search(r"[\u4e00-\u9fff]", phrase) else "en"
                    if lang in ("en", "zh"):
                        phrases[key].append((phrase, concept))
        self.size = sum(len(v) for v in phrases.values())
        for lang, pairs in phrases.items():
            pairs.sort(key=lambda pc: len(pc[0].replace("...", "")), reverse=True)
            alternatives = []
            for i, (phrase, concept) in enumerate(pairs):
                name = f"{lang}{i}"
                self._groups[name] = concept
                alternatives.append(f"(?P<{name}>{_pattern(phrase, lang == 'zh')})")
            self._regex[lang] = re.compile("|".join(alternatives)) if alternatives else None

    def find(self, text: str, *, already_normalised: bool = False) -> list[Mention]:
        """Every mention in ``text`` (both languages, so mixed text works), in text order."""
        norm = text if already_normalised else normalise(text)
        found: list[Mention] = []
        for regex in self._regex.values():
            if regex is None:
                continue
            for match in regex.finditer(norm):
                concept = self._groups[match.lastgroup or ""]
                found.append(Mention(concept, match.start(), match.end(), match.group(0),
                                     assertion(norm, match.start(), match.end())))
        found.sort(key=lambda m: m.start)
        return found

    def concepts(self, text: str) -> dict[str, Assertion]:
        """One assertion per concept; a present mention outweighs a negated one elsewhere."""
        result: dict[str, Assertion] = {}
        for mention in self.find(text):
            previous = result.get(mention.concept)
            if previous is None or (mention.assertion == "present" and previous != "present"):
                result[mention.concept] = mention.assertion
        return result
