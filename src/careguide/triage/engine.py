"""The triage interview as pure functions over (knowledge, evidence).

``start(profile, text)`` reads the first message and returns the first step; ``answer(evidence, value)``
applies one answer and returns the next step. A step is a question, an outcome, or a message (bad
input); its ``evidence`` is all the state a caller has to keep.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from careguide.i18n import t
from careguide.knowledge import Disposition, Knowledge, load_knowledge
from careguide.language import detect_language, has_meaningful_text
from careguide.triage.decide import decide
from careguide.triage.models import AnswerRecord, Evidence, Profile, Question, Step
from careguide.triage.outcome import build_outcome
from careguide.triage.questions import (
    AGE_BANDS,
    DONT_KNOW,
    DURATION_BANDS,
    NO,
    SEVERITY_BANDS,
    YES,
    next_question,
)
from careguide.triage.separate import separating_question
from careguide.triage.understand import _apply_implications, understand

MAX_QUESTIONS = 12
MAX_CLARIFICATIONS = 1


class Answer(BaseModel):
    question_id: str | None = None
    value: str


def start(profile: Profile, text: str, knowledge: Knowledge | None = None) -> Step:
    """Begin an interview from the person's own words."""
    kb = knowledge or load_knowledge()
    return _begin(kb, profile, text or "", answers=[])


def answer(evidence: Evidence, value: Answer | str, knowledge: Knowledge | None = None) -> Step:
    """Apply the answer to the pending question and return the next step."""
    kb = knowledge or load_knowledge()
    reply = value if isinstance(value, Answer) else Answer(value=str(value))
    ev = _copy(evidence)
    lang = ev.language
    question = ev.pending
    if question is None:
        return Step(kind="message", message=t("triage.nothing_pending", lang), evidence=ev)
    if reply.question_id and reply.question_id != question.id:
        return Step(kind="question", question=question, message=t("triage.answer_other_question", lang), evidence=ev)
    raw = reply.value.strip()
    if question.kind == "free_text":
        if not has_meaningful_text(raw):
            return Step(kind="question", question=question, message=t("triage.describe_problem", lang), evidence=ev)
        answers = [*ev.answers, AnswerRecord(question_id=question.id, kind="free_text", question=question.text, value=raw[:500])]
        return _begin(kb, ev.profile, f"{ev.text}\n{raw}".strip(), answers=answers)
    choice: str | None = raw.lower()
    if choice not in {o.id for o in question.options}:
        choice = _match_option_label(question, raw)
    if choice is None:
        return Step(kind="question", question=question, message=t("triage.choose_option", lang), evidence=ev)
    _apply(kb, ev, question, choice)
    label = next(o.label for o in question.options if o.id == choice)  # choice is one of the option ids here
    ev.answers.append(AnswerRecord(question_id=question.id, kind=question.kind, question=question.text, value=label,
                                   targets=question.targets))
    ev.pending = None
    _refresh_protocols(kb, ev)
    return _advance(kb, ev)


def check_back(evidence: Evidence, status: Literal["better", "same", "worse"], knowledge: Knowledge | None = None) -> Step:
    """The scheduled follow-up: 'worse' re-runs the interview from what is known, one level more cautious."""
    kb = knowledge or load_knowledge()
    ev = _copy(evidence)
    previous = decide(kb, ev).level
    if status != "worse":
        ev.previous = previous
        return Step(kind="message", message=t(f"triage.check_back_reply_{status}", ev.language), evidence=ev)
    ev.dont_know, ev.group_yes, ev.pending = [], [], None
    ev.answers = [a for a in ev.answers if a.kind in ("age", "sex", "free_text")]
    ev.floor = _one_level_up(previous)
    ev.previous = previous
    return _advance(kb, ev)


def _copy(evidence: Evidence) -> Evidence:
    """A copy whose containers can be changed without touching the caller's evidence (cheaper than deepcopy)."""
    return evidence.model_copy(update={
        "findings": dict(evidence.findings), "finding_sources": dict(evidence.finding_sources),
        "group_yes": list(evidence.group_yes), "dont_know": list(evidence.dont_know),
        "protocols": list(evidence.protocols), "answers": list(evidence.answers),
    })


def _one_level_up(level: Disposition) -> Disposition:
    order = [Disposition.SELF_CARE, Disposition.ROUTINE, Disposition.URGENT, Disposition.EMERGENCY]
    return order[min(order.index(level) + 1, len(order) - 1)] if level in order else level


