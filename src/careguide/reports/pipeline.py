"""From uploaded bytes to an explained report, choosing the extractor by the file's signature."""

from __future__ import annotations

from datetime import date

from careguide.knowledge.analytes import AnalyteIndex
from careguide.reports.base import MAX_UPLOAD_BYTES, Extractor
from careguide.reports.errors import ReportError
from careguide.reports.interpret import interpret
from careguide.reports.models import ExtractedDocument, ParsedReport, ReportExplanation
from careguide.reports.parse import parse_document
from careguide.reports.trend import EarlierResult, describe_trends


def extractors() -> list[Extractor]:
    """Every format, most specific signature first (imported lazily: OCR and PDF libraries are heavy)."""
    from careguide.reports.fhir import FhirExtractor
    from careguide.reports.image import ImageExtractor
    from careguide.reports.pdf import PdfExtractor
    from careguide.reports.text import TextExtractor

    return [PdfExtractor(), ImageExtractor(), FhirExtractor(), TextExtractor()]


def extract(data: bytes, filename: str | None = None) -> ExtractedDocument:
    if not data:
        raise ReportError("empty", "zero bytes")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ReportError("too_large", f"{len(data)} bytes", size_mb=round(len(data) / 2**20, 1),
                          limit_mb=MAX_UPLOAD_BYTES // 2**20)
    for extractor in extractors():
        if extractor.accepts(data, filename):
            return extractor.extract(data)
    raise ReportError("unsupported_format", filename or "bytes")


def read_report(data: bytes, filename: str | None = None) -> ParsedReport:
    """Extracted and parsed rows; raises ``not_a_report`` when no result row was found."""
    parsed = parse_document(extract(data, filename))
    if not parsed.rows:
        raise ReportError("not_a_report", "no result rows")
    return parsed


def explain_report(data: bytes, filename: str | None = None, lang: str = "en", *, sex: str | None = None,
                   age: float | None = None, earlier: list[EarlierResult] | None = None,
                   index: AnalyteIndex | None = None) -> ReportExplanation:
    """The whole pipeline; nothing is returned half-done: any failure raises ``ReportError``."""
    parsed = read_report(data, filename)
    explanation = interpret(parsed, lang, sex=sex, age=age, index=index)
    if earlier:
        when: date | None = parsed.header.report_date
        explanation.trends = describe_trends(explanation.results, earlier, lang, when=when, index=index)
    return explanation
