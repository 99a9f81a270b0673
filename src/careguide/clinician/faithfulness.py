"""Proof that a summary says only what the interview and the record hold, and drops no negative."""

from __future__ import annotations

from pydantic import BaseModel

from careguide import triage
from careguide.clinician.models import PreVisitSummary
from careguide.clinician.summary import RecordView, duration_text, rule_text
from careguide.i18n import t
from careguide.knowledge.loader import Knowledge, load_knowledge


class FaithfulnessReport(BaseModel):
    facts: int
    unsupported: list[str]
    lost_negatives: list[str]

    @property
    def ok(self) -> bool:
        return not self.unsupported and not self.lost_negatives


def check(summary: PreVisitSummary, evidence: triage.Evidence, outcome: triage.Outcome | None,
          record: RecordView | None, knowledge: Knowledge | None = None) -> FaithfulnessReport:
    """Regenerate each fact from the evidence it cites and compare: any fact whose reference does
    not resolve, or whose text differs from what that evidence says, is unsupported."""
    kb = knowledge or load_knowledge()
    lang = summary.language
    record_refs = record.refs() if record is not None else {}
    unsupported: list[str] = []

    def expect(fact_text: str, expected: str | None, where: str) -> None:
        if expected is None or fact_text != expected:
            unsupported.append(f"{where}: {fact_text!r}")

    for fact in summary.chief_complaint:
        protocol_id = fact.ref.removeprefix("protocol:")
        protocol = kb.protocols.get(protocol_id)
        ok = protocol is not None and protocol_id in evidence.protocols
        expect(fact.text, getattr(protocol.name, lang) if ok and protocol else None, "chief_complaint")
    for fact in summary.history:
        if fact.ref == "duration" and evidence.duration_days is not None:
            expected = duration_text(evidence.duration_days, lang)
        elif fact.ref == "severity" and evidence.severity is not None:
            expected = t("clinician.severity", lang, score=evidence.severity)
        else:
            expected = None
        expect(fact.text, expected, "history")
    for section, wanted in (("associated", "present"), ("pertinent_negatives", "absent")):
        for fact in getattr(summary, section):
            finding = kb.findings.get(fact.finding or "")
            supported = (finding is not None and evidence.findings.get(fact.finding or "") == wanted
                         and evidence.finding_sources.get(fact.finding or "", "text") == fact.ref)
            expect(fact.text, getattr(finding.name, lang) if supported and finding else None, section)
    for fact in summary.triage:
        expect(fact.text, _triage_text(kb, fact.ref, outcome, lang), "triage")
    for fact in summary.red_flags:
        protocol_rule = fact.ref.removeprefix("rule:")
        flagged = outcome is not None and any(f"{r.protocol}.{r.rule}" == protocol_rule for r in outcome.red_flags)
        protocol_id, _, rule_id = protocol_rule.partition(".")
        expect(fact.text, rule_text(kb, protocol_id, rule_id, lang) if flagged else None, "red_flags")
    for section in ("problems", "medications", "allergies", "vitals", "abnormal_labs"):
        for fact in getattr(summary, section):
            expect(fact.text, record_refs.get(fact.ref), section)
    cited = {fact.finding for fact in summary.pertinent_negatives}
    lost = [finding_id for finding_id, state in evidence.findings.items()
            if state == "absent" and finding_id in kb.findings and finding_id not in cited]
    return FaithfulnessReport(facts=len(summary.facts()), unsupported=unsupported, lost_negatives=lost)


def _triage_text(kb: Knowledge, ref: str, outcome: triage.Outcome | None, lang: str) -> str | None:
    if outcome is None:
        return None
    kind, _, value = ref.partition(":")
    if kind == "disposition" and value == outcome.disposition.value:
        return t(f"triage.level_{value}", lang)
    if kind == "department" and any(d.id == value for d in outcome.departments):
        known = kb.departments.get(value)
        return t("clinician.department", lang, name=getattr(known.name, lang)) if known else None
    return None
