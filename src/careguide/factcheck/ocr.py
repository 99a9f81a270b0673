"""Text of an advert photo or screenshot, read with the reports package's PP-OCR pipeline (rapidocr).

The checker itself takes text; this turns an image into that text, line by line in reading order.
"""

from __future__ import annotations

from careguide.factcheck.text import FactcheckInputError


def extract_text_from_image(data: bytes) -> str:
    """The text lines of an image (PNG, JPEG, WebP ...); :class:`FactcheckInputError` when it cannot be
    opened (``image_unreadable``) or holds no text (``image_no_text``)."""
    from careguide.reports.errors import ReportError
    from careguide.reports.image import ocr_lines, open_image

    try:
        image = open_image(data)
    except ReportError as error:
        raise FactcheckInputError("image_unreadable") from error
    lines, _confidence = ocr_lines(image)
    text = "\n".join(" ".join(cell.strip() for cell in line.cells if cell.strip()) for line in lines)
    if not text.strip():
        raise FactcheckInputError("image_no_text")
    return text
