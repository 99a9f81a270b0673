"""The research export and the privacy commands."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from careguide.cli import app
from careguide.privacy.deid import pseudonym
from careguide.privacy.deid_export import ResearchRecord, research_export

SECRET = b"export-secret"


def people(n: int, region: str = "100080") -> list[ResearchRecord]:
    return [ResearchRecord(person_key=str(i), birth_date=date(1960, 1 + i % 12, 1), sex="female", region=region,
                           data={"note": f"患者王芳{i}，电话1381234{i:04d}，2023年3月5日复诊。", "hba1c": 7.1})
            for i in range(n)]


def test_export_pseudonymises_generalises_and_scrubs():
    export = research_export(people(6), secret=SECRET, k=5, today=date(2024, 6, 1))
    row = export.rows[0]
    assert row["pid"] == pseudonym(SECRET, "0") and row["age_band"] == "60-64" and row["region3"] == "100"
    assert "1381234" not in row["data"]["note"] and "2023年3月5日" not in row["data"]["note"]
    assert row["data"]["hba1c"] == 7.1
    assert export.k_anonymity.satisfied and export.k_anonymity.suppressed_rows == 0


def test_export_suppresses_a_person_who_would_stand_out():
    records = people(6) + [ResearchRecord(person_key="rare", birth_date=date(1925, 1, 1), sex="male", region="850000")]
    export = research_export(records, secret=SECRET, k=5, today=date(2024, 6, 1))
    rare = next(r for r in export.rows if r["pid"] == pseudonym(SECRET, "rare"))
    assert rare["age_band"] == rare["sex"] == rare["region3"] == "*"
    assert export.k_anonymity.suppressed_rows == 1


def test_cli_export_writes_rows_and_reports(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(r.model_dump_json() + "\n" for r in people(5)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["deid-export", str(source), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["smallest_class"] == 5
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_cli_export_names_the_bad_line_in_the_users_language(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"person_key": "1"}\n{"birth_date": "not a date"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["deid-export", str(source), "--out", str(tmp_path / "o"), "--lang", "zh"])
    assert result.exit_code == 2 and "第 2 行" in result.output


def test_eval_deid_prints_one_json_object_with_the_figures():
    result = CliRunner().invoke(app, ["eval", "deid", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["n"] >= 200 and 0 < report["identifier_recall"] <= 1 and "name" in report["per_type_recall"]
