"""Finding catalogue patterns and evidence claims in a text, with negation and warning framing.

A hit is dropped when a negation cue stands just before it in the same clause ("don't stop your
medicine", "不要自行停药"), and a whole sentence is set aside when it frames a claim as a warning
or a report ("beware of ...", "谣言", "fined for falsely claiming ...") or when the next sentence
opens by denying it ("It doesn't.", "这个说法没有科学依据"). The cue lists are data
(``knowledge/data/claims/scoring.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from careguide.factcheck.text import Sentence
from careguide.knowledge.claims import (
    ClaimPattern,
    ClaimsCatalogue,
    EvidenceStatement,
    NegationScope,
    RuleSet,
)

LANGS = ("en", "zh")
# How far back, inside one clause, a negation cue still governs a phrase.
_NEGATION_REACH = {"zh": 12, "en": 40}
_CLAUSE_BREAK = re.compile(r"[，,、：:（(“”\"—]| - |\bthat\b|\bbecause\b|\bbut\b|\bwhile\b|\beven if\b|但是|可是|而且|并且")
_LIST_BREAK = re.compile(_CLAUSE_BREAK.pattern + r"|[和及与]|以及|\band\b|\bor\b")
_NO_NEED = re.compile(r"不用|不必|无需|不需要|不再|不吃了|不打了|no longer|no more need|(?:do|does|did)(?:n't| not) need|won't need")
_OWN_PREFIX = re.compile(r"(?:千万|请|可|也|就)?")
# "Disease can't survive in an alkaline body", "癌细胞在碱性环境里活不了": the negation is the claim itself.
_CLAIM_NEGATION = re.compile(r"(?:can't|cannot|can not|won't|doesn't|don't) (?:survive|live|thrive|grow|exist)\b"
                             r"|无法(?:生存|存活)|不能(?:生存|存活)|活不了|活不成")
Rules = list[list[re.Pattern[str]]]


@dataclass(frozen=True)
class Hit:
    """One rule that matched: the spans of its parts, and the language of the rule."""

    spans: tuple[tuple[int, int], ...]
    lang: str


class CompiledCatalogue:
    """The catalogue's rules compiled once, per language."""

    def __init__(self, catalogue: ClaimsCatalogue) -> None:
        self.catalogue = catalogue
        s = catalogue.scoring
        self.patterns: list[tuple[ClaimPattern, dict[str, Rules]]] = [
            (p, self._both(p.match)) for p in catalogue.patterns
        ]
        self.unless: dict[str, dict[str, Rules]] = {
            p.id: self._both(p.unless) for p in catalogue.patterns if p.unless is not None
        }
        self.evidence: list[tuple[EvidenceStatement, dict[str, Rules]]] = [
            (e, self._both(e.match)) for e in catalogue.evidence
        ]
        self.debunk = self._both(s.debunk_cues)
        self.rebuttal = self._both(s.rebuttal_cues)
        self.negation = self._both(s.negation_cues)
        self.post_negation = self._both(s.post_negation_cues)
        self.hypothetical = self._both(s.hypothetical_cues)
        self.health = self._both(s.health_terms)
        self.claim_cues = self._both(s.claim_cues)

    def _both(self, rules: RuleSet) -> dict[str, Rules]:
        return {lang: self.catalogue.compile(rules, lang) for lang in LANGS}


_COMPILED: dict[int, CompiledCatalogue] = {}


def compiled(catalogue: ClaimsCatalogue) -> CompiledCatalogue:
    """The compiled rules of a catalogue, built once per catalogue object."""
    found = _COMPILED.get(id(catalogue))
    if found is None or found.catalogue is not catalogue:
        found = _COMPILED[id(catalogue)] = CompiledCatalogue(catalogue)
    return found


def any_match(rules: dict[str, Rules], text: str) -> bool:
    return any(all(part.search(text) for part in rule) for lang in LANGS for rule in rules[lang])


