"""Pre-consultation summary from a triage interview and the person's record.

Only what the interview or the record holds goes in: each fact is generated from one
piece of evidence and carries a reference to it, so ``faithfulness.check`` can prove
nothing was added and no pertinent negative was lost. Labels are in the doctor's
language (from the bilingual knowledge base); the person's own words stay as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from careguide import triage
from careguide.clinician.models import Fact, PreVisitSummary
from careguide.i18n import t
from careguide.knowledge.loader import Knowledge, load_knowledge
from careguide.store.base import utcnow

_SOURCES = {"text": "patient_text", "profile": "profile"}


@dataclass
class RecordView:
    """The parts of the record a summary may cite; each item is (resource ref, text as recorded)."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    medications: list[tuple[str, str]] = field(default_factory=list)
    allergies: list[tuple[str, str]] = field(default_factory=list)
    vitals: list[tuple[str, str]] = field(default_factory=list)
    abnormal_labs: list[tuple[str, str]] = field(default_factory=list)

    def refs(self) -> dict[str, str]:
        return {ref: text for items in (self.problems, self.medications, self.allergies, self.vitals,
                                        self.abnormal_labs) for ref, text in items}


def build_summary(
    person_id: int,
    evidence: triage.Evidence,
    outcome: triage.Outcome | None,
    record: RecordView | None,
    lang: str,
    *,
    triage_session_id: int | None = None,
    knowledge: Knowledge | None = None,
) -> PreVisitSummary:
    kb = knowledge or load_knowledge()
    doc_lang = "zh" if lang == "zh" else "en"
    summary = PreVisitSummary(
        person_id=person_id, triage_session_id=triage_session_id, language=doc_lang,
        patient_language=evidence.language, generated_at=utcnow(), patient_words=evidence.text,
    )
    for protocol_id in evidence.protocols:
        protocol = kb.protocols.get(protocol_id)
        if protocol is not None:
            summary.chief_complaint.append(Fact(text=getattr(protocol.name, doc_lang), source="triage",
                                                ref=f"protocol:{protocol_id}"))
    if evidence.duration_days is not None:
        summary.history.append(Fact(text=duration_text(evidence.duration_days, doc_lang), source="answer",
                                    ref="duration"))
    if evidence.severity is not None:
        summary.history.append(Fact(text=t("clinician.severity", doc_lang, score=evidence.severity),
                                    source="answer", ref="severity"))
    for finding_id, state in evidence.findings.items():
        finding = kb.findings.get(finding_id)
        if finding is None or state == "unknown":
            continue
        origin = evidence.finding_sources.get(finding_id, "text")
        fact = Fact(text=getattr(finding.name, doc_lang), source=_source(origin), ref=origin, finding=finding_id)
        (summary.associated if state == "present" else summary.pertinent_negatives).append(fact)
    if outcome is not None:
        _add_outcome(summary, kb, outcome, doc_lang)
    if record is not None:
        summary.problems = [Fact(text=text, source="record", ref=ref) for ref, text in record.problems]
        summary.medications = [Fact(text=text, source="record", ref=ref) for ref, text in record.medications]
        summary.allergies = [Fact(text=text, source="record", ref=ref) for ref, text in record.allergies]
        summary.vitals = [Fact(text=text, source="record", ref=ref) for ref, text in record.vitals]
        summary.abnormal_labs = [Fact(text=text, source="record", ref=ref) for ref, text in record.abnormal_labs]
    return summary


def rule_text(kb: Knowledge, protocol_id: str | None, rule_id: str | None, lang: str) -> str | None:
    """A triage rule's rationale in ``lang`` (rules and modifiers share the id space of a protocol)."""
    protocol = kb.protocols.get(protocol_id or "")
    if protocol is None:
        return None
    for rule in protocol.rules:
        if rule.id == rule_id:
            return str(getattr(rule.rationale, lang))
    for modifier in protocol.modifiers:
        if modifier.id == rule_id:
            return str(getattr(modifier.rationale, lang))
    return None


def _add_outcome(summary: PreVisitSummary, kb: Knowledge, outcome: triage.Outcome, lang: str) -> None:
    level = outcome.disposition.value
    summary.triage.append(Fact(text=t(f"triage.level_{level}", lang), source="triage", ref=f"disposition:{level}"))
    for department in outcome.departments[:3]:
        known = kb.departments.get(department.id)
        if known is not None:
            summary.triage.append(Fact(text=t("clinician.department", lang, name=getattr(known.name, lang)),
                                       source="triage", ref=f"department:{department.id}"))
    seen: set[str] = set()
    for reason in outcome.red_flags:
        text = rule_text(kb, reason.protocol, reason.rule, lang)
        ref = f"rule:{reason.protocol}.{reason.rule}"
        if text and ref not in seen:
            seen.add(ref)
            summary.red_flags.append(Fact(text=text, source="triage", ref=ref))


def _source(origin: str) -> Any:
    return _SOURCES.get(origin, "answer" if origin.startswith("answer:") else "patient_text")


def duration_text(days: float, lang: str) -> str:
    """'Duration: 3 day(s)', or in hours under a day ('for an hour' is 0.04 days)."""
    if days < 1:
        return t("clinician.duration_hours", lang, hours=max(1, round(days * 24)))
    return t("clinician.duration", lang, days=str(int(days)) if float(days).is_integer() else f"{days:.1f}")
