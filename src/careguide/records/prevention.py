"""Schema and loader of the preventive-care schedule (``knowledge/data/prevention/schedule.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from careguide.records.measures import Names

SCHEDULE_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "prevention" / "schedule.yaml"


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    loinc: list[str] = Field(default_factory=list)
    snomed: list[str] = Field(default_factory=list)
    cvx: list[str] = Field(default_factory=list)
    interval_months_after: int | None = None  # e.g. 10 years after a colonoscopy instead of 1 after a stool test

    def codes(self) -> list[str]:
        return self.loinc + self.snomed + self.cvx


class PreventionItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Literal["screening", "vaccination"]
    name: Names
    sex: Literal["any", "female", "male"]
    age_min: float
    age_max: float | None = None
    interval_months: int | None = None
    once: bool = False
    min_bmi: float | None = None
    sources: list[str] = Field(min_length=1)
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _interval_or_once(self) -> PreventionItem:
        if self.once == (self.interval_months is not None):
            raise ValueError(f"{self.id}: give exactly one of interval_months, once")
        return self

    def applies(self, age: float, sex: str | None) -> bool:
        in_age = age >= self.age_min and (self.age_max is None or age < self.age_max)
        return in_age and (self.sex == "any" or self.sex == sex)


class LabFollowup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    abnormal_codes: list[str]
    critical_codes: list[str]
    abnormal_days: int
    critical_days: int
    max_age_days: int


class PreventionSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[PreventionItem]
    lab_followup: LabFollowup


@lru_cache(maxsize=1)
def load_schedule() -> PreventionSchedule:
    return PreventionSchedule.model_validate(yaml.safe_load(SCHEDULE_FILE.read_text(encoding="utf-8")))
