"""Typed input and output of the triage engine (the evidence in, a step out)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from careguide.knowledge.schema import Disposition

FindingState = Literal["present", "absent", "unknown"]
Lang = Literal["en", "zh"]
QuestionKind = Literal["findings", "age", "sex", "duration", "severity", "free_text", "check_back"]


class Profile(BaseModel):
    """What is known about the person before the interview (from their record or the form)."""

    age_years: float | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male"] | None = None
    language: Lang | None = None
    region: str | None = Field(default=None, description="ISO country/region code, e.g. CN, HK, US, GB, DE")
    emergency_number: str | None = Field(default=None, description="overrides the number looked up by region")
    conditions: list[str] = Field(default_factory=list, description="finding ids of known risk conditions, e.g. hx_diabetes, pregnant")


class Option(BaseModel):
    id: str
    label: str


class Question(BaseModel):
    id: str
    kind: QuestionKind
    text: str
    options: list[Option]
    rationale: str = Field(description="why this question is asked, in the person's language")
    source: str | None = None
    targets: list[str] = Field(default_factory=list, description="finding ids the answer settles")
    protocol: str | None = None
    rule: str | None = None


class AnswerRecord(BaseModel):
    question_id: str
    kind: QuestionKind
    question: str
    value: str
    targets: list[str] = Field(default_factory=list)


class Evidence(BaseModel):
    """Everything the engine knows; the engine is a pure function of this and the knowledge base."""

    profile: Profile
    language: Lang
    text: str
    findings: dict[str, FindingState] = Field(default_factory=dict)
    finding_sources: dict[str, str] = Field(default_factory=dict)
    group_yes: list[str] = Field(default_factory=list, description="'protocol.rule' whose any-group was answered yes")
    dont_know: list[str] = Field(default_factory=list, description="question targets answered don't know")
    duration_days: float | None = None
    severity: int | None = None
    protocols: list[str] = Field(default_factory=list)
    text_conditions: list[str] = Field(default_factory=list, description="condition ids named in the text")
    text_departments: list[str] = Field(default_factory=list, description="department ids named in the text")
    text_keyword_departments: list[list[str]] = Field(default_factory=list, description="departments of organ/disease words in the text")
    answers: list[AnswerRecord] = Field(default_factory=list)
    pending: Question | None = None
    floor: Disposition | None = Field(default=None, description="a level the outcome may not go below (e.g. after 'worse')")
    previous: Disposition | None = None


class Reason(BaseModel):
    """One line of the 'why' record."""

    kind: Literal["red_flag", "rule", "modifier", "default", "unknown_red_flag", "answer", "floor", "note"]
    protocol: str | None = None
    rule: str | None = None
    disposition: Disposition | None = None
    text: str
    source: str | None = None


class RankedDepartment(BaseModel):
    id: str
    name: str
    score: float


class CheckBack(BaseModel):
    after_hours: int
    question: str
    options: list[Option]


class Outcome(BaseModel):
    disposition: Disposition
    triage3: str
    label: str
    instruction: str
    emergency_number: str
    departments: list[RankedDepartment]
    red_flags: list[Reason]
    why: list[Reason]
    answers: list[AnswerRecord]
    self_care: list[str]
    seek_care_if: list[str]
    would_change: list[str] = Field(description="unresolved questions that would raise the level if the answer were yes")
    check_back: CheckBack | None
    questions_asked: int
    considered_conditions: list[str] = Field(default_factory=list, description="condition ids used to rank departments; for clinicians, never shown as a diagnosis")
    disclaimer: str


class Step(BaseModel):
    kind: Literal["question", "outcome", "message"]
    question: Question | None = None
    outcome: Outcome | None = None
    message: str | None = None
    evidence: Evidence
