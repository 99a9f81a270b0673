"""Evaluation of the health-claim checker (``careguide eval factcheck``).

Three kinds of labelled file, told apart by their gold labels:

* the team's set (``evals/factcheck_cases.jsonl``): ``misleading`` / ``not_misleading``;
* PUBHEALTH claims (``shared/evals/factcheck/en_health_claims.jsonl``): ``true`` / ``false`` /
  ``mixture`` / ``unproven``, compared as ``consistent_with_evidence`` / ``misleading`` /
  ``unsupported`` / ``unsupported``;
* HRDE rumours (``shared/evals/factcheck/zh_health_rumours.jsonl``): ``misleading`` /
  ``not_misleading`` / ``not_health``.

Predictions: ``misleading`` is the verdict misleading; ``cannot_judge`` on a text the checker found not
to be about health is the prediction ``not_health``; any other ``cannot_judge`` is not judged; on the
two-way files ``unsupported`` and ``consistent_with_evidence`` count as "not misleading".
Figures: ``judged_share`` (items with a prediction), ``accuracy`` and ``macro_f1`` over the judged items,
``precision_misleading`` over the items predicted misleading, ``recall_misleading`` over every gold
misleading item (not judged counts as missed).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from careguide.factcheck import FactcheckInputError, FactcheckResult, Verdict, check_text
from careguide.llm import LLM

REPO_ROOT = Path(__file__).resolve().parents[3]
TEAM_CASES = REPO_ROOT / "evals" / "factcheck_cases.jsonl"
SHARED_DIR = REPO_ROOT.parent / "shared" / "evals" / "factcheck"
DEFAULT_FILES = (SHARED_DIR / "en_health_claims.jsonl", SHARED_DIR / "zh_health_rumours.jsonl", TEAM_CASES)
AD_LAW_TAXONOMY = SHARED_DIR / "zh_ad_law_violation_taxonomy.json"
# Branches of the advert-law taxonomy about health: drugs, medical services, medical devices, food.
HEALTH_BRANCHES = ("YP", "YL", "YLQX", "SP")

_PUBHEALTH = {"true": "consistent_with_evidence", "false": "misleading", "mixture": "unsupported",
              "unproven": "unsupported"}
NOT_JUDGED = "not_judged"


def load_cases(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_cases(
    cases: list[dict[str, Any]],
    check: Callable[[str, str | None], FactcheckResult] = check_text,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Metrics of the checker on labelled cases (one kind of file at a time)."""
    labels = {str(case["label"]) for case in cases}
    kind = "pubhealth" if labels & set(_PUBHEALTH) else "three_way" if "not_health" in labels else "two_way"
    gold: list[str] = []
    predicted: list[str] = []
    warnings: list[bool] = []
    pattern_expected = pattern_found = 0
    missed_patterns: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for done, case in enumerate(cases, 1):
        gold_label = _PUBHEALTH[case["label"]] if kind == "pubhealth" else str(case["label"])
        try:
            result: FactcheckResult | None = check(case["text"], case.get("language"))
        except FactcheckInputError as error:
            errors[error.code] += 1
            result = None
        gold.append(gold_label)
        predicted.append(_prediction(result, kind))
        warnings.append(result is not None and result.verdict in (Verdict.MISLEADING, Verdict.UNSUPPORTED))
        if result is not None and case.get("patterns"):
            found = {p.id for p in result.patterns}
            for pattern_id in case["patterns"]:
                pattern_expected += 1
                pattern_found += pattern_id in found
                if pattern_id not in found:
                    missed_patterns[pattern_id] += 1
        if progress:
            progress(done)
    metrics = score(gold, predicted, warnings)
    metrics["kind"] = kind
    languages = [str(case.get("language") or "") for case in cases]
    if len(set(languages)) > 1:
        metrics["by_language"] = {
            lang: {k: v for k, v in score(*_subset(lang, languages, gold, predicted, warnings)).items()
                   if k in ("n", "judged_share", "accuracy", "precision_misleading", "recall_misleading")}
            for lang in sorted(set(languages))
        }
    metrics["input_errors"] = dict(errors)
    if pattern_expected:
        metrics["pattern_recall"] = round(pattern_found / pattern_expected, 4)
        metrics["patterns_missed"] = dict(missed_patterns.most_common())
    return metrics


def _subset(
    lang: str, languages: list[str], gold: list[str], predicted: list[str], warnings: list[bool]
) -> tuple[list[str], list[str], list[bool]]:
    keep = [i for i, item in enumerate(languages) if item == lang]
    return [gold[i] for i in keep], [predicted[i] for i in keep], [warnings[i] for i in keep]


