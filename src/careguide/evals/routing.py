"""Department choice from free text (``careguide eval routing``).

Runs the knowledge-based department ranking (findings, named conditions, department names and
keywords, active protocols) on each question and checks the gold department(s) against the top-1 and
top-3. With ``learned=True`` a small character n-gram model, trained only on the ``train`` half of a
fixed hash split of the file, is blended in; figures are then reported on the ``test`` half only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from careguide.knowledge import Knowledge, load_knowledge
from careguide.triage.router import DepartmentRouter, NgramDepartmentModel, split_of

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED_ROUTING = REPO_ROOT.parent / "shared" / "evals" / "routing" / "zh_department_questions.jsonl"


def load_questions(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            if "text" not in row or "gold_department" not in row:
                raise ValueError(f"{path}:{number}: needs text and gold_department")
            rows.append(row)
    return rows


def gold_ids(kb: Knowledge, gold: Any) -> list[str]:
    names = gold if isinstance(gold, list) else [gold]
    return [d for d in (kb.department_by_name(str(n)) for n in names) if d]


def evaluate_routing(rows: Iterable[dict[str, Any]], knowledge: Knowledge | None = None, *, learned: bool = False,
                     progress: Callable[[], None] | None = None) -> dict[str, Any]:
    kb = knowledge or load_knowledge()
    rows = list(rows)
    model = None
    if learned:
        train = [r for r in rows if split_of(str(r.get("id", r["text"]))) == "train"]
        model = NgramDepartmentModel.train([(r["text"], gold_ids(kb, r["gold_department"])) for r in train])
        rows = [r for r in rows if split_of(str(r.get("id", r["text"]))) == "test"]
    router = DepartmentRouter(kb, model)
    top1 = top3 = 0
    misses: Counter[str] = Counter()
    per_gold: dict[str, list[int]] = {}
    for row in rows:
        gold = set(gold_ids(kb, row["gold_department"]))
        ranked = [d for d, _ in router.rank(row["text"])][:3]
        hit1 = bool(ranked[:1] and ranked[0] in gold)
        hit3 = bool(gold & set(ranked))
        top1 += hit1
        top3 += hit3
        key = "+".join(sorted(gold))
        per_gold.setdefault(key, [0, 0])
        per_gold[key][0] += hit1
        per_gold[key][1] += 1
        if not hit1:
            misses[f"{key}->{ranked[0] if ranked else 'none'}"] += 1
        if progress:
            progress()
    n = len(rows)
    return {
        "n": n,
        "top1": round(top1 / n, 4) if n else None,
        "top3": round(top3 / n, 4) if n else None,
        "split": "test half (model trained on the train half)" if learned else "whole file (knowledge only, nothing trained)",
        "per_gold_top1": {k: round(v[0] / v[1], 3) for k, v in sorted(per_gold.items())},
        "top_confusions": dict(misses.most_common(10)),
    }
