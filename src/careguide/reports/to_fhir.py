"""An explained report as FHIR R4: one DiagnosticReport and one Observation per recognised result.

Resource ids are derived from the report's content, so saving the same report twice
stores it once (the record's import is idempotent on ids and content hashes).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from careguide.knowledge.analytes import Analyte, AnalyteIndex, UnitMismatch, load_analytes
from careguide.reports.models import Flag, LabResult, ReportExplanation

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
_INTERPRETATION = {
    Flag.LOW: ("L", "Low"), Flag.HIGH: ("H", "High"), Flag.CRITICAL_LOW: ("LL", "Critical low"),
    Flag.CRITICAL_HIGH: ("HH", "Critical high"), Flag.NORMAL: ("N", "Normal"), Flag.ABNORMAL: ("A", "Abnormal"),
}


def report_bundle(explanation: ReportExplanation, *, fallback_date: date) -> dict[str, Any]:
    """A collection Bundle of the report's recognised results (unrecognised rows stay out:
    a result without a LOINC code cannot be compared or trended)."""
    when = (explanation.header.report_date or fallback_date).isoformat()
    observations = [_observation(result, when) for result in explanation.results if result.loinc]
    report_id = _digest("report", when, *(o["id"] for o in observations))
    report = {
        "resourceType": "DiagnosticReport",
        "id": report_id,
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "LAB"}]}],
        "code": {"coding": [{"system": LOINC, "code": "11502-2", "display": "Laboratory report"}],
                 "text": explanation.header.title or "Laboratory report"},
        "effectiveDateTime": when,
        "result": [{"reference": f"Observation/{o['id']}"} for o in observations],
        "conclusion": explanation.summary,
    }
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"DiagnosticReport/{report_id}", "resource": report}]
        + [{"fullUrl": f"Observation/{o['id']}", "resource": o} for o in observations],
    }


def _observation(result: LabResult, when: str) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _digest("obs", when, str(result.loinc), result.value_text, result.unit or ""),
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": result.loinc, "display": result.name}],
                 "text": result.printed_name},
        "effectiveDateTime": when,
    }
    index = load_analytes()
    analyte = index.by_loinc.get(str(result.loinc))
    range_unit, low, high = result.unit, result.range_low, result.range_high
    if result.canonical_value is not None and analyte is not None:
        # Stored in the knowledge base's canonical unit with its UCUM code, so later reports
        # in other units compare directly.
        observation["valueQuantity"] = {"value": result.canonical_value, "unit": analyte.unit,
                                        "system": UCUM, "code": analyte.ucum}
        range_unit, low, high = analyte.unit, _canonical(index, analyte, low, result.unit), _canonical(
            index, analyte, high, result.unit)
    elif isinstance(result.value, float | int) and not isinstance(result.value, bool):
        quantity: dict[str, Any] = {"value": result.value}
        if result.unit:
            quantity.update(unit=result.unit)
        observation["valueQuantity"] = quantity
    else:
        observation["valueString"] = result.value_text
    if low is not None or high is not None:
        unit = {"unit": range_unit} if range_unit else {}
        reference: dict[str, Any] = {}
        if low is not None:
            reference["low"] = {"value": low, **unit}
        if high is not None:
            reference["high"] = {"value": high, **unit}
        observation["referenceRange"] = [reference]
    if result.flag in _INTERPRETATION:
        code, display = _INTERPRETATION[result.flag]
        observation["interpretation"] = [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
            "code": code, "display": display}]}]
    return observation


def _canonical(index: AnalyteIndex, analyte: Analyte, value: float | None, unit: str | None) -> float | None:
    if value is None:
        return None
    try:
        return round(index.convert(analyte, value, unit), 6)
    except UnitMismatch:  # a range whose unit does not convert is left out rather than guessed
        return None


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:40]