def _prediction(result: FactcheckResult | None, kind: str) -> str:
    if result is None:
        return NOT_JUDGED
    if result.verdict == Verdict.MISLEADING:
        return "misleading"
    if result.verdict == Verdict.CANNOT_JUDGE:
        return "not_health" if kind == "three_way" and not result.about_health else NOT_JUDGED
    if kind == "pubhealth":
        return result.verdict.value
    return "not_misleading"


def score(gold: list[str], predicted: list[str], warnings: list[bool] | None = None) -> dict[str, Any]:
    """Judged share, accuracy and macro-F1 on judged items, precision/recall of ``misleading``;
    ``warnings`` marks the items whose verdict was misleading or unsupported."""
    n = len(gold)
    warnings = warnings if warnings is not None else [p == "misleading" for p in predicted]
    judged = [(g, p) for g, p in zip(gold, predicted, strict=True) if p != NOT_JUDGED]
    classes = sorted(set(gold))
    f1s = [_f1(judged, label) for label in classes]
    flagged = [g for g, p in judged if p == "misleading"]
    warned = [(g, p) for g, p, w in zip(gold, predicted, warnings, strict=True) if w]
    gold_misleading = sum(g == "misleading" for g in gold)
    return {
        "n": n,
        "judged": len(judged),
        "judged_share": _ratio(len(judged), n),
        "accuracy": _ratio(sum(g == p for g, p in judged), len(judged)),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s and judged else None,
        "precision_misleading": _ratio(sum(g == "misleading" for g in flagged), len(flagged)),
        "recall_misleading": _ratio(sum(g == "misleading" for g in flagged), gold_misleading),
        "predicted_misleading": len(flagged),
        # Secondary: "misleading" or "unsupported" both read as a warning to the person.
        "precision_flagged": _ratio(sum(g == "misleading" for g, p in warned), len(warned)),
        "recall_flagged": _ratio(sum(g == "misleading" for g, p in warned), gold_misleading),
        "gold_counts": dict(Counter(gold)),
        "confusion": {f"{g}->{p}": c for (g, p), c in sorted(Counter(zip(gold, predicted, strict=True)).items())},
    }


def _f1(pairs: Iterable[tuple[str, str]], label: str) -> float:
    pairs = list(pairs)
    tp = sum(g == label and p == label for g, p in pairs)
    fp = sum(g != label and p == label for g, p in pairs)
    fn = sum(g == label and p != label for g, p in pairs)
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def ad_law_coverage(path: Path = AD_LAW_TAXONOMY) -> dict[str, Any]:
    """How many categories of the public PRC advert-law taxonomy the pattern catalogue cites, per branch."""
    from careguide.knowledge.claims import load_claims

    if not path.exists():
        return {"error": f"missing file: {path}"}
    cited = {code for p in load_claims().patterns for b in p.basis for code in b.ad_law_codes}
    branches: dict[str, Any] = {}
    for branch in json.loads(path.read_text(encoding="utf-8")):
        codes = [child["fcode"] for child in branch.get("children") or []]
        branches[branch["fcode"]] = {"categories": len(codes), "cited": sum(c in cited for c in codes)}
    health = [branches[b] for b in HEALTH_BRANCHES if b in branches]
    return {"branches": branches, "health_categories": sum(b["categories"] for b in health),
            "health_cited": sum(b["cited"] for b in health)}


def evaluate_files(
    paths: Iterable[Path], progress: Callable[[str, int, int], None] | None = None, llm: LLM | None = None
) -> dict[str, Any]:
    """Per-file metrics; a missing file is reported as such, never silently skipped. With a generating
    ``llm`` each file is run twice and the second run is reported under ``with_llm``."""
    files: dict[str, Any] = {}
    for path in paths:
        name = path.stem
        if not path.exists():
            files[name] = {"error": f"missing file: {path}"}
            continue
        cases = load_cases(path)
        step = (lambda done, name=name, total=len(cases): progress(name, done, total)) if progress else None
        files[name] = {"path": str(path), **evaluate_cases(cases, progress=step)}
        if llm is not None and llm.generates:
            files[name]["with_llm"] = evaluate_cases(cases, check=lambda text, lang: check_text(text, lang, llm=llm))
    return {"suite": "factcheck", "files": files, "llm": getattr(llm, "name", "none") if llm else "none",
            "ad_law_coverage": ad_law_coverage()}
