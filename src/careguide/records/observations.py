"""Build FHIR Observations (LOINC code, UCUM unit) from wearable and home-device readings.

Ids are derived from the reading itself (source, code, time, value), so importing the
same export twice yields the same ids and the second import adds nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from careguide.records.measures import LOINC_SYSTEM, MEAL_CONTEXTS_FIELD, UCUM_SYSTEM, Measure, Panel

ID_NAMESPACE = uuid.UUID("0b6b9d54-8f7e-5f0e-b6c4-7c0a6f3c1d11")
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
MEAL_CONTEXT_URL = "https://careguide.dev/fhir/StructureDefinition/meal-context"
MEAL_CONTEXTS = MEAL_CONTEXTS_FIELD


@dataclass(frozen=True)
class ReadingTime:
    start: datetime
    end: datetime | None = None
    date_only: bool = False

    def fhir(self) -> dict[str, Any]:
        if self.date_only:
            return {"effectiveDateTime": self.start.date().isoformat()}
        if self.end is not None and self.end != self.start:
            return {"effectivePeriod": {"start": _iso(self.start), "end": _iso(self.end)}}
        return {"effectiveDateTime": _iso(self.start)}


def measure_observation(
    measure: Measure,
    value: float,
    when: ReadingTime,
    *,
    source: str,
    device: str | None = None,
    loinc: str | None = None,
    meal_context: str | None = None,
) -> dict[str, Any]:
    """One Observation of ``measure`` with ``value`` already in the measure's canonical unit."""
    code = loinc or measure.code
    value = round(value, 4)
    document: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _reading_id(source, code, when, value, device, meal_context),
        "status": "final",
        "category": [_category(measure.category)],
        "code": {"coding": [{"system": LOINC_SYSTEM, "code": code, "display": measure.name.en}],
                 "text": measure.name.en},
        **when.fhir(),
        "valueQuantity": _quantity(value, measure.unit),
    }
    if meal_context:
        document["extension"] = [{"url": MEAL_CONTEXT_URL, "valueCode": meal_context}]
    if device:
        document["device"] = {"display": device[:200]}
    return document


def panel_observation(
    panel: Panel,
    components: list[tuple[Measure, float]],
    when: ReadingTime,
    *,
    source: str,
    device: str | None = None,
) -> dict[str, Any]:
    """A panel (blood pressure) whose values sit in components, each in its canonical unit."""
    values = tuple(round(v, 4) for _, v in components)
    document: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _reading_id(source, panel.loinc[0], when, values, device, None),
        "status": "final",
        "category": [_category("vital-signs")],
        "code": {"coding": [{"system": LOINC_SYSTEM, "code": panel.loinc[0], "display": panel.name.en}],
                 "text": panel.name.en},
        **when.fhir(),
        "component": [
            {"code": {"coding": [{"system": LOINC_SYSTEM, "code": m.code, "display": m.name.en}]},
             "valueQuantity": _quantity(v, m.unit)}
            for (m, _), v in zip(components, values, strict=True)
        ],
    }
    if device:
        document["device"] = {"display": device[:200]}
    return document


def _quantity(value: float, unit: str) -> dict[str, Any]:
    number: float | int = int(value) if float(value).is_integer() else value
    return {"value": number, "unit": unit, "system": UCUM_SYSTEM, "code": unit}


def _category(code: str) -> dict[str, Any]:
    return {"coding": [{"system": CATEGORY_SYSTEM, "code": code}]}


def _reading_id(source: str, code: str, when: ReadingTime, value: object, device: str | None,
                context: str | None) -> str:
    key = "|".join(str(part) for part in (source, code, when.start.isoformat(), when.end, when.date_only,
                                           value, device or "", context or ""))
    return str(uuid.uuid5(ID_NAMESPACE, key))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
