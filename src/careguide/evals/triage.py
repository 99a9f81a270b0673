"""Triage evaluation with a simulated patient (``careguide eval triage``).

The simulated patient answers each question only from the case text, through the same language
understanding the engine uses: a finding the text states is "yes", one it denies is "no", one it does
not mention is "don't know" (or "no" when the text says the person is otherwise well). Age and sex
come from the case's fields, as they would from a profile. The engine never sees the gold labels.

Figures: accuracy on five levels (cases with ``gold_triage``) and on the three-level scale of the
symptom-checker studies, emergency sensitivity, self-care accuracy, under- and over-triage rates on
the three-level scale, questions asked, department top-1/top-3 (cases with ``gold_department``), and
a per-case failure table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from careguide.knowledge import Knowledge, load_knowledge
from careguide.triage import Profile, Step, answer, start
from careguide.triage.models import Question
from careguide.triage.questions import AGE_BANDS, DONT_KNOW, DURATION_BANDS, NO, SEVERITY_BANDS, YES
from careguide.triage.understand import Understanding, understand

REPO_ROOT = Path(__file__).resolve().parents[3]
TEAM_CASES = REPO_ROOT / "evals" / "triage_cases.jsonl"
TRIAGE3_RANK = {"self_care": 0, "non_emergency": 1, "emergency": 2}
LEVEL_RANK = {"self_care": 0, "routine": 1, "urgent": 2, "emergency": 3, "ambulance": 4}


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL case file; each line needs ``id``, ``text`` and ``gold_triage3``."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        case = json.loads(line)
        missing = [k for k in ("id", "text", "gold_triage3") if k not in case]
        if missing:
            raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
        cases.append(case)
    return cases


class SimulatedPatient:
    """Answers from the case text only, through the engine's own language understanding."""

    def __init__(self, knowledge: Knowledge, case: dict[str, Any]):
        self.case = case
        self.read: Understanding = understand(knowledge, case["text"])
        self.otherwise_well = self.read.findings.get("no_other_symptoms") == "present"

    def reply(self, question: Question) -> str:
        if question.kind == "findings":
            states = [self.read.findings.get(f) for f in question.targets]
            if "present" in states:
                return YES
            if states and all(s == "absent" for s in states):
                return NO
            return NO if self.otherwise_well else DONT_KNOW
        if question.kind == "age":
            return _band(self.read.age_years if self.case.get("age") is None else float(self.case["age"]), AGE_BANDS)
        if question.kind == "sex":
            return _profile_sex(self.case.get("sex")) or DONT_KNOW
        if question.kind == "duration":
            return _band(self.read.duration_days, DURATION_BANDS)
        if question.kind == "severity":
            return _band(self.read.severity, SEVERITY_BANDS)
        return self.case["text"] if question.kind == "free_text" else DONT_KNOW


def _band(value: float | None, bands: dict[str, float] | dict[str, int]) -> str:
    """The band whose representative value is nearest below-or-at the value (bands are ascending)."""
    if value is None:
        return DONT_KNOW
    chosen = next(iter(bands))
    for key, representative in bands.items():
        if value >= representative:
            chosen = key
    return chosen


def _profile_sex(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    return {"f": "female", "female": "female", "m": "male", "male": "male"}.get(text)


def run_case(knowledge: Knowledge, case: dict[str, Any], max_steps: int = 30) -> Step:
    profile = Profile(age_years=case.get("age"), sex=_profile_sex(case.get("sex")),  # type: ignore[arg-type]
                      language=case.get("language") if case.get("language") in ("en", "zh") else None)
    patient = SimulatedPatient(knowledge, case)
    step = start(profile, case["text"], knowledge)
    free_text_tries = 0
    for _ in range(max_steps):
        if step.kind != "question" or step.question is None:
            break
        if step.question.kind == "free_text":
            free_text_tries += 1
            if free_text_tries > 1:
                break
        step = answer(step.evidence, patient.reply(step.question), knowledge)
    return step


def evaluate_triage(cases: Iterable[dict[str, Any]], knowledge: Knowledge | None = None,
                    progress: Callable[[], None] | None = None) -> dict[str, Any]:
    kb = knowledge or load_knowledge()
    rows = []
    for case in cases:
        step = run_case(kb, case)
        outcome = step.outcome
        predicted = outcome.disposition.value if outcome else "none"
        predicted3 = outcome.triage3 if outcome else "none"
        departments = [d.id for d in outcome.departments] if outcome else []
        gold_depts = _gold_departments(kb, case.get("gold_department"))
        rows.append({
            "id": case["id"], "language": case.get("language"), "gold_triage3": case["gold_triage3"],
            "gold_triage": case.get("gold_triage"), "predicted": predicted, "predicted3": predicted3,
            "questions": outcome.questions_asked if outcome else len(step.evidence.answers),
            "gold_department": gold_depts, "departments": departments[:3],
            "protocols": step.evidence.protocols, "text": case["text"][:100],
        })
        if progress:
            progress()
    return summarise(rows)


def _gold_departments(kb: Knowledge, gold: Any) -> list[str]:
    names = gold if isinstance(gold, list) else [gold] if gold else []
    return [d for d in (kb.department_by_name(str(n)) for n in names) if d]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    if n == 0:
        return {"n": 0}
    ok3 = [r for r in rows if r["predicted3"] == r["gold_triage3"]]
    with5 = [r for r in rows if r["gold_triage"]]
    emergencies = [r for r in rows if r["gold_triage3"] == "emergency"]
    self_care = [r for r in rows if r["gold_triage3"] == "self_care"]
    under = [r for r in rows if TRIAGE3_RANK.get(r["predicted3"], -1) < TRIAGE3_RANK[r["gold_triage3"]]]
    over = [r for r in rows if TRIAGE3_RANK.get(r["predicted3"], -1) > TRIAGE3_RANK[r["gold_triage3"]]]
    with_dept = [r for r in rows if r["gold_department"]]
    failures = [
        {k: r[k] for k in ("id", "gold_triage3", "gold_triage", "predicted", "questions", "protocols", "text")}
        for r in rows if r["predicted3"] != r["gold_triage3"]
    ]
    by_language = {}
    for lang in sorted({str(r["language"]) for r in rows}):
        subset = [r for r in rows if str(r["language"]) == lang]
        by_language[lang] = {"n": len(subset), "accuracy_3level": _share(
            [r for r in subset if r["predicted3"] == r["gold_triage3"]], subset)}
    return {
        "n": n,
        "accuracy_3level": _share(ok3, rows),
        "accuracy_5level": _share([r for r in with5 if r["predicted"] == r["gold_triage"]], with5),
        "n_5level": len(with5),
        "emergency_sensitivity": _share([r for r in emergencies if r["predicted3"] == "emergency"], emergencies),
        "self_care_accuracy": _share([r for r in self_care if r["predicted3"] == "self_care"], self_care),
        "under_triage_rate": _share(under, rows),
        "over_triage_rate": _share(over, rows),
        "mean_questions": round(sum(r["questions"] for r in rows) / n, 2),
        "max_questions": max(r["questions"] for r in rows),
        "department_top1": _share([r for r in with_dept if r["departments"][:1] and r["departments"][0] in r["gold_department"]], with_dept),
        "department_top3": _share([r for r in with_dept if set(r["departments"][:3]) & set(r["gold_department"])], with_dept),
        "n_department": len(with_dept),
        "by_language": by_language,
        "failures": failures,
    }


def _share(part: list[Any], whole: list[Any]) -> float | None:
    return round(len(part) / len(whole), 4) if whole else None
