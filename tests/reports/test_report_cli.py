"""``careguide report explain FILE --json`` prints the documented contract."""

import json

from typer.testing import CliRunner

from careguide.cli import app


def test_explain_json_contract(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("性别：男\n钾 K 6.9 mmol/L 3.5-5.3\n白细胞计数 WBC 6.0 10^9/L 3.5-9.5\n神秘指标 QQ 3 U/L 0-5\n",
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "explain", str(report), "--json", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert {"results", "critical", "unrecognised"} <= set(data)
    row = data["results"][0]
    assert {"name", "loinc", "value", "unit", "range_low", "range_high", "flag"} <= set(row)
    assert (row["loinc"], row["value"], row["unit"], row["flag"]) == ("2823-3", 6.9, "mmol/L", "HH")
    assert [r["loinc"] for r in data["critical"]] == ["2823-3"]
    assert [r["name"] for r in data["unrecognised"]] == ["神秘指标"]
    assert data["banner"].startswith("紧急")


def test_explain_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["report", "explain", str(tmp_path / "nope.pdf"), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output.strip().splitlines()[-1])["error"] == "file_missing"
