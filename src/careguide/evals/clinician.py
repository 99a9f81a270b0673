"""Faithfulness of pre-consultation summaries over the team's triage cases.

Each case is interviewed by the simulated patient of the triage eval; a summary is built in
both doctor languages against a fixed sample record, and checked: facts that do not trace
to the interview or the record (unsupported) and absent findings missing from the summary
(lost negatives) are counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from careguide.clinician.faithfulness import check
from careguide.clinician.summary import RecordView, build_summary
from careguide.evals.triage import run_case
from careguide.knowledge.loader import load_knowledge

SAMPLE_RECORD = RecordView(
    problems=[("Condition/demo-htn", "Essential hypertension (I10)")],
    medications=[("MedicationStatement/demo-amlo", "Amlodipine tablet")],
    allergies=[("AllergyIntolerance/demo-pcn", "Penicillin")],
    vitals=[("Observation/demo-sbp", "Systolic blood pressure: 148 mmHg (2026-10-30)")],
    abnormal_labs=[("Observation/demo-ldl", "LDL cholesterol: 4.6 mmol/L [H] (2026-09-12)")],
)


def evaluate_clinician(cases: Iterable[dict[str, Any]], progress: Callable[[], None] | None = None) -> dict[str, Any]:
    kb = load_knowledge()
    summaries = facts = unsupported = lost = 0
    failures: list[dict[str, Any]] = []
    started = time.perf_counter()
    for case in cases:
        step = run_case(kb, case)
        for lang in ("en", "zh"):
            summary = build_summary(0, step.evidence, step.outcome, SAMPLE_RECORD, lang, knowledge=kb)
            report = check(summary, step.evidence, step.outcome, SAMPLE_RECORD, knowledge=kb)
            summaries += 1
            facts += report.facts
            unsupported += len(report.unsupported)
            lost += len(report.lost_negatives)
            if not report.ok:
                failures.append({"id": case["id"], "lang": lang, "unsupported": report.unsupported,
                                 "lost_negatives": report.lost_negatives})
        if progress:
            progress()
    elapsed = time.perf_counter() - started
    return {"summaries": summaries, "facts": facts, "unsupported_facts": unsupported, "lost_negatives": lost,
            "summaries_per_second": round(summaries / elapsed, 1) if elapsed else None, "failures": failures[:20]}
