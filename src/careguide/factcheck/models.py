"""What the claim checker takes and returns (pydantic models, the contract of API, CLI and evals)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Verdict(StrEnum):
    """The checker's conclusion about a text.

    ``cannot_judge`` is an honest answer, not a failure: a text with no known warning sign and no claim
    the evidence base covers is not called true or false.
    """

    MISLEADING = "misleading"
    UNSUPPORTED = "unsupported"
    CONSISTENT = "consistent_with_evidence"
    CANNOT_JUDGE = "cannot_judge"


Agreement = Literal["agrees", "contradicts", "unproven"]
Step = Literal["language", "patterns", "evidence", "llm"]


class CheckRequest(BaseModel):
    """What a caller sends: the text (an advert, a forwarded message, OCR output) and the reader's language.

    Length and language are checked by :func:`careguide.factcheck.check_text`, which answers bad input
    with a bilingual :class:`careguide.factcheck.FactcheckInputError` rather than a validation error.
    """

    text: str
    lang: Literal["en", "zh"] | None = None


class Span(BaseModel):
    """A highlighted phrase: character offsets into the text that was checked (end exclusive)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class PatternHit(BaseModel):
    """A deceptive pattern of the catalogue found in the text, explained in the reader's language."""

    id: str
    name: str
    category: str
    severity: Literal["high", "medium", "low"]
    reason: str
    advice: str
    basis: list[str]
    spans: list[Span]


class EvidenceFinding(BaseModel):
    """A claim the evidence base knows, found in the text, and whether the text agrees with the evidence."""

    id: str
    claim: str
    stance: Literal["supported", "refuted", "unproven", "mixed"]
    asserted: bool  # False when the text denies the claim ("no link between vaccines and autism")
    agreement: Agreement
    summary: str
    advice: str
    sources: list[str]
    span: Span
    source_kind: str = "catalogue"


class ClaimFinding(BaseModel):
    """One sentence of the text that makes a health claim, with what was found in it."""

    text: str
    span: Span
    patterns: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)


class FactcheckResult(BaseModel):
    verdict: Verdict
    language: Literal["en", "zh"]  # language of the explanation
    text_language: Literal["en", "zh"]  # language the text is written in
    about_health: bool
    score: int  # sum of the severity weights of the distinct patterns found
    patterns: list[PatternHit]
    evidence: list[EvidenceFinding]
    claims: list[ClaimFinding]
    highlights: list[Span]
    reasons: list[str]
    advice: list[str]
    headline: str  # the verdict in one short sentence, for large-type (senior) display
    explanation: str
    steps: list[Step]
    text_length: int
    llm_opinion: Verdict | None = None  # what the optional model step said, when it ran
    llm_note: str | None = None  # why the model step gave no opinion (no model, timeout, unparsed ...)
