"""Photos and scans of reports: PP-OCR (through rapidocr) and row rebuilding from box geometry."""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from typing import Any

from careguide.reports.errors import ReportError
from careguide.reports.layout import lines_from_boxes, skew_angle
from careguide.reports.models import Box, ExtractedDocument, RawLine

# Longest side the detector sees; report text stays legible and OCR time stays near 1 s on 2 cores.
MAX_SIDE = 1600
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")
_lock = threading.Lock()


class ImageExtractor:
    format = "image"

    def accepts(self, data: bytes, filename: str | None = None) -> bool:
        head = data[:16]
        if head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
            return True
        return bool(filename and filename.lower().endswith((".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif",
                                                            ".tiff", ".heic")))

    def extract(self, data: bytes) -> ExtractedDocument:
        image = open_image(data)
        lines, confidence = ocr_lines(image)
        if not lines:
            raise ReportError("image_no_text", "OCR found no text")
        return ExtractedDocument(source_format="image", lines=lines, ocr_confidence=confidence)


def open_image(data: bytes) -> Any:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        opened = Image.open(io.BytesIO(data))
        opened.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ReportError("image_corrupt", f"{type(error).__name__}: {error}") from error
    image: Image.Image = ImageOps.exif_transpose(opened).convert("RGB")
    scale = MAX_SIDE / max(image.size)
    if scale < 1:
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    return image


def ocr_boxes(image: Any) -> tuple[list[Box], list[list[tuple[float, float]]]]:
    """Text boxes (axis-aligned hull) and their quadrilaterals, from PP-OCR."""
    import numpy as np

    engine = _engine()
    with _lock:  # one onnxruntime session; concurrent calls would only compete for the same cores
        output = engine(np.asarray(image))
    if output.boxes is None or not output.txts:
        return [], []
    boxes: list[Box] = []
    quads: list[list[tuple[float, float]]] = []
    for quad, text, score in zip(output.boxes, output.txts, output.scores, strict=False):
        points = [(float(x), float(y)) for x, y in quad]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append(Box(text=text, x0=min(xs), y0=min(ys), x1=max(xs), y1=max(ys), confidence=float(score)))
        quads.append(points)
    return boxes, quads


def ocr_lines(image: Any, page: int = 1) -> tuple[list[RawLine], float | None]:
    boxes, quads = ocr_boxes(image)
    if not boxes:
        return [], None
    angle = skew_angle(quads)
    if abs(angle) > 0.2:
        boxes = [_tight_box(box, quad) for box, quad in zip(boxes, quads, strict=True)]
    confidence = sum(b.confidence for b in boxes) / len(boxes)
    return lines_from_boxes(boxes, angle_degrees=angle, page=page), confidence


def _tight_box(box: Box, quad: list[tuple[float, float]]) -> Box:
    """Centre from the quadrilateral and height from its left edge, so skewed hulls do not overlap lines."""
    cx = sum(p[0] for p in quad) / 4
    cy = sum(p[1] for p in quad) / 4
    height = ((quad[3][0] - quad[0][0]) ** 2 + (quad[3][1] - quad[0][1]) ** 2) ** 0.5
    width = ((quad[1][0] - quad[0][0]) ** 2 + (quad[1][1] - quad[0][1]) ** 2) ** 0.5
    return box.model_copy(update={"x0": cx - width / 2, "x1": cx + width / 2, "y0": cy - height / 2,
                                  "y1": cy + height / 2})


@lru_cache(maxsize=1)
def _engine() -> Any:
    import logging

    from rapidocr import RapidOCR

    # The orientation classifier turns "g/dL" into "7p/6" on report crops; reports are upright.
    engine = RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error"})
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return engine
