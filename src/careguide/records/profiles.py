"""Schemas of the device data files: home-device profiles and the Apple Health type map.

A device profile (``knowledge/data/devices/<id>.yaml``) says which columns of a CSV or
JSON export hold which measure and in which unit, how to read the time, and which
column names the device user; adding a device is adding a file. Files whose name
starts with ``_`` are not profiles (``_measures.yaml``, ``_apple_health.yaml``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from careguide.records.measures import DEVICES_DIR, MEAL_CONTEXTS_FIELD, Names, load_measures


class ColumnReading(BaseModel):
    """One column that holds one measure."""

    model_config = ConfigDict(extra="forbid")
    column: str
    measure: str
    loinc: str | None = None  # a more specific code of the measure, e.g. 41950-7 for daily steps
    unit: str | None = None  # the unit the column is in ...
    unit_column: str | None = None  # ... or a column that states the unit row by row

    @model_validator(mode="after")
    def _unit_given_once(self) -> ColumnReading:
        if (self.unit is None) == (self.unit_column is None):
            raise ValueError(f"column {self.column}: give exactly one of unit, unit_column")
        return self


class PanelReading(BaseModel):
    model_config = ConfigDict(extra="forbid")
    panel: str
    components: list[ColumnReading] = Field(min_length=2)


class TimeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    column: str
    formats: list[str] = Field(min_length=1)  # strptime formats tried in order
    time_column: str | None = None  # a separate time-of-day column, joined to the date with a space
    date_only: bool = False  # daily totals: stored as a FHIR date
    period_minutes: int | None = None  # the reading covers [time, time + period)


class MealContext(BaseModel):
    model_config = ConfigDict(extra="forbid")
    column: str
    values: dict[str, str]  # text in the file (lower-cased) -> fasting / before-meal / after-meal ...

    @model_validator(mode="after")
    def _known_contexts(self) -> MealContext:
        bad = sorted(set(self.values.values()) - set(MEAL_CONTEXTS_FIELD))
        if bad:
            raise ValueError(f"unknown meal contexts {bad}")
        return self


class DeviceProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Names
    kind: Literal["blood_pressure_monitor", "glucometer", "scale", "pulse_oximeter", "activity_tracker",
                  "sleep_tracker"]
    source: str = Field(min_length=3)  # where the file layout is documented or observed
    format: Literal["csv", "json"] = "csv"
    delimiter: str = ","
    json_path: str = "item"  # ijson prefix of the records in a JSON export
    match_columns: list[str] = Field(min_length=2)  # present in the header <=> this profile
    subject_column: str | None = None
    time: TimeSpec
    readings: list[ColumnReading] = Field(default_factory=list)
    panels: list[PanelReading] = Field(default_factory=list)
    meal_context: MealContext | None = None

    @model_validator(mode="after")
    def _measures_exist(self) -> DeviceProfile:
        index = load_measures()
        for reading in self.readings + [c for p in self.panels for c in p.components]:
            measure = index.by_id(reading.measure) if reading.measure in {m.id for m in index.measures} else None
            if measure is None:
                raise ValueError(f"profile {self.id}: unknown measure {reading.measure}")
            if reading.unit is not None and reading.unit not in measure.units:
                raise ValueError(f"profile {self.id}: unit {reading.unit} is not a unit of {measure.id}")
            if reading.loinc is not None and reading.loinc not in measure.loinc:
                raise ValueError(f"profile {self.id}: {reading.loinc} is not a code of {measure.id}")
        for panel in self.panels:
            if panel.panel not in {p.id for p in index.panels}:
                raise ValueError(f"profile {self.id}: unknown panel {panel.panel}")
        if not self.readings and not self.panels:
            raise ValueError(f"profile {self.id}: no readings")
        return self

    def matches(self, header: list[str]) -> bool:
        present = {h.strip() for h in header}
        return all(column in present for column in self.match_columns)


class AppleQuantity(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measure: str
    unit: str | None = None  # replaces Apple's unit (e.g. BMI is exported as "count")
    scale: float = 1.0  # Apple exports some percentages as fractions


class AppleHealthMap(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    quantities: dict[str, AppleQuantity]
    sleep_type: str
    sleep_values: dict[str, str]  # HKCategoryValueSleepAnalysis... -> measure id
    blood_pressure_type: str
    systolic_type: str
    diastolic_type: str
    meal_time_key: str
    meal_time_values: dict[str, str]

    @model_validator(mode="after")
    def _measures_exist(self) -> AppleHealthMap:
        known = {m.id for m in load_measures().measures}
        used = [q.measure for q in self.quantities.values()] + list(self.sleep_values.values())
        unknown = sorted(set(used) - known)
        if unknown:
            raise ValueError(f"apple health map: unknown measures {unknown}")
        return self


@lru_cache(maxsize=1)
def load_profiles() -> dict[str, DeviceProfile]:
    profiles: dict[str, DeviceProfile] = {}
    for path in sorted(DEVICES_DIR.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        profile = DeviceProfile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        if profile.id in profiles:
            raise ValueError(f"device profile id {profile.id} defined twice")
        profiles[profile.id] = profile
    return profiles


@lru_cache(maxsize=1)
def load_apple_health_map() -> AppleHealthMap:
    path = DEVICES_DIR / "_apple_health.yaml"
    return AppleHealthMap.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
