"""The commands other parts rely on print one JSON object as their last line."""

import json

import typer
from typer.testing import CliRunner

from careguide.cli.triage import register


def make_app() -> typer.Typer:
    app, eval_app = typer.Typer(), typer.Typer()
    app.add_typer(eval_app, name="eval")
    register(app, eval_app)
    return app


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_triage_command_prints_the_first_step_as_json():
    result = CliRunner().invoke(make_app(), ["triage", "crushing chest pain and sweating", "--age", "60", "--sex", "M",
                                             "--region", "HK", "--json"])
    assert result.exit_code == 0, result.output
    step = last_json(result.output)
    assert step["kind"] == "outcome" and step["outcome"]["disposition"] == "ambulance"
    assert step["outcome"]["emergency_number"] == "999"


def test_triage_command_rejects_a_bad_sex_value_with_a_message():
    result = CliRunner().invoke(make_app(), ["triage", "headache", "--sex", "X"])
    assert result.exit_code != 0 and "F or M" in result.output


def test_eval_triage_prints_the_agreed_keys(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"id": "c1", "text": "mild sore throat for 2 days, no fever, otherwise well", "language": "en",
                                "age": 30, "sex": "F", "gold_triage3": "self_care"}), encoding="utf-8")
    result = CliRunner().invoke(make_app(), ["eval", "triage", "--cases", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = last_json(result.output)
    for key in ("accuracy_3level", "emergency_sensitivity", "self_care_accuracy", "under_triage_rate",
                "over_triage_rate", "mean_questions", "n"):
        assert key in report
    assert report["self_care_accuracy"] == 1.0


def test_eval_routing_prints_top1_top3_and_n(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "q1", "language": "zh", "text": "胃痛反酸两个月", "gold_department": ["消化内科"]},
                               ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(make_app(), ["eval", "routing", "--cases", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = last_json(result.output)
    assert report["n"] == 1 and report["top1"] == 1.0 and report["top3"] == 1.0
