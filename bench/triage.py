"""Triage benchmark: whole interviews per second and p50/p99 time per step over the full knowledge base.

Baseline in the same run: loading and validating the knowledge base and building its lexicons.
Interviews are the team case set (evals/triage_cases.jsonl) answered by the simulated patient, so
every step type (start, findings, age, duration, severity questions, outcome) is exercised.

    .venv/bin/python bench/triage.py [--cases PATH] [--rounds N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from careguide.evals.triage import TEAM_CASES, SimulatedPatient, _profile_sex, load_cases
from careguide.i18n import catalog
from careguide.knowledge import load_knowledge
from careguide.knowledge.loader import DATA_DIR
from careguide.triage import Profile, answer, start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=TEAM_CASES)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    catalog()  # the message catalogs are read once per process, like the knowledge base
    kb = load_knowledge.__wrapped__(DATA_DIR)
    _ = (kb.finding_lexicon, kb.condition_lexicon, kb.department_lexicon, kb.keyword_lexicon, kb.denial_lexicon)
    load_seconds = time.perf_counter() - t0
    for case in load_cases(args.cases)[:5]:  # warm-up, not timed
        start(Profile(), case["text"], kb)

    cases = load_cases(args.cases)
    step_times: list[float] = []
    cpu_times: list[float] = []
    interviews = 0
    t_all = time.perf_counter()
    for _ in range(args.rounds):
        for case in cases:
            patient = SimulatedPatient(kb, case)
            profile = Profile(age_years=case.get("age"), sex=_profile_sex(case.get("sex")))  # type: ignore[arg-type]
            t, c = time.perf_counter(), time.thread_time()
            step = start(profile, case["text"], kb)
            step_times.append(time.perf_counter() - t)
            cpu_times.append(time.thread_time() - c)
            for _step in range(30):
                if step.kind != "question" or step.question is None or step.question.kind == "free_text":
                    break
                reply = patient.reply(step.question)
                t, c = time.perf_counter(), time.thread_time()
                step = answer(step.evidence, reply, kb)
                step_times.append(time.perf_counter() - t)
                cpu_times.append(time.thread_time() - c)
            interviews += 1
    total = time.perf_counter() - t_all
    ordered = sorted(step_times)
    report = {
        "knowledge_load_s": round(load_seconds, 3),
        "findings": len(kb.findings), "protocols": len(kb.protocols), "conditions": len(kb.conditions),
        "interviews": interviews,
        "steps": len(step_times),
        "interviews_per_s": round(interviews / total, 1),
        "step_p50_ms": round(statistics.median(ordered) * 1000, 3),
        "step_p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 3),
        "step_max_ms": round(ordered[-1] * 1000, 3),
        # CPU time of the step's thread: the same work without waiting for a busy machine's other processes
        "step_cpu_p50_ms": round(sorted(cpu_times)[len(cpu_times) // 2] * 1000, 3),
        "step_cpu_p99_ms": round(sorted(cpu_times)[int(0.99 * (len(cpu_times) - 1))] * 1000, 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "target_p99_ms": 5.0,
    }
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key}: {value}", file=sys.stdout)


if __name__ == "__main__":
    main()
