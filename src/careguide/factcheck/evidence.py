"""Where the checker learns what the evidence says: the plug-in point for evidence sources.

The default source is the catalogue of evidence statements (``knowledge/data/claims/evidence*.yaml``).
The assistant's health-article base can join by implementing :class:`EvidenceSource` and being passed
to :func:`careguide.factcheck.check_text` (``evidence_sources=[CatalogueEvidence(), ArticleEvidence()]``).
"""

from __future__ import annotations

from typing import Protocol

from careguide.factcheck.matcher import (
    active_rules,
    compiled,
    find_rule_hits,
    framed_sentences,
    is_hypothetical,
    is_negated,
)
from careguide.factcheck.models import Agreement, EvidenceFinding, Span
from careguide.factcheck.text import Sentence
from careguide.knowledge.claims import ClaimsCatalogue, Stance, load_claims


class EvidenceSource(Protocol):
    """Finds claims it has evidence about in a text and says whether the text agrees with it."""

    name: str

    def find(self, text: str, sentences: list[Sentence], lang: str) -> list[EvidenceFinding]:
        """``text`` is normalised for matching; spans are offsets into it; ``lang`` is the reader's language."""
        ...


def agreement(stance: Stance, asserted: bool) -> Agreement:
    """Asserting a refuted claim, or denying a supported one, contradicts the evidence."""
    if stance == "supported":
        return "agrees" if asserted else "contradicts"
    if stance == "refuted":
        return "contradicts" if asserted else "agrees"
    if stance == "unproven":
        return "unproven" if asserted else "agrees"
    return "unproven" if asserted else "agrees"  # mixed: the positive claim overstates it


class CatalogueEvidence:
    """Evidence statements of the knowledge base, matched by their regex rules."""

    name = "catalogue"

    def __init__(self, catalogue: ClaimsCatalogue | None = None) -> None:
        self.catalogue = catalogue or load_claims()

    def find(self, text: str, sentences: list[Sentence], lang: str) -> list[EvidenceFinding]:
        cat = compiled(self.catalogue)
        findings: dict[str, EvidenceFinding] = {}
        candidates = [(statement, active) for statement, rules in cat.evidence
                      if any((active := active_rules(rules, text)).values())]
        framed = framed_sentences(cat, sentences) if candidates else set()
        for index, sentence in enumerate(sentences if candidates else []):
            warning = index in framed
            for statement, rules in candidates:
                if statement.id in findings:
                    continue
                hits = find_rule_hits(rules, sentence)
                if not hits:
                    continue
                hit = hits[0]
                if is_hypothetical(cat, text, sentence, hit):
                    continue
                asserted = not warning and not is_negated(cat, text, sentence, hit, "before_and_within")
                start, end = hit.spans[0][0], hit.spans[-1][1]
                findings[statement.id] = EvidenceFinding(
                    id=statement.id,
                    claim=statement.claim.get(lang),
                    stance=statement.stance,
                    asserted=asserted,
                    agreement=agreement(statement.stance, asserted),
                    summary=statement.summary.get(lang),
                    advice=statement.advice.get(lang),
                    sources=[s.name + (f" <{s.url}>" if s.url else "") for s in statement.sources],
                    span=Span(start=start, end=end, text=text[start:end]),
                    source_kind=self.name,
                )
        return list(findings.values())
