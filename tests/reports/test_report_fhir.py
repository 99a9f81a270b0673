"""FHIR R4 lab results: Observations, DiagnosticReports with contained results, Bundles."""

import json
from pathlib import Path

import pytest

from careguide.reports import explain_report
from careguide.reports.errors import ReportError
from careguide.reports.models import Flag

US_CORE = Path(__file__).resolve().parents[3] / "shared" / "evals" / "reports" / "lab_reference" / "us_core_examples"


def _observation(code: str, display: str, value: float, unit: str, low: float, high: float, oid: str) -> dict:
    return {
        "resourceType": "Observation", "id": oid, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}], "text": display},
        "effectiveDateTime": "2024-02-01",
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
        "referenceRange": [{"low": {"value": low, "unit": unit}, "high": {"value": high, "unit": unit}}],
    }


def test_bundle_of_observations_is_read_with_codes_and_ranges():
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": _observation("2823-3", "Potassium", 6.9, "mmol/L", 3.5, 5.1, "k")},
        {"resource": _observation("2951-2", "Sodium", 139, "mmol/L", 135, 145, "na")},
    ]}
    report = explain_report(json.dumps(bundle).encode(), "bundle.json", "en")
    assert [r.loinc for r in report.results] == ["2823-3", "2951-2"]
    assert report.results[0].flag is Flag.CRITICAL_HIGH
    assert report.banner is not None
    assert str(report.header.report_date) == "2024-02-01"


def test_diagnostic_report_with_contained_observations():
    obs = _observation("718-7", "Hemoglobin", 10.1, "g/dL", 12.0, 15.5, "hb")
    diagnostic = {"resourceType": "DiagnosticReport", "status": "final", "contained": [obs],
                  "code": {"coding": [{"system": "http://loinc.org", "code": "58410-2"}]},
                  "result": [{"reference": "#hb"}]}
    report = explain_report(json.dumps(diagnostic).encode(), "dr.json", "zh")
    assert report.results[0].flag is Flag.LOW
    assert report.results[0].name == "血红蛋白"


def test_diagnostic_report_pointing_elsewhere_says_what_to_export():
    diagnostic = {"resourceType": "DiagnosticReport", "status": "final",
                  "code": {"coding": [{"system": "http://loinc.org", "code": "58410-2"}]},
                  "result": [{"reference": "Observation/a"}, {"reference": "Observation/b"}]}
    with pytest.raises(ReportError) as caught:
        explain_report(json.dumps(diagnostic).encode(), "dr.json")
    assert caught.value.key == "fhir_unresolved"
    assert "2" in caught.value.message("en")


@pytest.mark.skipif(not US_CORE.exists(), reason="shared evaluation data not present")
def test_us_core_inverted_reference_range_is_caught():
    report = explain_report((US_CORE / "observation-cbc-mch.json").read_bytes(), "mch.json", "en")
    result = report.results[0]
    assert result.loinc == "785-6"
    assert result.range_source == "knowledge"
    assert any("lower limit above its upper limit" in p for p in result.problems)
