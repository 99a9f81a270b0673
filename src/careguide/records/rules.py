"""Schema and loader of the insight thresholds (``knowledge/data/prevention/reading_rules.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from careguide.records.measures import Names

RULES_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "prevention" / "reading_rules.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BpCategory(_Strict):
    id: str
    systolic_min: float | None = None
    diastolic_min: float | None = None
    hypertensive: bool = False


class BpPair(_Strict):
    systolic: float
    diastolic: float


class BpGuideline(_Strict):
    id: str
    name: Names
    categories: list[BpCategory] = Field(min_length=2)
    home_high: BpPair

    def classify(self, systolic: float, diastolic: float) -> BpCategory:
        """The highest category that the systolic or the diastolic value reaches."""
        chosen = self.categories[0]
        for category in self.categories[1:]:
            if (category.systolic_min is not None and systolic >= category.systolic_min) or (
                category.diastolic_min is not None and diastolic >= category.diastolic_min
            ):
                chosen = category
        return chosen


class Sustained(_Strict):
    window_days: int
    min_high_readings: int


class GlucoseRules(_Strict):
    source: str
    fasting_high: float
    fasting_impaired: float
    after_meal_high: float
    low: float
    window_days: int
    fasting_codes: list[str]


class HeartRateRules(_Strict):
    source: str
    recent_days: int
    baseline_days: int
    min_recent: int
    min_baseline: int
    rise: float


class SleepRules(_Strict):
    source: str
    nights: int
    min_nights: int
    short_minutes: float


class WeightRules(_Strict):
    source: str
    window_days: int
    percent: float
    short_window_days: int
    short_kg: float


class ReadingRules(_Strict):
    blood_pressure_guidelines: list[BpGuideline]
    bp_severe: BpPair
    bp_recent_days: int
    bp_sustained: Sustained
    glucose: GlucoseRules
    resting_heart_rate: HeartRateRules
    sleep: SleepRules
    weight: WeightRules

    def guideline(self, guideline_id: str) -> BpGuideline:
        for guideline in self.blood_pressure_guidelines:
            if guideline.id == guideline_id:
                return guideline
        raise KeyError(guideline_id)


@lru_cache(maxsize=1)
def load_rules() -> ReadingRules:
    return ReadingRules.model_validate(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))
