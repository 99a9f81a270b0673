"""The eval suite's arithmetic and the team set's targets; the commands others rely on."""

import json
from pathlib import Path

from typer.testing import CliRunner

from careguide.cli import app
from careguide.evals.factcheck import TEAM_CASES, evaluate_cases, load_cases, score


def test_score_counts_cannot_judge_as_unjudged_and_missed():
    metrics = score(["misleading", "misleading", "not_misleading", "not_misleading"],
                    ["misleading", "not_judged", "misleading", "not_misleading"])
    assert metrics["judged_share"] == 0.75
    assert metrics["precision_misleading"] == 0.5
    assert metrics["recall_misleading"] == 0.5
    assert metrics["n"] == 4


def test_team_set_is_large_balanced_bilingual_and_covers_every_pattern():
    from careguide.knowledge.claims import load_claims

    cases = load_cases(TEAM_CASES)
    assert len(cases) >= 150
    assert {c["language"] for c in cases} == {"en", "zh"}
    misleading = [c for c in cases if c["label"] == "misleading"]
    assert 0.4 <= len(misleading) / len(cases) <= 0.6
    covered = {p for c in misleading for p in c["patterns"]}
    assert {p.id for p in load_claims().patterns} <= covered


def test_team_set_meets_the_precision_and_recall_targets():
    metrics = evaluate_cases(load_cases(TEAM_CASES))
    assert metrics["precision_misleading"] >= 0.95
    assert metrics["recall_misleading"] >= 0.90


def test_check_command_prints_one_json_object_with_the_agreed_keys():
    result = CliRunner().invoke(app, ["check", "祖传秘方，包治百病，无效退款！", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert list(payload)[:4] == ["verdict", "patterns", "claims", "explanation"]
    assert payload["verdict"] == "misleading"


def test_check_command_reports_bad_input_in_both_languages():
    result = CliRunner().invoke(app, ["check", "", "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert payload["error"] == "empty" and payload["message"]["zh"] and payload["message"]["en"]


def test_eval_command_on_one_file_prints_the_agreed_metrics(tmp_path: Path):
    cases = tmp_path / "cases.jsonl"
    rows = [{"id": "a", "language": "zh", "text": "祖传秘方，三天根治高血压。", "label": "misleading"},
            {"id": "b", "language": "en", "text": "Wash your hands with soap to prevent infections.",
             "label": "not_misleading"}]
    cases.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "factcheck", "--cases", str(cases), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    for key in ("judged_share", "precision_misleading", "recall_misleading", "macro_f1", "n"):
        assert key in payload
    assert payload["n"] == 2 and payload["precision_misleading"] == 1.0
