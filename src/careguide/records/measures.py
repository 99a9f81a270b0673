"""Measures known by LOINC code: canonical UCUM unit, accepted units, plausible range.

The data is ``knowledge/data/devices/_measures.yaml``; every importer uses it to put a
reading into its canonical unit and to refuse a value whose unit cannot be right.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

DEVICES_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "devices"
MEASURES_FILE = DEVICES_DIR / "_measures.yaml"
MEAL_CONTEXTS_FIELD = ("fasting", "before-meal", "after-meal", "bedtime", "random")
LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"


class Names(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str | None) -> str:
        return self.zh if (lang or "").lower().startswith("zh") else self.en


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    loinc: list[str] = Field(min_length=1)
    name: Names
    unit: str
    units: dict[str, float]
    plausible: tuple[float, float]
    category: str = "vital-signs"  # FHIR observation-category code

    @model_validator(mode="after")
    def _canonical_unit_is_accepted(self) -> Measure:
        if self.units.get(self.unit) != 1:
            raise ValueError(f"measure {self.id}: canonical unit {self.unit!r} must be in units with factor 1")
        return self

    @property
    def code(self) -> str:
        return self.loinc[0]

    def to_canonical(self, value: float, unit: str | None) -> float | None:
        """``value`` in the canonical unit, or None when ``unit`` is not one of this measure's units."""
        factor = self.units.get((unit or "").strip())
        return None if factor is None else value * factor

    def is_plausible(self, canonical_value: float) -> bool:
        low, high = self.plausible
        return low <= canonical_value <= high


class Panel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    loinc: list[str]
    name: Names
    components: list[str]


class MeasureIndex(BaseModel):
    measures: list[Measure]
    panels: list[Panel]

    def model_post_init(self, _context: object) -> None:
        self._by_loinc = {code: m for m in self.measures for code in m.loinc}
        self._by_id = {m.id: m for m in self.measures}
        self._panels = {code: p for p in self.panels for code in p.loinc}
        for panel in self.panels:
            for component in panel.components:
                if component not in self._by_id:
                    raise ValueError(f"panel {panel.id}: unknown component measure {component}")

    def by_loinc(self, code: str | None) -> Measure | None:
        return self._by_loinc.get(code or "")

    def by_id(self, measure_id: str) -> Measure:
        return self._by_id[measure_id]

    def panel(self, code: str | None) -> Panel | None:
        return self._panels.get(code or "")


@lru_cache(maxsize=1)
def load_measures() -> MeasureIndex:
    data = yaml.safe_load(MEASURES_FILE.read_text(encoding="utf-8"))
    return MeasureIndex.model_validate(data)