def _begin(kb: Knowledge, profile: Profile, text: str, answers: list[AnswerRecord]) -> Step:
    guess = detect_language(text)
    lang = profile.language or (guess.language if guess.language in ("en", "zh") else "en")
    if guess.language == "unsupported" and profile.language is None:
        ev = Evidence(profile=profile, language="en", text=text, answers=answers)
        ev.pending = _free_text_question("en")
        return Step(kind="question", question=ev.pending, evidence=ev,
                    message=f"{t('triage.unsupported_language', 'en')} / {t('triage.unsupported_language', 'zh')}")
    ev = Evidence(profile=profile, language=lang, text=text, answers=answers)  # type: ignore[arg-type]
    if not has_meaningful_text(text):
        return _clarify(kb, ev, "triage.describe_problem")
    found = understand(kb, text)
    ev.findings = {f: ("present" if s == "present" else "absent") for f, s in found.findings.items()}
    ev.finding_sources = {f: "text" for f in found.findings}
    for cond in profile.conditions:
        if cond in kb.findings:
            ev.findings[cond] = "present"
            ev.finding_sources[cond] = "profile"
    _apply_implications(kb, ev.findings)  # type: ignore[arg-type]
    updates: dict[str, object] = {}
    if profile.age_years is None and found.age_years is not None:
        updates["age_years"] = found.age_years
    if profile.sex is None and found.sex is not None:
        updates["sex"] = found.sex
    if updates:
        ev.profile = profile.model_copy(update=updates)
    ev.duration_days, ev.severity = found.duration_days, found.severity
    ev.text_conditions = found.conditions
    ev.text_departments = found.departments_named
    ev.text_keyword_departments = found.keyword_departments
    _refresh_protocols(kb, ev)
    if not ev.protocols:
        return _clarify(kb, ev, "triage.not_understood")
    return _advance(kb, ev)


def _clarify(kb: Knowledge, ev: Evidence, message_key: str) -> Step:
    """Ask the person to describe the problem; after one retry, give a cautious outcome instead."""
    tries = sum(1 for a in ev.answers if a.kind == "free_text")
    if tries >= MAX_CLARIFICATIONS and has_meaningful_text(ev.text):
        decision = decide(kb, ev.model_copy(update={"floor": Disposition.ROUTINE}))
        ev.floor = Disposition.ROUTINE
        return Step(kind="outcome", outcome=build_outcome(kb, ev, decision, unrecognised=True), evidence=ev)
    ev.pending = _free_text_question(ev.language)
    return Step(kind="question", question=ev.pending, message=t(message_key, ev.language), evidence=ev)


def _free_text_question(lang: str) -> Question:
    return Question(id="describe", kind="free_text", text=t("triage.ask_describe", lang), options=[],
                    rationale=t("triage.why_describe", lang))


def _advance(kb: Knowledge, ev: Evidence) -> Step:
    decision = decide(kb, ev)
    asked = sum(1 for a in ev.answers if a.kind != "free_text")
    if asked < MAX_QUESTIONS:
        question = next_question(kb, ev, decision)
        if question is None and decision.level.rank <= Disposition.URGENT.rank:
            question = separating_question(kb, ev)
        if question is not None:
            ev.pending = question
            return Step(kind="question", question=question, evidence=ev)
    ev.pending = None
    return Step(kind="outcome", outcome=build_outcome(kb, ev, decision), evidence=ev)


def _refresh_protocols(kb: Knowledge, ev: Evidence) -> None:
    present = {f for f, s in ev.findings.items() if s == "present"}
    for protocol in kb.protocols.values():
        if protocol.id not in ev.protocols and present & set(protocol.triggers):
            ev.protocols.append(protocol.id)


def _match_option_label(question: Question, raw: str) -> str | None:
    lowered = raw.strip().lower()
    for option in question.options:
        if lowered == option.label.lower():
            return option.id
    synonyms = {YES: {"y", "yes", "是", "是的", "有", "对"}, NO: {"n", "no", "否", "没有", "不是", "无"},
                DONT_KNOW: {"?", "not sure", "unsure", "不知道", "不清楚", "不确定"}}
    for option_id, words in synonyms.items():
        if lowered in words and option_id in {o.id for o in question.options}:
            return option_id
    return None


def _apply(kb: Knowledge, ev: Evidence, question: Question, choice: str) -> None:
    if question.kind == "findings":
        if choice == YES:
            if len(question.targets) == 1:
                ev.findings[question.targets[0]] = "present"
                ev.finding_sources[question.targets[0]] = f"answer:{question.id}"
                _apply_implications(kb, ev.findings)  # type: ignore[arg-type]
            elif question.protocol and question.rule:
                ev.group_yes.append(f"{question.protocol}.{question.rule}")
        elif choice == NO:
            for fid in question.targets:
                ev.findings[fid] = "absent"
                ev.finding_sources[fid] = f"answer:{question.id}"
        else:
            ev.dont_know.extend(question.targets)
        return
    if choice == DONT_KNOW:
        ev.dont_know.append(question.kind)
        return
    if question.kind == "age":
        ev.profile = ev.profile.model_copy(update={"age_years": AGE_BANDS[choice]})
    elif question.kind == "sex":
        ev.profile = ev.profile.model_copy(update={"sex": choice})
    elif question.kind == "duration":
        ev.duration_days = DURATION_BANDS[choice]
    elif question.kind == "severity":
        ev.severity = SEVERITY_BANDS[choice]
