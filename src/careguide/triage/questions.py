"""Choosing and wording the next question: red flags first, highest acuity first."""

from __future__ import annotations

from careguide.i18n import t
from careguide.knowledge import Knowledge, Rule
from careguide.triage.decide import Decision, RuleStatus, pending_protocol_scope
from careguide.triage.models import Evidence, Option, Question

AGE_BANDS: dict[str, float] = {"lt3m": 0.1, "3m_1y": 0.5, "1_4y": 2.0, "5_15y": 10.0, "16_49y": 30.0, "50_64y": 57.0, "65p": 75.0}
DURATION_BANDS: dict[str, float] = {"lt1d": 0.5, "1_3d": 2.0, "4_7d": 5.0, "1_3w": 14.0, "3w_3m": 45.0, "gt3m": 120.0}
SEVERITY_BANDS: dict[str, int] = {"mild": 2, "moderate": 5, "severe": 8, "worst": 10}
YES, NO, DONT_KNOW = "yes", "no", "dont_know"


def yes_no(lang: str) -> list[Option]:
    return [Option(id=YES, label=t("triage.answer_yes", lang)), Option(id=NO, label=t("triage.answer_no", lang)),
            Option(id=DONT_KNOW, label=t("triage.dont_know", lang))]


def _bands(prefix: str, keys: list[str], lang: str) -> list[Option]:
    return [Option(id=k, label=t(f"triage.{prefix}_{k}", lang)) for k in keys] + \
        [Option(id=DONT_KNOW, label=t("triage.dont_know", lang))]


def next_question(knowledge: Knowledge, ev: Evidence, decision: Decision) -> Question | None:
    lang = ev.language
    if ev.profile.age_years is None and "age" not in ev.dont_know and pending_protocol_scope(knowledge, ev):
        return _age_question(lang)
    for status in decision.open_rules:
        question = _question_for(knowledge, ev, status)
        if question is not None:
            return question
    return None


def _age_question(lang: str) -> Question:
    return Question(id="age", kind="age", text=t("triage.ask_age", lang), options=_bands("age", list(AGE_BANDS), lang),
                    rationale=t("triage.why_age", lang))


def _question_for(knowledge: Knowledge, ev: Evidence, status: RuleStatus) -> Question | None:
    lang = ev.language
    rule, when = status.rule, status.rule.when
    why = rule.rationale.get(lang)
    common = {"rationale": why, "source": rule.source, "protocol": status.protocol.id, "rule": rule.id}
    age = ev.profile.age_years
    if age is None and "age" not in ev.dont_know and (when.age_under or when.age_at_least or when.age_under_months):
        return _age_question(lang)
    if when.sex and ev.profile.sex is None and "sex" not in ev.dont_know:
        return Question(id="sex", kind="sex", text=t("triage.ask_sex", lang), options=[
            Option(id="female", label=t("triage.sex_female", lang)), Option(id="male", label=t("triage.sex_male", lang)),
            Option(id=DONT_KNOW, label=t("triage.dont_know", lang))], **common)
    for fid in when.all:
        if ev.findings.get(fid, "unknown") == "unknown" and fid not in ev.dont_know:
            return _finding_question(knowledge, [fid], lang, f"f:{fid}", common)
    if when.any:
        states = {fid: ev.findings.get(fid, "unknown") for fid in when.any}
        if "present" not in states.values() and status.key not in ev.group_yes:
            open_ids = [fid for fid, s in states.items() if s == "unknown" and fid not in ev.dont_know]
            if open_ids:
                qid = f"f:{open_ids[0]}" if len(open_ids) == 1 else f"g:{status.key}"
                return _finding_question(knowledge, open_ids, lang, qid, common)
    if (when.duration_over_days is not None or when.duration_under_days is not None) and ev.duration_days is None and "duration" not in ev.dont_know:
        return Question(id="duration", kind="duration", text=t("triage.ask_duration", lang),
                        options=_bands("duration", list(DURATION_BANDS), lang), **common)
    if when.severity_at_least is not None and ev.severity is None and "severity" not in ev.dont_know:
        return Question(id="severity", kind="severity", text=t("triage.ask_severity", lang),
                        options=_bands("severity", list(SEVERITY_BANDS), lang), **common)
    return None


def _finding_question(knowledge: Knowledge, ids: list[str], lang: str, qid: str, common: dict) -> Question:
    findings = [knowledge.findings[fid] for fid in ids]
    if len(findings) == 1:
        f = findings[0]
        text = f.question.get(lang) if f.question else t("triage.ask_finding", lang, name=f.name.get(lang))
    else:
        sep = "；" if lang == "zh" else "; "
        text = t("triage.ask_any", lang, items=sep.join(f.name.get(lang) for f in findings))
    return Question(id=qid, kind="findings", text=text, options=yes_no(lang), targets=ids, **common)


def is_red_flag(status: RuleStatus) -> bool:
    return isinstance(status.rule, Rule) and status.rule.red_flag
