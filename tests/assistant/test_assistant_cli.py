"""``careguide ask --json`` prints the documented object."""

import json

from typer.testing import CliRunner

from careguide.cli import app


def test_ask_json_prints_intent_emergency_answer_sources_refused():
    result = CliRunner().invoke(app, ["ask", "Is it OK to tilt my head back for a nosebleed?", "--json",
                                      "--no-embeddings"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert {"intent", "emergency", "answer", "sources", "refused"} <= set(payload)
    assert payload["emergency"] is False and payload["refused"] is False
    assert payload["sources"] and payload["corrected"] is True


def test_ask_json_emergency_in_chinese_uses_region_number():
    result = CliRunner().invoke(app, ["ask", "我妈突然说话不清楚，嘴也歪了", "--json", "--region", "HK", "--no-embeddings"])
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert payload["emergency"] is True and "999" in payload["answer"].split("\n\n")[0]
