"""After the disposition is settled: the one question that best separates the likely departments.

Candidates are unknown findings of the most likely conditions. For each, the expected share of the
leading department after a yes or a no answer is computed from the condition likelihoods; the finding
with the largest expected gain is asked, when the gain is worth a question.
"""

from __future__ import annotations

from collections import defaultdict

from careguide.i18n import t
from careguide.knowledge import Knowledge
from careguide.triage.departments import condition_posterior
from careguide.triage.models import Evidence, Question
from careguide.triage.outcome import department_signals
from careguide.triage.questions import yes_no

MAX_SEPARATING_QUESTIONS = 2
MIN_GAIN = 0.08
CONFIDENT_SHARE = 0.6
UNASKABLE_SYSTEMS = {"vitals", "history"}


def separating_question(knowledge: Knowledge, ev: Evidence) -> Question | None:
    asked = sum(1 for a in ev.answers if a.question_id.startswith("d:"))
    if asked >= MAX_SEPARATING_QUESTIONS:
        return None
    posterior = condition_posterior(knowledge, department_signals(knowledge, ev, None))
    top = dict(list(posterior.items())[:6])
    if len(top) < 2:
        return None
    current = _leading_share(knowledge, top)
    if current >= CONFIDENT_SHARE:
        return None
    best: tuple[float, str] | None = None
    candidates = {f for c in top for f in knowledge.conditions[c].findings}
    for fid in sorted(candidates):
        finding = knowledge.findings[fid]
        if ev.findings.get(fid, "unknown") != "unknown" or fid in ev.dont_know or finding.system in UNASKABLE_SYSTEMS:
            continue
        yes = {c: p * knowledge.conditions[c].findings.get(fid, 0.04) for c, p in top.items()}
        no = {c: p * (1 - knowledge.conditions[c].findings.get(fid, 0.04)) for c, p in top.items()}
        p_yes = sum(yes.values())
        gain = p_yes * _leading_share(knowledge, yes) + (1 - p_yes) * _leading_share(knowledge, no) - current
        if gain > MIN_GAIN and (best is None or gain > best[0]):
            best = (gain, fid)
    if best is None:
        return None
    finding = knowledge.findings[best[1]]
    lang = ev.language
    text = finding.question.get(lang) if finding.question else t("triage.ask_finding", lang, name=finding.name.get(lang))
    return Question(id=f"d:{finding.id}", kind="findings", text=text, options=yes_no(lang), targets=[finding.id],
                    rationale=t("triage.why_department", lang), source=finding.source)


def _leading_share(knowledge: Knowledge, weights: dict[str, float]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    by_dept: dict[str, float] = defaultdict(float)
    for cid, w in weights.items():
        by_dept[knowledge.conditions[cid].departments[0]] += w / total
    return max(by_dept.values())
