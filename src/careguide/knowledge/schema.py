"""Typed schema of the clinical knowledge base; every YAML file is validated against it at load.

Every entry is bilingual (en + zh) and names its source. Cross-references (a rule naming a
finding, a condition naming a department) are checked by :class:`careguide.knowledge.loader.Knowledge`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Disposition(StrEnum):
    """Where to go, from the most to the least urgent (telephone-triage levels)."""

    AMBULANCE = "ambulance"
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        """4 for ambulance down to 0 for self-care; higher is more urgent."""
        return _RANK[self]

    @property
    def triage3(self) -> str:
        """The three-level scale of the published symptom-checker studies."""
        if self in (Disposition.AMBULANCE, Disposition.EMERGENCY):
            return "emergency"
        if self in (Disposition.URGENT, Disposition.ROUTINE):
            return "non_emergency"
        return "self_care"

    @classmethod
    def most_urgent(cls, *levels: Disposition | None) -> Disposition:
        present = [lvl for lvl in levels if lvl is not None]
        return max(present, key=lambda d: d.rank) if present else cls.SELF_CARE


_RANK = {
    Disposition.AMBULANCE: 4,
    Disposition.EMERGENCY: 3,
    Disposition.URGENT: 2,
    Disposition.ROUTINE: 1,
    Disposition.SELF_CARE: 0,
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Synonyms(Strict):
    """Words people use, lay and clinical. ``...`` inside a phrase allows a short gap."""

    en: list[str] = Field(min_length=1)
    zh: list[str] = Field(min_length=1)

    @field_validator("en", "zh")
    @classmethod
    def _non_blank(cls, phrases: list[str]) -> list[str]:
        if any(not p.strip() for p in phrases):
            raise ValueError("blank synonym")
        return phrases


MeasurementKind = Literal[
    "temperature_c", "systolic_bp", "diastolic_bp", "heart_rate", "resp_rate", "spo2", "glucose_mmol"
]


class Measurement(Strict):
    """A finding that a number in the text establishes, e.g. temperature_c >= 38.0 is fever."""

    kind: MeasurementKind
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _has_bound(self) -> Measurement:
        if self.min is None and self.max is None:
            raise ValueError("a measurement needs min or max")
        return self

    def matches(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


BodySystem = Literal[
    "general", "cardiovascular", "respiratory", "neurological", "gastrointestinal", "urinary",
    "reproductive", "obstetric", "musculoskeletal", "skin", "eye", "ent", "dental", "mental",
    "endocrine", "injury", "toxic", "history", "paediatric", "blood", "vitals",
]

Attribute = Literal["onset", "duration", "severity", "character", "triggers"]


class Finding(Strict):
    """A symptom, sign, measurement or risk factor the engine can ask about."""

    id: Identifier
    name: Bilingual
    system: BodySystem
    site: str | None = None
    synonyms: Synonyms
    question: Bilingual | None = None
    denials: Synonyms | None = Field(default=None, description="phrases that establish the finding is absent")
    attributes: list[Attribute] = []
    measurements: list[Measurement] = []
    implies: list[Identifier] = []
    source: str = Field(min_length=3)


class Criteria(Strict):
    """When a rule or modifier applies. All stated parts must hold."""

    any: list[Identifier] = []
    all: list[Identifier] = []
    age_under_months: float | None = None
    age_under: float | None = None
    age_at_least: float | None = None
    sex: Literal["female", "male"] | None = None
    duration_over_days: float | None = None
    duration_under_days: float | None = None
    severity_at_least: int | None = Field(default=None, ge=0, le=10)

    def findings(self) -> list[str]:
        return [*self.any, *self.all]

    def profile_only(self) -> bool:
        return not self.any and not self.all and self.duration_over_days is None and \
            self.duration_under_days is None and self.severity_at_least is None


class Rule(Strict):
    """One triage question's consequence: if ``when`` holds, at least ``disposition``."""

    id: Identifier
    when: Criteria
    disposition: Disposition
    red_flag: bool = False
    if_unknown: Disposition | None = None
    departments: list[Identifier] = []
    rationale: Bilingual
    source: str = Field(min_length=3)


class Modifier(Strict):
    """A profile or risk condition that sets a floor under the protocol's outcome when it is active."""

    id: Identifier
    when: Criteria
    at_least: Disposition
    rationale: Bilingual
    source: str = Field(min_length=3)


class Advice(Strict):
    self_care: list[Bilingual] = []
    seek_care_if: list[Bilingual] = Field(min_length=1)


class Protocol(Strict):
    """A chief-complaint protocol: rules ordered from the highest acuity down."""

    id: Identifier
    name: Bilingual
    triggers: list[Identifier] = Field(min_length=1)
    applies_to: Criteria | None = None
    rules: list[Rule] = Field(min_length=1)
    modifiers: list[Modifier] = []
    default: Disposition
    departments: list[Identifier] = Field(min_length=1)
    advice: Advice
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _self_care_default_has_advice(self) -> Protocol:
        if self.default is Disposition.SELF_CARE and not self.advice.self_care:
            raise ValueError(f"protocol {self.id}: a self_care default needs concrete self-care advice")
        ranks = [r.disposition.rank for r in self.rules]
        if ranks != sorted(ranks, reverse=True):
            raise ValueError(f"protocol {self.id}: rules must be ordered from the highest acuity down")
        return self


Prevalence = Literal["very_common", "common", "uncommon", "rare"]


class Condition(Strict):
    """A possible cause used to rank departments and explain; never told to the person as a diagnosis."""

    id: Identifier
    name: Bilingual
    icd10: str = Field(pattern=r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$")
    synonyms: Synonyms | None = None
    findings: dict[Identifier, float]
    prevalence: Prevalence
    urgency: Disposition
    departments: list[Identifier] = Field(min_length=1)
    sex: Literal["female", "male"] | None = None
    age_under: float | None = None
    age_at_least: float | None = None
    source: str = Field(min_length=3)

    @field_validator("findings")
    @classmethod
    def _likelihoods(cls, value: dict[str, float]) -> dict[str, float]:
        if not value:
            raise ValueError("a condition needs typical findings")
        for key, p in value.items():
            if not 0.0 < p < 1.0:
                raise ValueError(f"likelihood of {key} must be in (0, 1): {p}")
        return value


class Department(Strict):
    id: Identifier
    name: Bilingual
    aliases: Synonyms
    keywords: Synonyms
    adult_only: bool = False
    source: str = Field(min_length=3)
