"""Explained results as FHIR R4 Observations, ready for the records store.

Only recognised results with a LOINC code become Observations (a record needs a code to trend
on); values are stored as printed with their UCUM unit, plus the range the judgement used.
"""

from __future__ import annotations

from typing import Any

from careguide.knowledge.analytes import AnalyteIndex, load_analytes
from careguide.reports.models import Flag, LabResult, ReportExplanation

_INTERPRETATION = {
    Flag.NORMAL: ("N", "Normal"), Flag.LOW: ("L", "Low"), Flag.HIGH: ("H", "High"),
    Flag.CRITICAL_LOW: ("LL", "Critical low"), Flag.CRITICAL_HIGH: ("HH", "Critical high"),
    Flag.ABNORMAL: ("A", "Abnormal"),
}
_V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def to_fhir_observations(explanation: ReportExplanation, subject: str,
                         index: AnalyteIndex | None = None) -> list[dict[str, Any]]:
    """One validated Observation per recognised result; ``subject`` is a reference like ``Patient/123``."""
    from fhir.resources.observation import Observation

    index = index or load_analytes()
    observations = []
    for result in explanation.results:
        if result.loinc is None:
            continue
        resource = _observation(result, explanation, subject, index)
        Observation.model_validate(resource)
        observations.append(resource)
    return observations


def _observation(result: LabResult, explanation: ReportExplanation, subject: str,
                 index: AnalyteIndex) -> dict[str, Any]:
    analyte = index.by_loinc.get(result.loinc or "")
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": result.loinc,
                             "display": analyte.name.en if analyte else result.name}],
                 "text": result.printed_name},
        "subject": {"reference": subject},
    }
    if explanation.header.report_date:
        resource["effectiveDateTime"] = explanation.header.report_date.isoformat()
    if isinstance(result.value, float):
        quantity: dict[str, Any] = {"value": result.value}
        if result.unit:
            quantity.update({"unit": result.unit, "system": "http://unitsofmeasure.org", "code": _ucum(result.unit)})
        if result.value_text.startswith(("<", ">")):
            quantity["comparator"] = result.value_text[:2] if result.value_text[1:2] == "=" else result.value_text[0]
        resource["valueQuantity"] = quantity
    else:
        resource["valueString"] = result.value_text
    if result.range_low is not None or result.range_high is not None:
        bound: dict[str, Any] = {}
        for key, value in (("low", result.range_low), ("high", result.range_high)):
            if value is not None:
                bound[key] = {"value": value, **({"unit": result.unit} if result.unit else {})}
        bound["text"] = "report" if result.range_source == "report" else "careguide knowledge base"
        resource["referenceRange"] = [bound]
    if result.flag in _INTERPRETATION:
        code, display = _INTERPRETATION[result.flag]
        resource["interpretation"] = [{"coding": [{"system": _V3_INTERPRETATION, "code": code, "display": display}]}]
    return resource


def _ucum(unit: str) -> str:
    """UCUM spelling of a printed unit (``10^9/L`` -> ``10*9/L``)."""
    return unit.replace("^", "*").replace("μ", "u")
