"""FHIR R4 lab results: an Observation, a DiagnosticReport (with contained Observations) or a Bundle.

Resources are validated with ``fhir.resources`` at the boundary; values, units, LOINC codes,
reference ranges and interpretation codes are then read without re-parsing printed text.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from careguide.reports.errors import ReportError
from careguide.reports.models import ExtractedDocument, RawResult

_LOINC = "http://loinc.org"
_SPECIMENS = {"blood": "whole_blood", "serum": "serum", "plasma": "plasma", "urine": "urine"}


class FhirExtractor:
    format = "fhir"

    def accepts(self, data: bytes, filename: str | None = None) -> bool:
        head = data[:4096].lstrip()
        return head.startswith(b"{") and b'"resourceType"' in data[:200_000]

    def extract(self, data: bytes) -> ExtractedDocument:
        try:
            resource = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ReportError("fhir_invalid", str(error), detail=type(error).__name__) from error
        if not isinstance(resource, dict):
            raise ReportError("fhir_invalid", "not an object", detail="JSON object expected")
        observations = list(_observations(resource))
        results = [_result(obs) for obs in observations if _is_lab_value(obs)]
        references = _unresolved_references(resource)
        if not results and references:
            raise ReportError("fhir_unresolved", f"{references} references", n=references)
        doc = ExtractedDocument(source_format="fhir", structured=results)
        when = _effective_date(resource) or next((d for d in map(_effective_date, observations) if d), None)
        doc.report_date = when
        doc.specimen = _specimen(observations)
        return doc


def _validate(resource: dict[str, Any]) -> None:
    from fhir.resources import get_fhir_model_class

    kind = resource.get("resourceType")
    try:
        model = get_fhir_model_class(str(kind))
    except KeyError as error:
        raise ReportError("fhir_invalid", f"resourceType {kind}", detail=f"resourceType {kind!r}") from error
    try:
        model.model_validate(resource)
    except ValueError as error:
        first = str(error).splitlines()[1] if len(str(error).splitlines()) > 1 else str(error)
        raise ReportError("fhir_invalid", str(error), detail=f"{kind}: {first.strip()}") from error


def _observations(resource: dict[str, Any]) -> list[dict[str, Any]]:
    _validate(resource)
    kind = resource.get("resourceType")
    if kind == "Observation":
        return [resource, *[c for c in resource.get("contained", []) if c.get("resourceType") == "Observation"]]
    if kind == "DiagnosticReport":
        return [c for c in resource.get("contained", []) if c.get("resourceType") == "Observation"]
    if kind == "Bundle":
        found: list[dict[str, Any]] = []
        for entry in resource.get("entry", []):
            inner = entry.get("resource") or {}
            if inner.get("resourceType") in {"Observation", "DiagnosticReport"}:
                found.extend(_observations(inner))
        return found
    raise ReportError("fhir_invalid", f"resourceType {kind}", detail=f"{kind} holds no lab results")


def _unresolved_references(resource: dict[str, Any]) -> int:
    """Results a DiagnosticReport points to that are not in this file (only "#id" resolves here)."""
    reports = [resource] if resource.get("resourceType") == "DiagnosticReport" else [
        e.get("resource", {}) for e in resource.get("entry", [])
        if e.get("resource", {}).get("resourceType") == "DiagnosticReport"]
    return sum(1 for r in reports for ref in r.get("result", []) if not str(ref.get("reference", "")).startswith("#"))


def _is_lab_value(obs: dict[str, Any]) -> bool:
    return any(key in obs for key in ("valueQuantity", "valueCodeableConcept", "valueString"))


def _result(obs: dict[str, Any]) -> RawResult:
    code = obs.get("code", {})
    loinc = next((c.get("code") for c in code.get("coding", []) if c.get("system") == _LOINC), None)
    name = code.get("text") or next((c.get("display") for c in code.get("coding", []) if c.get("display")), "")
    unit: str | None = None
    if "valueQuantity" in obs:
        quantity = obs["valueQuantity"]
        comparator = quantity.get("comparator", "")
        value_text = f"{comparator}{quantity.get('value')}"
        unit = quantity.get("unit") or quantity.get("code")
    elif "valueCodeableConcept" in obs:
        concept = obs["valueCodeableConcept"]
        value_text = concept.get("text") or next((c.get("display") for c in concept.get("coding", [])), "")
    else:
        value_text = str(obs.get("valueString", ""))
    low = high = None
    range_text = None
    ranges = obs.get("referenceRange") or []
    if ranges:
        first = ranges[0]
        low = first.get("low", {}).get("value")
        high = first.get("high", {}).get("value")
        range_text = first.get("text")
    flags = [c.get("code") for concept in obs.get("interpretation", []) for c in concept.get("coding", [])]
    return RawResult(name=name, loinc=loinc, value_text=value_text, unit=unit, range_low=low, range_high=high,
                     range_text=range_text, flag_text=flags[0] if flags else None)


def _effective_date(resource: dict[str, Any]) -> date | None:
    raw = resource.get("effectiveDateTime") or resource.get("issued")
    if not raw:
        return None
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(str(raw)[:10])
        except ValueError:
            return None


def _specimen(observations: list[dict[str, Any]]) -> str | None:
    for obs in observations:
        display = (obs.get("specimen") or {}).get("display", "").lower()
        for word, specimen in _SPECIMENS.items():
            if word in display:
                return specimen
    return None
