"""Turning a settled decision into an outcome: level, instruction, departments, why, advice, check-back."""

from __future__ import annotations

from careguide.i18n import t
from careguide.knowledge import Disposition, Knowledge, Rule
from careguide.triage.decide import Decision
from careguide.triage.departments import DepartmentSignals, rank_departments
from careguide.triage.emergency_numbers import emergency_number
from careguide.triage.models import CheckBack, Evidence, Option, Outcome, RankedDepartment, Reason

CHECK_BACK_HOURS = {Disposition.URGENT: 24, Disposition.ROUTINE: 72, Disposition.SELF_CARE: 72}


def build_outcome(knowledge: Knowledge, ev: Evidence, decision: Decision, *, unrecognised: bool = False) -> Outcome:
    lang = ev.language
    level = decision.level
    number = emergency_number(ev.profile.region, ev.profile.emergency_number)
    why = _why(knowledge, ev, decision, lang)
    if unrecognised:
        why.append(Reason(kind="note", disposition=level, text=t("triage.why_unrecognised", lang)))
    ranked, considered = rank_departments(knowledge, department_signals(knowledge, ev, decision))
    self_care: list[str] = []
    seek: list[str] = []
    for pid in ev.protocols:
        if pid not in decision.per_protocol:
            continue
        advice = knowledge.protocols[pid].advice
        if level in (Disposition.SELF_CARE, Disposition.ROUTINE):
            self_care += [a.get(lang) for a in advice.self_care if a.get(lang) not in self_care]
        seek += [a.get(lang) for a in advice.seek_care_if if a.get(lang) not in seek]
    if not seek:
        seek.append(t("triage.seek_care_generic", lang, number=number))
    would_change = [
        t("triage.would_change", lang, items=_rule_findings_text(knowledge, s.rule, lang),
          level=t(f"triage.level_{s.level.value}", lang))
        for s in decision.statuses
        if s.state == "unknown" and s.level.rank > level.rank and isinstance(s.rule, Rule) and s.rule.when.findings()
    ]
    hours = CHECK_BACK_HOURS.get(level)
    check_back = None
    if hours is not None:
        check_back = CheckBack(after_hours=hours, question=t("triage.check_back_question", lang), options=[
            Option(id=k, label=t(f"triage.check_back_{k}", lang)) for k in ("better", "same", "worse")])
    return Outcome(
        disposition=level, triage3=level.triage3, label=t(f"triage.level_{level.value}", lang),
        instruction=t(f"triage.instruction_{level.value}", lang, number=number), emergency_number=number,
        departments=[RankedDepartment(id=d, name=knowledge.departments[d].name.get(lang), score=round(s, 3))
                     for d, s in ranked[:5]],
        red_flags=[r for r in why if r.kind == "red_flag"], why=why, answers=list(ev.answers),
        self_care=self_care, seek_care_if=seek, would_change=list(dict.fromkeys(would_change))[:6],
        check_back=check_back, questions_asked=len(ev.answers), considered_conditions=considered,
        disclaimer=t("triage.disclaimer", lang),
    )


def department_signals(knowledge: Knowledge, ev: Evidence, decision: Decision | None) -> DepartmentSignals:
    fired = [s for s in (decision.statuses if decision else []) if s.state == "met" and isinstance(s.rule, Rule)]
    return DepartmentSignals(
        findings=dict(ev.findings),
        conditions_named=ev.text_conditions,
        departments_named=ev.text_departments,
        keyword_departments=ev.text_keyword_departments,
        protocols=list(decision.per_protocol) if decision else list(ev.protocols),
        rule_departments=[d for s in fired for d in s.rule.departments],  # type: ignore[union-attr]
        age_years=ev.profile.age_years, sex=ev.profile.sex,
        disposition=decision.level if decision else None,
        lead_department=_lead_department(fired, decision.level) if decision else None,
    )


def _lead_department(fired: list, level: Disposition) -> str | None:  # type: ignore[type-arg]
    """The specialty named by the deciding rules when none of them sends the person to the emergency department."""
    deciding = [s for s in fired if s.level is level and s.rule.departments]
    if deciding and all("emergency" not in s.rule.departments for s in deciding):
        return str(deciding[0].rule.departments[0])
    return None


def _rule_findings_text(knowledge: Knowledge, rule: object, lang: str) -> str:
    when = rule.when  # type: ignore[attr-defined]
    sep = "、" if lang == "zh" else ", "
    return sep.join(knowledge.findings[f].name.get(lang) for f in when.findings())


def _why(knowledge: Knowledge, ev: Evidence, decision: Decision, lang: str) -> list[Reason]:
    why: list[Reason] = []
    for pid in decision.per_protocol:
        protocol = knowledge.protocols[pid]
        fired = [s for s in decision.statuses if s.protocol.id == pid and s.state == "met"]
        for s in fired:
            is_rule = isinstance(s.rule, Rule)
            kind = "red_flag" if is_rule and s.rule.red_flag else ("rule" if is_rule else "modifier")  # type: ignore[union-attr]
            why.append(Reason(kind=kind, protocol=pid, rule=s.rule.id, disposition=s.level,
                              text=s.rule.rationale.get(lang), source=s.rule.source))
        if not any(isinstance(s.rule, Rule) for s in fired):
            why.append(Reason(kind="default", protocol=pid, disposition=protocol.default, source=protocol.source,
                              text=t("triage.why_default", lang, protocol=protocol.name.get(lang),
                                     level=t(f"triage.level_{protocol.default.value}", lang))))
    for s in decision.unknown_floors:
        why.append(Reason(kind="unknown_red_flag", protocol=s.protocol.id, rule=s.rule.id,
                          disposition=s.rule.if_unknown, source=s.rule.source,  # type: ignore[union-attr]
                          text=t("triage.why_unknown_red_flag", lang, reason=s.rule.rationale.get(lang))))
    if ev.floor is not None:
        why.append(Reason(kind="floor", disposition=ev.floor, text=t("triage.why_floor", lang)))
    for a in ev.answers:
        why.append(Reason(kind="answer", text=f"{a.question} → {a.value}"))
    return why
