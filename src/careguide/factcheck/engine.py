"""The claim checker: text in, verdict with reasons, highlighted phrases and plain advice out.

Steps: check the input and its language; find deceptive patterns of the catalogue; look up the
claims the evidence sources know; weigh the two into a verdict. Everything the reader sees comes
from the catalogue (in their language) or the locale file ``locales/factcheck.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from careguide.factcheck.evidence import CatalogueEvidence, EvidenceSource
from careguide.factcheck.matcher import (
    CompiledCatalogue,
    active_rules,
    any_match,
    compiled,
    distinct_matches,
    find_rule_hits,
    framed_sentences,
    is_negated,
)
from careguide.factcheck.models import (
    CheckRequest,
    ClaimFinding,
    EvidenceFinding,
    FactcheckResult,
    PatternHit,
    Span,
    Step,
    Verdict,
)
from careguide.factcheck.text import Sentence, normalise_for_matching, sentences, validate
from careguide.i18n import normalise_language, t
from careguide.knowledge.claims import ClaimsCatalogue, load_claims
from careguide.llm import LLM

_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
MAX_CLAIMS = 30
HEALTH_TERMS_NEEDED = 2


def check_text(
    text: str,
    lang: str | None = None,
    *,
    catalogue: ClaimsCatalogue | None = None,
    evidence_sources: Sequence[EvidenceSource] | None = None,
    llm: LLM | None = None,
) -> FactcheckResult:
    """Check a health claim, advert or forwarded message.

    ``lang`` is the language of the explanation (default: the text's own language). Raises
    :class:`careguide.factcheck.FactcheckInputError` for empty, huge, text-free or non-zh/en input.
    With ``llm`` (a configured provider) a model reads the text too; see :mod:`careguide.factcheck.verify`.
    """
    original, text_lang = validate(text)
    out_lang = normalise_language(lang, default=text_lang) if lang else text_lang
    catalogue = catalogue or load_claims()
    cat = compiled(catalogue)
    norm = normalise_for_matching(original)
    parts = sentences(norm)
    steps: list[Step] = ["language", "patterns"]

    patterns, pattern_sentences = _find_patterns(cat, norm, parts, out_lang, original)
    sources = list(evidence_sources) if evidence_sources is not None else [CatalogueEvidence(catalogue)]
    evidence: list[EvidenceFinding] = []
    for source in sources:
        for finding in source.find(norm, parts, out_lang):
            s = finding.span
            evidence.append(finding.model_copy(update={"span": Span(start=s.start, end=s.end,
                                                                     text=original[s.start:s.end])}))
    if sources:
        steps.append("evidence")

    weights = catalogue.scoring.weights
    score = sum(weights[p.severity] for p in patterns)
    # Sales tricks alone ("buy two, get one free") do not make a text about health, and neither does one
    # stray health word ("运动" in a physics text, "heart" in a love letter): it takes two different ones.
    about_health = (bool(evidence) or any(p.category != "sales_pressure" for p in patterns)
                    or len(distinct_matches(cat.health, norm)) >= HEALTH_TERMS_NEEDED)
    verdict, reason_code = _weigh(score, catalogue.scoring.misleading_at, weights["medium"], evidence, about_health,
                                  patterns)
    claims = _claims(cat, parts, original, pattern_sentences, evidence)
    highlights = sorted({(s.start, s.end): s for p in patterns for s in p.spans}.values(), key=lambda s: s.start)
    highlights += [e.span for e in evidence if e.agreement != "agrees"]
    result = FactcheckResult(
        verdict=verdict,
        language=out_lang,  # type: ignore[arg-type]
        text_language=text_lang,  # type: ignore[arg-type]
        about_health=about_health,
        score=score,
        patterns=patterns,
        evidence=evidence,
        claims=claims,
        highlights=sorted(highlights, key=lambda s: s.start),
        reasons=_reasons(patterns, evidence),
        advice=_advice(patterns, evidence, verdict, out_lang),
        headline=t(f"factcheck.verdict_{verdict.value}", out_lang),
        explanation=_explain(verdict, reason_code, patterns, evidence, out_lang),
        steps=steps,
        text_length=len(original),
    )
    if llm is not None and llm.generates:
        from careguide.factcheck.verify import verify_with_llm

        result = verify_with_llm(original, result, llm)
    return result


def check(request: CheckRequest, **options: Any) -> FactcheckResult:
    """:func:`check_text` for a :class:`CheckRequest` (the API's body)."""
    return check_text(request.text, request.lang, **options)


def _find_patterns(
    cat: CompiledCatalogue, norm: str, parts: list[Sentence], lang: str, original: str
) -> tuple[list[PatternHit], dict[int, list[str]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    per_sentence: dict[int, list[str]] = {}
    candidates = [(pattern, active) for pattern, rules in cat.patterns
                  if any((active := active_rules(rules, norm)).values())]
    framed = framed_sentences(cat, parts) if candidates else set()
    for index, sentence in enumerate(parts):
        if not candidates or index in framed:
            continue
        for pattern, rules in candidates:
            if pattern.id in cat.unless and any_match(cat.unless[pattern.id], sentence.text):
                continue
            for hit in find_rule_hits(rules, sentence):
                if is_negated(cat, norm, sentence, hit, pattern.negation):
                    continue
                spans.setdefault(pattern.id, []).extend(hit.spans)
                if pattern.id not in per_sentence.setdefault(index, []):
                    per_sentence[index].append(pattern.id)
    hits: list[PatternHit] = []
    for pattern, _rules in cat.patterns:
        if pattern.id not in spans:
            continue
        unique = sorted(set(spans[pattern.id]))
        hits.append(PatternHit(
            id=pattern.id,
            name=pattern.name.get(lang),
            category=pattern.category,
            severity=pattern.severity,
            reason=pattern.reason.get(lang),
            advice=pattern.advice.get(lang),
            basis=[b.rule.get(lang) for b in pattern.basis],
            spans=[Span(start=a, end=b, text=original[a:b]) for a, b in _merge(unique)],
        ))
    hits.sort(key=lambda h: _SEVERITY_ORDER[h.severity])
    return hits, per_sentence


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _weigh(
    score: int,
    misleading_at: int,
    medium_weight: int,
    evidence: list[EvidenceFinding],
    about_health: bool,
    patterns: list[PatternHit],
) -> tuple[Verdict, str]:
    """Dangerous patterns and contradicted evidence decide at once; other signs add up, and evidence that
    supports the text's claim offsets one medium sign."""
    contradicts = [e for e in evidence if e.agreement == "contradicts"]
    unproven = [e for e in evidence if e.agreement == "unproven"]
    agrees = [e for e in evidence if e.agreement == "agrees"]
    if contradicts:
        return Verdict.MISLEADING, "evidence"
    if any(p.severity == "high" for p in patterns):
        return Verdict.MISLEADING, "patterns"
    if score - (medium_weight if agrees and not unproven else 0) >= misleading_at:
        return Verdict.MISLEADING, "patterns"
    if not about_health:
        return Verdict.CANNOT_JUDGE, "not_health"
    if unproven:
        return Verdict.UNSUPPORTED, "evidence_unproven"
    if agrees:
        return Verdict.CONSISTENT, "evidence"
    if patterns:
        return Verdict.UNSUPPORTED, "weak_patterns"
    return Verdict.CANNOT_JUDGE, "nothing_known"


def _claims(
    cat: CompiledCatalogue,
    parts: list[Sentence],
    original: str,
    pattern_sentences: dict[int, list[str]],
    evidence: list[EvidenceFinding],
) -> list[ClaimFinding]:
    claims: list[ClaimFinding] = []
    for index, sentence in enumerate(parts):
        found_evidence = [e.id for e in evidence if sentence.start <= e.span.start < sentence.end]
        found_patterns = pattern_sentences.get(index, [])
        is_claim = any_match(cat.claim_cues, sentence.text) and any_match(cat.health, sentence.text)
        if found_patterns or found_evidence or is_claim:
            claims.append(ClaimFinding(
                text=original[sentence.start:sentence.end],
                span=Span(start=sentence.start, end=sentence.end, text=original[sentence.start:sentence.end]),
                patterns=found_patterns,
                evidence=found_evidence,
            ))
    return claims[:MAX_CLAIMS]


def _reasons(patterns: list[PatternHit], evidence: list[EvidenceFinding]) -> list[str]:
    reasons = [p.reason for p in patterns]
    reasons += [e.summary for e in evidence]
    return reasons


def _advice(patterns: list[PatternHit], evidence: list[EvidenceFinding], verdict: Verdict, lang: str) -> list[str]:
    advice: list[str] = []
    for item in [p.advice for p in patterns] + [e.advice for e in evidence]:
        if item not in advice:
            advice.append(item)
    advice.append(t(f"factcheck.next_step_{verdict.value}", lang))
    return advice


def _explain(
    verdict: Verdict, reason_code: str, patterns: list[PatternHit], evidence: list[EvidenceFinding], lang: str
) -> str:
    sep = "、" if lang == "zh" else ", "
    names = sep.join(p.name for p in patterns)
    lines: list[str] = [t(f"factcheck.verdict_{verdict.value}", lang)]
    if patterns:
        lines.append(t("factcheck.explain_patterns", lang, count=len(patterns), names=names))
    for finding in evidence:
        key = {"agrees": "explain_evidence_agrees", "contradicts": "explain_evidence_contradicts",
               "unproven": "explain_evidence_unproven"}[finding.agreement]
        lines.append(t(f"factcheck.{key}", lang, claim=finding.claim, summary=finding.summary))
    if reason_code == "not_health":
        lines.append(t("factcheck.explain_not_health", lang))
    elif reason_code == "nothing_known":
        lines.append(t("factcheck.explain_nothing_known", lang))
    elif reason_code == "weak_patterns":
        lines.append(t("factcheck.explain_weak_patterns", lang))
    lines.append(t(f"factcheck.next_step_{verdict.value}", lang))
    return ("" if lang == "zh" else " ").join(lines)
