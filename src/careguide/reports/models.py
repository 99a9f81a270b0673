"""Typed models that flow through the report pipeline: extract -> parse -> interpret."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class Flag(StrEnum):
    """How one result sits against its reference range."""

    NORMAL = "N"
    LOW = "L"
    HIGH = "H"
    CRITICAL_LOW = "LL"
    CRITICAL_HIGH = "HH"
    ABNORMAL = "A"  # a qualitative result that is not the expected one (e.g. 阳性 where 阴性 is normal)
    UNKNOWN = "?"  # no range to judge against


ABNORMAL_FLAGS = frozenset({Flag.LOW, Flag.HIGH, Flag.CRITICAL_LOW, Flag.CRITICAL_HIGH, Flag.ABNORMAL})
CRITICAL_FLAGS = frozenset({Flag.CRITICAL_LOW, Flag.CRITICAL_HIGH})


class Box(BaseModel):
    """One piece of text on a page with its bounding box (PDF words or OCR detections)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float = 1.0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


class RawLine(BaseModel):
    """One printed line of a report, split into the cells the layout suggests."""

    cells: list[str]
    page: int = 1


class RawResult(BaseModel):
    """A result that arrived already structured (FHIR), so it skips row parsing."""

    name: str
    loinc: str | None = None
    value_text: str
    unit: str | None = None
    range_low: float | None = None
    range_high: float | None = None
    range_text: str | None = None
    flag_text: str | None = None


class ExtractedDocument(BaseModel):
    """What an extractor read: printed lines, or structured results, plus where it came from."""

    source_format: str  # text | pdf | image | fhir
    lines: list[RawLine] = Field(default_factory=list)
    structured: list[RawResult] = Field(default_factory=list)
    header_text: str = ""
    report_date: date | None = None
    specimen: str | None = None
    sex: str | None = None
    age: float | None = None
    pages: int = 1
    ocr_confidence: float | None = None


class ParsedValue(BaseModel):
    """A printed value: a number with an optional comparator, or a qualitative word."""

    text: str
    number: float | None = None
    comparator: str | None = None  # "<", ">", "<=", ">="
    qualitative: str | None = None  # negative | trace | positive | 1+ .. 4+ (normalised)


class ParsedRange(BaseModel):
    """A printed reference range; `inverted` when the printed low is above the printed high."""

    text: str
    low: float | None = None
    high: float | None = None
    qualitative: str | None = None
    inverted: bool = False
    sex: str | None = None  # when the report printed separate ranges by sex and one was chosen


class LabRow(BaseModel):
    """One result row as read from the report, before any knowledge is applied."""

    name: str
    code: str | None = None  # abbreviation printed beside the name, or a LOINC code from FHIR
    loinc: str | None = None
    value: ParsedValue
    unit: str | None = None
    range: ParsedRange | None = None
    printed_flag: Flag | None = None
    line: str = ""


class ReportHeader(BaseModel):
    report_date: date | None = None
    specimen: str | None = None
    sex: str | None = None  # male | female
    age: float | None = None
    title: str | None = None


class ParsedReport(BaseModel):
    header: ReportHeader = Field(default_factory=ReportHeader)
    rows: list[LabRow] = Field(default_factory=list)
    source_format: str = "text"
    skipped_lines: list[str] = Field(default_factory=list)


class LabResult(BaseModel):
    """One interpreted result, in the shape the CLI and API print."""

    name: str
    printed_name: str
    analyte_id: str | None = None
    loinc: str | None = None
    value: float | str | None
    value_text: str
    unit: str | None = None
    canonical_value: float | None = None
    canonical_unit: str | None = None
    range_low: float | None = None
    range_high: float | None = None
    range_text: str | None = None
    range_source: str | None = None  # report | knowledge
    flag: Flag = Flag.UNKNOWN
    recognised: bool = True
    problems: list[str] = Field(default_factory=list)  # message keys already rendered in the person's language
    explanation: str | None = None
    department: str | None = None


class TrendPoint(BaseModel):
    when: date | None = None
    value: float
    unit: str


class Trend(BaseModel):
    loinc: str
    name: str
    direction: str  # rising | falling | stable | new
    points: list[TrendPoint]
    change_percent: float | None = None
    text: str


class ReportExplanation(BaseModel):
    """The whole explained report."""

    language: str
    header: ReportHeader
    source_format: str
    results: list[LabResult]
    critical: list[LabResult] = Field(default_factory=list)
    unrecognised: list[LabResult] = Field(default_factory=list)
    banner: str | None = None
    summary: str
    explanations: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    departments: list[str] = Field(default_factory=list)
    next_steps: str
    disclaimer: str
    warnings: list[str] = Field(default_factory=list)
    trends: list[Trend] = Field(default_factory=list)

    def public_dict(self) -> dict[str, object]:
        """The documented JSON contract of ``careguide report explain --json``."""

        def row(r: LabResult) -> dict[str, object]:
            return {
                "name": r.name,
                "printed_name": r.printed_name,
                "loinc": r.loinc,
                "value": r.value,
                "unit": r.unit,
                "range_low": r.range_low,
                "range_high": r.range_high,
                "flag": r.flag.value,
                "explanation": r.explanation,
                "problems": r.problems,
            }

        return {
            "language": self.language,
            "report_date": self.header.report_date.isoformat() if self.header.report_date else None,
            "specimen": self.header.specimen,
            "sex": self.header.sex,
            "age": self.header.age,
            "banner": self.banner,
            "results": [row(r) for r in self.results],
            "critical": [row(r) for r in self.critical],
            "unrecognised": [row(r) for r in self.unrecognised],
            "summary": self.summary,
            "explanations": self.explanations,
            "questions": self.questions,
            "departments": self.departments,
            "next_steps": self.next_steps,
            "warnings": self.warnings,
            "disclaimer": self.disclaimer,
        }