def distinct_matches(rules: dict[str, Rules], text: str) -> set[str]:
    """The different words single-regex rules find in the text (lower-cased)."""
    return {found.group(0).lower() for lang in LANGS for rule in rules[lang] if len(rule) == 1
            for found in rule[0].finditer(text)}


def active_rules(rules: dict[str, Rules], text: str) -> dict[str, Rules]:
    """Only the rules whose every part matches somewhere in the whole text: a cheap filter before the
    sentence-by-sentence search, which keeps a 20,000-character text fast."""
    return {lang: [rule for rule in rules[lang] if all(part.search(text) for part in rule)] for lang in LANGS}


def find_rule_hits(rules: dict[str, Rules], sentence: Sentence) -> list[Hit]:
    """Every rule (of both languages) that matches the sentence; spans are offsets in the whole text."""
    hits: list[Hit] = []
    for lang in LANGS:
        for rule in rules[lang]:
            found = [part.search(sentence.text) for part in rule]
            if all(m is not None and m.end() > m.start() for m in found):
                spans = tuple((sentence.start + m.start(), sentence.start + m.end()) for m in found if m)
                hits.append(Hit(spans, lang))
    return hits


def is_negated(cat: CompiledCatalogue, text: str, sentence: Sentence, hit: Hit, scope: NegationScope) -> bool:
    """A negation cue in the clause just before the hit's last part (or inside it, if the scope says so),
    or a denial right after it ("... 无效", "... is a myth")."""
    if scope == "none":
        return False
    start, end = hit.spans[-1]
    lang = "zh" if _has_cjk(text[start:end]) else hit.lang
    window_start = max(sentence.start, start - _NEGATION_REACH[lang])
    before = text[window_start:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    windows = [_CLAIM_NEGATION.sub("", before)]
    if scope == "before_and_within":
        # "No need to" words inside a match are the claim itself ("胰岛素都不用打了"), not a denial of it.
        within = _NO_NEED.sub("", _without_own_negation(cat, text[start:end], lang))
        # Only the last item of a list inside the match: "锻炼、控制饮食和不吸烟，都有助于" is not a denial.
        windows.append(_LIST_BREAK.split(within)[-1])
    if any(part.search(w) for w in windows for rule in cat.negation[lang] for part in rule):
        return True
    after = text[end:sentence.end]
    return any(part.search(after) for rule in cat.post_negation[lang] for part in rule)


def _without_own_negation(cat: CompiledCatalogue, within: str, lang: str) -> str:
    """A rule that opens with a negation ("千万别再吃止痛药") carries it as its own wording, not as a denial."""
    lead = _OWN_PREFIX.match(within)
    offset = lead.end() if lead else 0
    for rule in cat.negation[lang]:
        for part in rule:
            found = part.match(within, offset)
            if found:
                return within[found.end():]
    return within


def is_hypothetical(cat: CompiledCatalogue, text: str, sentence: Sentence, hit: Hit) -> bool:
    """A condition ("if ...", "如果 ...") opens the clause of the hit's first part: nothing is asserted."""
    start = hit.spans[0][0]
    lang = "zh" if _has_cjk(text[start:hit.spans[0][1]]) else hit.lang
    before = text[max(sentence.start, start - _NEGATION_REACH[lang]):start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    return any(part.search(before) for rule in cat.hypothetical[lang] for part in rule)


def framed_sentences(cat: CompiledCatalogue, parts: list[Sentence]) -> set[int]:
    """Indices of the sentences that warn about or report a claim rather than make it: those with a debunk
    cue, and those the next sentence opens by denying ("Lemon water cures it. It doesn't.")."""
    framed = {i for i, sentence in enumerate(parts) if any_match(cat.debunk, sentence.text)}
    framed |= {i - 1 for i, sentence in enumerate(parts) if i and any_match(cat.rebuttal, sentence.text)}
    return framed


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
