"""careguide.factcheck: checks health claims, adverts and forwarded messages (zh + en).

- :func:`check_text` (or :func:`check` with a :class:`CheckRequest`) - text in, :class:`FactcheckResult` out (verdict, patterns with highlighted
  spans, claims, evidence, reasons, advice, explanation)
- :class:`EvidenceSource` - plug-in point for more evidence (the health-article base);
  :class:`CatalogueEvidence` is the default, from ``knowledge/data/claims/evidence.yaml``
- :func:`extract_text_from_image` - OCR of an advert photo or screenshot (rapidocr), then ``check_text``
- :class:`FactcheckInputError` - bad input, with ``message(lang)`` in the reader's language
"""

from careguide.factcheck.engine import check, check_text
from careguide.factcheck.evidence import CatalogueEvidence, EvidenceSource
from careguide.factcheck.models import (
    CheckRequest,
    ClaimFinding,
    EvidenceFinding,
    FactcheckResult,
    PatternHit,
    Span,
    Verdict,
)
from careguide.factcheck.ocr import extract_text_from_image
from careguide.factcheck.text import MAX_CHARS, FactcheckInputError

__all__ = [
    "MAX_CHARS", "CatalogueEvidence", "CheckRequest", "ClaimFinding", "EvidenceFinding", "EvidenceSource",
    "FactcheckInputError", "FactcheckResult", "PatternHit", "Span", "Verdict", "check", "check_text",
    "extract_text_from_image",
]
