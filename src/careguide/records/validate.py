"""Check one incoming FHIR resource and derive the columns it is indexed by.

Validation is at the boundary: fhir.resources checks structure and types, this module
adds the required-binding codes fhir.resources does not enforce and, for Observations
of a known measure, that the unit belongs to the measure and the value is plausible.
Every problem names the resource and the FHIR field.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# FHIR R4 data is validated with the R4B models (R4B changed R4 only in a few medication and
# evidence resources); fhir.resources 8 has no plain R4 package.
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from careguide.records.base import ImportIssue, Incoming
from careguide.records.measures import LOINC_SYSTEM, Measure, load_measures

REQUIRED_CODES_FILE = Path(__file__).with_name("required_codes.yaml")
ID_NAMESPACE = uuid.UUID("6f1c3c9e-4d0b-5c71-9a51-2b8f0c1e7d42")

_EFFECTIVE_PATHS: dict[str, tuple[str, ...]] = {
    "Observation": ("effectiveDateTime", "effectivePeriod.start", "effectiveInstant", "issued"),
    "DiagnosticReport": ("effectiveDateTime", "effectivePeriod.start", "issued"),
    "Condition": ("onsetDateTime", "onsetPeriod.start", "recordedDate"),
    "MedicationStatement": ("effectiveDateTime", "effectivePeriod.start", "dateAsserted"),
    "MedicationRequest": ("authoredOn",),
    "AllergyIntolerance": ("onsetDateTime", "recordedDate"),
    "Immunization": ("occurrenceDateTime", "recorded"),
    "Encounter": ("period.start",),
    "Procedure": ("performedDateTime", "performedPeriod.start"),
    "CarePlan": ("period.start", "created"),
    "Claim": ("billablePeriod.start", "created"),
    "ExplanationOfBenefit": ("billablePeriod.start", "created"),
    "Goal": ("startDate", "statusDate"),
    "ImagingStudy": ("started",),
}
_CODE_PATHS: dict[str, str] = {
    "Immunization": "vaccineCode",
    "MedicationRequest": "medicationCodeableConcept",
    "MedicationStatement": "medicationCodeableConcept",
    "Encounter": "type",
    "CarePlan": "category",
    "Goal": "description",
    "Claim": "type",
    "ExplanationOfBenefit": "type",
}


@dataclass
class CheckedResource:
    """A resource that passed every check, with the columns it is stored under."""

    resource_type: str
    resource_id: str
    document: dict[str, Any]
    content_hash: str
    source: str
    code_system: str | None = None
    code: str | None = None
    display: str | None = None
    category: str | None = None
    status: str | None = None
    effective_at: datetime | None = None
    value: float | None = None
    unit: str | None = None


def identify(resource: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The resource with an id (derived from its content when it has none) and its content hash."""
    if isinstance(resource, dict) and not resource.get("id") and isinstance(resource.get("resourceType"), str):
        resource = dict(resource, id=str(uuid.uuid5(ID_NAMESPACE, canonical_json(resource))))
    return resource, content_hash(resource)


