"""Explained results become valid FHIR Observations for the record."""

from datetime import date

from careguide.reports.export import to_fhir_observations
from careguide.reports.interpret import interpret
from careguide.reports.parse import parse_document
from careguide.reports.text import extract_text


def test_recognised_results_become_observations_with_loinc_ucum_and_interpretation():
    text = "报告日期：2024-05-06\n白细胞计数 WBC 11.2 ×10^9/L 3.5-9.5\nCRP <0.5 mg/L 0-10\n神秘指标 QQ 3 U/L 0-5\n"
    explanation = interpret(parse_document(extract_text(text)), "zh")
    observations = to_fhir_observations(explanation, "Patient/42")
    assert [o["code"]["coding"][0]["code"] for o in observations] == ["6690-2", "1988-5"]  # unrecognised left out
    wbc, crp = observations
    assert wbc["valueQuantity"]["code"] == "10*9/L"
    assert wbc["interpretation"][0]["coding"][0]["code"] == "H"
    assert wbc["effectiveDateTime"] == date(2024, 5, 6).isoformat()
    assert crp["valueQuantity"]["comparator"] == "<"
