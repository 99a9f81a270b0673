"""Schema and loader of the claim-checking knowledge: deceptive advert patterns and evidence statements.

Two kinds of data live in ``knowledge/data/claims/``:

* ``patterns*.yaml`` - the catalogue of deceptive patterns in health adverts and forwarded
  messages ("guaranteed cure", "stop your medication" ...). Each pattern explains in plain words
  why it misleads, what to do instead, and which rule it breaks (PRC Advertising Law articles,
  FTC health-claim guidance, WHO guidance).
* ``evidence*.yaml`` - common health claims with what the evidence says about them (supported,
  refuted, unproven, mixed) and the sources.

Matching rules are regular expressions per language. A rule is either one regex or a list of
regexes that must all match inside the same sentence (``[product, disease-treatment]``). Every
file is validated at load; a bad regex names its pattern id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, field_validator, model_validator

from careguide.knowledge.schema import Bilingual, Identifier, Strict

CLAIMS_DIR = Path(__file__).parent / "data" / "claims"

Severity = Literal["high", "medium", "low"]
Category = Literal[
    "false_efficacy", "false_safety", "dangerous_advice", "false_authority", "sales_pressure", "misinformation"
]
Stance = Literal["supported", "refuted", "unproven", "mixed"]
# Where a negation cue cancels a hit: only just before the match, or also inside it (for rules with gaps,
# e.g. "降压药 ... 停": "降压药不要自己停" is advice, not a claim).
NegationScope = Literal["before", "before_and_within", "none"]

Rule = str | list[str]


class RuleSet(Strict):
    """Regexes per language; each rule is a regex or a list of regexes that must all match one sentence."""

    en: list[Rule] = Field(default_factory=list)
    zh: list[Rule] = Field(default_factory=list)

    @field_validator("en", "zh")
    @classmethod
    def _not_blank(cls, rules: list[Rule]) -> list[Rule]:
        for rule in rules:
            parts = [rule] if isinstance(rule, str) else rule
            if not parts or any(not regex.strip() for regex in parts):
                raise ValueError("blank regex")
        return rules

    @model_validator(mode="after")
    def _both_languages(self) -> RuleSet:
        # Chinese and English are both first-class: a rule that exists in one language only is a gap.
        if not self.en or not self.zh:
            raise ValueError("needs rules in en and zh")
        return self

    def get(self, lang: str) -> list[Rule]:
        return self.zh if lang == "zh" else self.en


class Lexicon(Strict):
    """Words a regex can include as ``<<name>>`` (each entry may itself be a regex fragment)."""

    en: list[str] = Field(min_length=1)
    zh: list[str] = Field(min_length=1)


class Examples(Strict):
    en: list[str] = Field(min_length=1)
    zh: list[str] = Field(min_length=1)

    def get(self, lang: str) -> list[str]:
        return self.zh if lang == "zh" else self.en


class Basis(Strict):
    """The rule a pattern breaks, named in both languages; ``ad_law_codes`` refer to the categories of
    the public PRC advert-law taxonomy (checked against it in the tests when that file is present)."""

    rule: Bilingual
    ad_law_codes: list[str] = Field(default_factory=list)


class ClaimPattern(Strict):
    id: Identifier
    category: Category
    severity: Severity
    name: Bilingual
    reason: Bilingual
    advice: Bilingual
    basis: list[Basis] = Field(min_length=1)
    examples: Examples
    match: RuleSet
    negation: NegationScope = "before"
    # A sentence matching one of these is not this pattern (e.g. "chemotherapy cured his leukaemia" is a
    # report about standard treatment, not a product's cancer-cure claim).
    unless: RuleSet | None = None


class Source(Strict):
    """A named source: organisation and document, and a URL where one exists."""

    name: str = Field(min_length=3)
    url: str | None = None


class EvidenceStatement(Strict):
    id: Identifier
    topic: Identifier
    claim: Bilingual
    stance: Stance
    summary: Bilingual
    advice: Bilingual
    sources: list[Source] = Field(min_length=1)
    match: RuleSet


class Scoring(Strict):
    """How pattern hits add up to a verdict: the weight of each severity and the score that makes a text
    misleading. Cues that frame a sentence as a warning or a report ("beware of", "谣言") stop its hits
    from counting as the text's own claims; a sentence that opens by denying ("It doesn't.", "这个说法没有科学依据")
    frames the sentence before it the same way (``rebuttal_cues``)."""

    weights: dict[Severity, int]
    misleading_at: int = Field(ge=1)
    debunk_cues: RuleSet
    rebuttal_cues: RuleSet
    negation_cues: RuleSet
    post_negation_cues: RuleSet
    hypothetical_cues: RuleSet
    health_terms: RuleSet
    claim_cues: RuleSet


class ClaimsCatalogue(Strict):
    patterns: list[ClaimPattern]
    evidence: list[EvidenceStatement]
    scoring: Scoring
    lexicons: dict[Identifier, Lexicon] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids_and_valid_rules(self) -> ClaimsCatalogue:
        for kind, ids in (("pattern", [p.id for p in self.patterns]), ("evidence", [e.id for e in self.evidence])):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} ids: {dupes}")
        named: list[tuple[str, RuleSet]] = [(p.id, p.match) for p in self.patterns]
        named += [(f"{p.id}.unless", p.unless) for p in self.patterns if p.unless is not None]
        named += [(e.id, e.match) for e in self.evidence]
        s = self.scoring
        named += [("debunk_cues", s.debunk_cues), ("rebuttal_cues", s.rebuttal_cues)]
        named += [("negation_cues", s.negation_cues)]
        named += [("post_negation_cues", s.post_negation_cues), ("hypothetical_cues", s.hypothetical_cues)]
        named += [("health_terms", s.health_terms), ("claim_cues", s.claim_cues)]
        for name, rules in named:
            for lang in ("en", "zh"):
                try:
                    self.compile(rules, lang)
                except (re.error, KeyError) as exc:
                    raise ValueError(f"{name} [{lang}]: {exc}") from exc
        return self

    def compile(self, rules: RuleSet, lang: str) -> list[list[re.Pattern[str]]]:
        """The rules of one language with ``<<lexicon>>`` names expanded, compiled (cached)."""
        return [
            [self._compile_one(regex, lang) for regex in ([rule] if isinstance(rule, str) else rule)]
            for rule in rules.get(lang)
        ]

    def _compile_one(self, regex: str, lang: str) -> re.Pattern[str]:
        def expand(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in self.lexicons:
                raise KeyError(f"unknown lexicon <<{name}>> in {regex!r}")
            words = self.lexicons[name].zh if lang == "zh" else self.lexicons[name].en
            return "(?:" + "|".join(words) + ")"

        return _compile(_LEXICON_REF.sub(expand, regex))

    def pattern(self, pattern_id: str) -> ClaimPattern:
        for p in self.patterns:
            if p.id == pattern_id:
                return p
        raise KeyError(pattern_id)


class ClaimsDataError(ValueError):
    """A claims data file that does not validate; the message names the file."""


_LEXICON_REF = re.compile(r"<<([a-z][a-z0-9_]*)>>")


@lru_cache(maxsize=4096)
def _compile(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


def load_claims(directory: Path | None = None) -> ClaimsCatalogue:
    """Read and validate every YAML file of the claims directory (cached for the default directory)."""
    if directory is None:
        return _default_catalogue()
    return _load(directory)


@lru_cache(maxsize=1)
def _default_catalogue() -> ClaimsCatalogue:
    return _load(CLAIMS_DIR)


def _load(directory: Path) -> ClaimsCatalogue:
    merged: dict[str, list[object]] = {"patterns": [], "evidence": []}
    lexicons: dict[str, object] = {}
    scoring: object = None
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ClaimsDataError(f"{path.name}: not valid YAML: {exc}") from exc
        unknown = set(data) - {"patterns", "evidence", "scoring", "lexicons"}
        if unknown:
            raise ClaimsDataError(f"{path.name}: unknown sections {sorted(unknown)}")
        merged["patterns"].extend(data.get("patterns") or [])
        merged["evidence"].extend(data.get("evidence") or [])
        for name, words in (data.get("lexicons") or {}).items():
            if name in lexicons:
                raise ClaimsDataError(f"{path.name}: lexicon {name} defined twice")
            lexicons[name] = words
        if "scoring" in data:
            if scoring is not None:
                raise ClaimsDataError(f"{path.name}: a second scoring section")
            scoring = data["scoring"]
    try:
        return ClaimsCatalogue.model_validate({**merged, "scoring": scoring, "lexicons": lexicons})
    except ValueError as exc:
        raise ClaimsDataError(f"{directory}: {exc}") from exc
