"""What the doctor reads: a pre-consultation summary whose every fact names where it came from."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

FactSource = Literal["patient_text", "answer", "profile", "triage", "record"]


class Fact(BaseModel):
    """One line of the summary. ``ref`` points at the evidence: a finding id with the question that
    settled it, a triage rule, or a record resource (``Condition/abc``)."""

    text: str
    source: FactSource
    ref: str
    finding: str | None = None


class PreVisitSummary(BaseModel):
    person_id: int
    triage_session_id: int | None = None
    language: Literal["en", "zh"] = Field(description="the doctor's language: labels are in it")
    patient_language: str
    generated_at: datetime
    patient_words: str = Field(description="the person's own description, as written")
    chief_complaint: list[Fact] = Field(default_factory=list)
    history: list[Fact] = Field(default_factory=list)
    associated: list[Fact] = Field(default_factory=list)
    pertinent_negatives: list[Fact] = Field(default_factory=list)
    red_flags: list[Fact] = Field(default_factory=list)
    triage: list[Fact] = Field(default_factory=list)
    problems: list[Fact] = Field(default_factory=list)
    medications: list[Fact] = Field(default_factory=list)
    allergies: list[Fact] = Field(default_factory=list)
    vitals: list[Fact] = Field(default_factory=list)
    abnormal_labs: list[Fact] = Field(default_factory=list)

    def sections(self) -> list[tuple[str, list[Fact]]]:
        """(catalog key of the heading, facts), in the order a SOAP-like page prints them."""
        return [
            ("clinician.chief_complaint", self.chief_complaint),
            ("clinician.history", self.history),
            ("clinician.associated", self.associated),
            ("clinician.pertinent_negatives", self.pertinent_negatives),
            ("clinician.red_flags", self.red_flags),
            ("clinician.triage", self.triage),
            ("clinician.problems", self.problems),
            ("clinician.medications", self.medications),
            ("clinician.allergies", self.allergies),
            ("clinician.vitals", self.vitals),
            ("clinician.abnormal_labs", self.abnormal_labs),
        ]

    def facts(self) -> list[Fact]:
        return [fact for _, facts in self.sections() for fact in facts]