def check_resource(item: Incoming, digest: str | None = None) -> CheckedResource | list[ImportIssue]:
    """The resource with its index columns, or every problem found in it. ``item.resource``
    should have passed through ``identify`` (its ``digest`` is then reused)."""
    raw = item.resource
    rtype = raw.get("resourceType") if isinstance(raw, dict) else None
    if not isinstance(rtype, str):
        return [ImportIssue(where=item.where, code="no_resource_type", field="resourceType")]
    label = f"{rtype}/{raw.get('id')}" if raw.get("id") else rtype
    try:
        model_class = get_fhir_model_class(rtype)
    except (KeyError, ValueError):
        return [ImportIssue(where=item.where, resource=label, field="resourceType", code="unknown_resource_type")]
    try:
        # Resources that arrived as FHIR are validated whole. Observations this package built
        # from device readings (source "apple_health", "device:...") are valid by construction
        # (tests validate the builders' output), and skipping pydantic keeps huge exports fast.
        if item.source == "fhir":
            model_class.model_validate(raw)
    except ValidationError as exc:
        return [
            ImportIssue(where=item.where, resource=label, field=_field_path(err["loc"]), code="invalid_field",
                        message=str(err["msg"]))
            for err in exc.errors()
        ]
    except KeyError:  # fhir.resources raises KeyError, not ValidationError, for a nested resource of an unknown type
        return [ImportIssue(where=item.where, resource=label, code="unknown_resource_type")]
    issues = _check_required_codes(rtype, raw, label, item.where)
    if rtype == "Observation":
        issues.extend(_check_observation_units(raw, label, item.where))
    if issues:
        return issues
    if not raw.get("id") or digest is None:
        raw, digest = identify(raw)
    return _index(rtype, raw, item.source, digest)


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def parse_fhir_time(value: object) -> datetime | None:
    """A FHIR date/dateTime/instant as an aware UTC datetime (partial dates at their start)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    try:
        if len(text) == 4:
            return datetime(int(text), 1, 1, tzinfo=UTC)
        if len(text) == 7:
            return datetime(int(text[:4]), int(text[5:7]), 1, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for piece in loc:
        if isinstance(piece, int):
            parts[-1:] = [f"{parts[-1]}[{piece}]"] if parts else [f"[{piece}]"]
        else:
            parts.append(str(piece))
    return ".".join(parts)


@lru_cache(maxsize=1)
def _required_codes() -> dict[str, list[tuple[str, set[str], str | None]]]:
    """Per resource type: (element, allowed codes, coding system or None for plain codes)."""
    data: dict[str, dict[str, Any]] = yaml.safe_load(REQUIRED_CODES_FILE.read_text(encoding="utf-8"))
    rules: dict[str, list[tuple[str, set[str], str | None]]] = {}
    for path, rule in data.items():
        owner, _, element = path.partition(".")
        rules.setdefault(owner, []).append((element, set(rule["codes"]), rule.get("system")))
    return rules


def _check_required_codes(rtype: str, raw: dict[str, Any], label: str, where: str) -> list[ImportIssue]:
    issues: list[ImportIssue] = []
    for element, allowed, system in _required_codes().get(rtype, ()):
        if element not in raw:
            continue
        value = raw[element]
        values = value if isinstance(value, list) else [value]
        for entry in values:
            if isinstance(entry, dict):
                codes = [c.get("code") for c in entry.get("coding", []) if c.get("system") == system]
            else:
                codes = [entry]
            bad = [c for c in codes if c not in allowed]
            if bad:
                issues.append(ImportIssue(where=where, resource=label, field=element, code="code_not_allowed",
                                          message=f"{bad[0]!r} not in {sorted(allowed)}"))
    return issues


def _check_observation_units(raw: dict[str, Any], label: str, where: str) -> list[ImportIssue]:
    measures = load_measures()
    issues: list[ImportIssue] = []
    parts: list[tuple[str, dict[str, Any]]] = [("", raw)]
    parts += [(f"component[{i}].", comp) for i, comp in enumerate(raw.get("component") or [])]
    for prefix, part in parts:
        measure = measures.by_loinc(_loinc_code(part.get("code")))
        quantity = part.get("valueQuantity")
        if measure is None or not isinstance(quantity, dict) or quantity.get("value") is None:
            continue
        unit = quantity.get("code") or quantity.get("unit")
        canonical = measure.to_canonical(float(quantity["value"]), unit)
        if canonical is None:
            issues.append(ImportIssue(where=where, resource=label, field=f"{prefix}valueQuantity.unit",
                                      code="unit_not_accepted",
                                      message=f"{unit!r} for {measure.id}; accepted: {sorted(measure.units)}"))
        elif not measure.is_plausible(canonical):
            issues.append(ImportIssue(where=where, resource=label, field=f"{prefix}valueQuantity.value",
                                      code="value_not_plausible",
                                      message=f"{quantity['value']} {unit} for {measure.id}"))
    return issues


def _loinc_code(concept: object) -> str | None:
    if not isinstance(concept, dict):
        return None
    for coding in concept.get("coding") or []:
        if coding.get("system") == LOINC_SYSTEM:
            return str(coding.get("code"))
    return None


def _index(rtype: str, raw: dict[str, Any], source: str, digest: str) -> CheckedResource:
    concept = raw.get(_CODE_PATHS.get(rtype, "code"))
    if isinstance(concept, list):
        concept = concept[0] if concept else None
    system, code, display = _pick_coding(concept)
    checked = CheckedResource(
        resource_type=rtype,
        resource_id=str(raw["id"]),
        document=raw,
        content_hash=digest,
        source=source,
        code_system=system,
        code=code,
        display=display,
        category=_category(raw.get("category")),
        status=_status(raw),
        effective_at=_effective(rtype, raw),
    )
    if rtype == "Observation":
        measure = load_measures().by_loinc(code if system == LOINC_SYSTEM else None)
        quantity = raw.get("valueQuantity")
        if measure is not None and isinstance(quantity, dict) and quantity.get("value") is not None:
            checked.value = _canonical(measure, quantity)
            checked.unit = measure.unit
        elif isinstance(quantity, dict) and quantity.get("value") is not None:
            checked.value = float(quantity["value"])
            checked.unit = quantity.get("code") or quantity.get("unit")
    return checked


def _canonical(measure: Measure, quantity: dict[str, Any]) -> float | None:
    return measure.to_canonical(float(quantity["value"]), quantity.get("code") or quantity.get("unit"))


def _pick_coding(concept: object) -> tuple[str | None, str | None, str | None]:
    if not isinstance(concept, dict):
        return None, None, None
    codings = concept.get("coding") or []
    chosen = next((c for c in codings if c.get("system") == LOINC_SYSTEM), codings[0] if codings else None)
    text = concept.get("text")
    if chosen is None:
        return None, None, (str(text)[:300] if text else None)
    display = chosen.get("display") or text
    return chosen.get("system"), (str(chosen["code"])[:64] if chosen.get("code") else None), (
        str(display)[:300] if display else None
    )


def _category(value: object) -> str | None:
    first = value[0] if isinstance(value, list) and value else value
    if isinstance(first, str):
        return first[:64]
    if isinstance(first, dict):
        codings = first.get("coding") or []
        if codings and codings[0].get("code"):
            return str(codings[0]["code"])[:64]
    return None


def _status(raw: dict[str, Any]) -> str | None:
    for element in ("status", "clinicalStatus", "lifecycleStatus"):
        value = raw.get(element)
        if isinstance(value, str):
            return value[:40]
        if isinstance(value, dict):
            codings = value.get("coding") or []
            if codings and codings[0].get("code"):
                return str(codings[0]["code"])[:40]
    return None


def _effective(rtype: str, raw: dict[str, Any]) -> datetime | None:
    for path in _EFFECTIVE_PATHS.get(rtype, ()):
        value: Any = raw
        for step in path.split("."):
            value = value.get(step) if isinstance(value, dict) else None
        moment = parse_fhir_time(value)
        if moment is not None:
            return moment
    return None
