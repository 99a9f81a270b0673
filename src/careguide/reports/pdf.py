"""PDF reports: the text layer through pdfplumber; pages without one (scans) through OCR."""

from __future__ import annotations

import io

from careguide.reports.errors import ReportError
from careguide.reports.layout import lines_from_boxes
from careguide.reports.models import Box, ExtractedDocument, RawLine

MAX_PAGES = 30
_MIN_WORDS_FOR_TEXT_LAYER = 5
_SCAN_DPI = 200


class PdfExtractor:
    format = "pdf"

    def accepts(self, data: bytes, filename: str | None = None) -> bool:
        return data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]

    def extract(self, data: bytes) -> ExtractedDocument:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        lines: list[RawLine] = []
        scanned: list[int] = []
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                if len(pdf.pages) > MAX_PAGES:
                    raise ReportError("too_large", f"{len(pdf.pages)} pages", size_mb=round(len(data) / 2**20, 1),
                                      limit_mb=MAX_PAGES)
                page_count = len(pdf.pages)
                for number, page in enumerate(pdf.pages, start=1):
                    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
                    if len(words) < _MIN_WORDS_FOR_TEXT_LAYER:
                        scanned.append(number)
                        continue
                    boxes = [Box(text=w["text"], x0=w["x0"], y0=w["top"], x1=w["x1"], y1=w["bottom"]) for w in words]
                    lines.extend(lines_from_boxes(boxes, page=number))
        except ReportError:
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError) as error:
            raise ReportError("pdf_encrypted", str(error)) from error
        except Exception as error:  # pdfminer raises many unrelated types on damaged files
            causes = [error, *(a for a in getattr(error, "args", ()) if isinstance(a, BaseException))]
            if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes) or \
                    "password" in str(error).lower() or "encrypt" in str(error).lower():
                raise ReportError("pdf_encrypted", str(error)) from error
            raise ReportError("pdf_corrupt", f"{type(error).__name__}: {error}") from error
        confidence = None
        if scanned:
            ocr_lines, confidence = _ocr_pages(data, scanned)
            lines.extend(ocr_lines)
        if not lines:
            raise ReportError("image_no_text", "PDF without text")
        return ExtractedDocument(source_format="pdf", lines=lines, pages=page_count, ocr_confidence=confidence)


def _ocr_pages(data: bytes, numbers: list[int]) -> tuple[list[RawLine], float | None]:
    import pypdfium2 as pdfium

    from careguide.reports.image import ocr_lines

    lines: list[RawLine] = []
    scores: list[float] = []
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ReportError("pdf_corrupt", str(error)) from error
    for number in numbers:
        bitmap = document[number - 1].render(scale=_SCAN_DPI / 72)
        image = bitmap.to_pil().convert("RGB")
        page_lines, confidence = ocr_lines(image, page=number)
        lines.extend(page_lines)
        if confidence is not None:
            scores.append(confidence)
    return lines, (sum(scores) / len(scores) if scores else None)
