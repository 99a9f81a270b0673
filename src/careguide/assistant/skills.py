"""Adapters from the assistant to the other skills (triage, reports, factcheck, records, booking).

Each adapter calls a skill's public function and turns its typed result into a :class:`SkillReply`.
A skill that is not installed, or a hook the host application has not connected (records and
booking need a signed-in person and a database), gives an honest "not available" reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from careguide.i18n import t

log = logging.getLogger(__name__)

# Host hooks: (text, lang) -> SkillReply. The API connects them for a signed-in person.
RecordLookup = Callable[[str, str], "SkillReply"]
BookingHelper = Callable[[str, str], "SkillReply"]


class SkillReply(BaseModel):
    skill: str
    answer: str
    available: bool = True
    emergency: bool = False
    corrected: bool = False
    options: list[dict[str, str]] = Field(default_factory=list, description="answer buttons: {id, label}")
    triage: dict[str, Any] | None = Field(default=None, description="evidence to keep while an interview runs")
    finished: bool = True
    department: str | None = None
    autonomy_level: str = "L0"
    sources: list[str] = Field(default_factory=list)


def not_available(skill: str, lang: str) -> SkillReply:
    return SkillReply(skill=skill, available=False, answer=t(f"assistant.not_available_{skill}", lang))


def guarded(skill: str, lang: str, call: Callable[[], SkillReply]) -> SkillReply:
    """Run a skill; an unexpected failure becomes an honest "not available" reply (and a log line),
    never a crashed turn. The safety screen has already run before any skill is called."""
    try:
        return call()
    except Exception:  # noqa: BLE001 - a skill's bug must not take the conversation down
        log.exception("skill %s failed", skill)
        return not_available(skill, lang)


# -- triage ------------------------------------------------------------------------------------

def triage_start(text: str, lang: str, region: str, emergency_number: str) -> SkillReply:
    try:
        from careguide import triage
    except ImportError:
        return not_available("triage", lang)
    profile = triage.Profile(language=lang, region=region, emergency_number=emergency_number)  # type: ignore[arg-type]
    return _from_step(triage.start(profile, text), lang)


def triage_continue(evidence: dict[str, Any], text: str, lang: str) -> SkillReply:
    try:
        from careguide import triage
    except ImportError:
        return not_available("triage", lang)
    return _from_step(triage.answer(triage.Evidence.model_validate(evidence), text), lang)


def _from_step(step: Any, lang: str) -> SkillReply:
    evidence = step.evidence.model_dump(mode="json")
    if step.kind == "question" and step.question is not None:
        q = step.question
        lines = [step.message, q.text] if step.message else [q.text]
        if q.options:
            lines.append(" / ".join(o.label for o in q.options))
        return SkillReply(skill="triage", answer="\n\n".join(lines), options=[o.model_dump() for o in q.options],
                          triage=evidence, finished=False, autonomy_level="L1")
    if step.kind == "outcome" and step.outcome is not None:
        o = step.outcome
        parts = [o.label, o.instruction]
        if o.departments:
            parts.append(t("assistant.triage_department", lang, department=o.departments[0].name))
        parts.extend(o.self_care[:3])
        if o.seek_care_if:
            parts.append(t("assistant.triage_seek_care_if", lang) + " " + "; ".join(o.seek_care_if[:4]))
        parts.append(o.disclaimer)
        emergency = o.triage3 == "emergency"
        return SkillReply(skill="triage", answer="\n\n".join(p for p in parts if p), emergency=emergency,
                          department=o.departments[0].id if o.departments else None, autonomy_level="L1")
    return SkillReply(skill="triage", answer=step.message or "", triage=evidence if step.evidence.pending else None,
                      finished=step.evidence.pending is None, autonomy_level="L1")


# -- lab reports -------------------------------------------------------------------------------

def explain_lab_text(text: str, lang: str) -> SkillReply:
    try:
        from careguide.reports import ReportError, explain_report
        from careguide.reports.models import Flag
    except ImportError:
        return not_available("reports", lang)
    try:
        explanation = explain_report(text.encode("utf-8"), "message.txt", lang)
    except ReportError as exc:
        return SkillReply(skill="reports", answer=exc.message(lang) + "\n\n" + t("assistant.lab_upload_hint", lang),
                          finished=False)
    if not any(r.flag != Flag.UNKNOWN for r in explanation.results):
        return SkillReply(skill="reports", answer=t("assistant.lab_not_read", lang), finished=False)
    parts = [explanation.banner or "", explanation.summary, *explanation.explanations[:6], explanation.next_steps,
             explanation.disclaimer]
    return SkillReply(skill="reports", answer="\n\n".join(p for p in parts if p), emergency=bool(explanation.critical),
                      department=explanation.departments[0] if explanation.departments else None)


# -- claims ------------------------------------------------------------------------------------

def check_claim(text: str, lang: str) -> SkillReply:
    try:
        from careguide.factcheck import FactcheckInputError, Verdict, check_text
    except ImportError:
        return not_available("factcheck", lang)
    try:
        result = check_text(text, lang)
    except FactcheckInputError as exc:
        return SkillReply(skill="factcheck", answer=exc.message(lang))
    corrected = result.verdict in (Verdict.MISLEADING, Verdict.UNSUPPORTED) or any(
        e.agreement == "contradicts" for e in result.evidence)
    parts = [result.explanation, *result.advice[:3]]
    refs = sorted({s for e in result.evidence for s in e.sources})
    return SkillReply(skill="factcheck", answer="\n\n".join(p for p in parts if p), corrected=corrected,
                      sources=refs)
