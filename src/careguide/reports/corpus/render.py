"""Render a corpus report as plain text, as a PDF with an embedded CJK TrueType font, and as a photo."""

from __future__ import annotations

import io
import random
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from careguide.reports.corpus.generate import CorpusReport, Segment

# Debian fonts-wqy-zenhei: a TrueType collection that reportlab can embed (Noto CJK is CFF and cannot be).
CJK_FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)
_TEXT_WIDTH = 110  # characters (a CJK character counts two)


class MissingFont(RuntimeError):
    """The CJK TrueType font needed to render Chinese PDFs and photos is not installed."""


def cjk_font_path() -> Path:
    for path in CJK_FONT_PATHS:
        if path.exists():
            return path
    raise MissingFont("install the Debian package fonts-wqy-zenhei (CJK TrueType font)")


# --- text ------------------------------------------------------------------------------------------

def render_text(report: CorpusReport) -> str:
    """Columns padded with spaces (CJK counted double width), or tab-separated for every fourth report."""
    tabbed = int(report.id[1:]) % 4 == 3
    out = []
    for line in report.lines:
        if tabbed:
            out.append("\t".join(s.text for s in line))
            continue
        text = ""
        for segment in line:
            column = round(segment.x * _TEXT_WIDTH)
            pad = max(column - _width(text), 2 if text else 0)
            text += " " * pad + segment.text
        out.append(text.rstrip())
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --- PDF -------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WQYZenHei", str(cjk_font_path()), subfontIndex=0))
    return "WQYZenHei"


def render_pdf(report: CorpusReport) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _pdf_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    width, height = A4
    margin, size, step = 40.0, 9.0, 15.5
    usable = width - 2 * margin
    y = height - margin - 10
    ruled = int(report.id[1:]) % 2 == 0
    for number, line in enumerate(report.lines):
        is_title = number < 2
        pdf.setFont(font, 13 if is_title else size)
        previous_end = 0.0
        for segment in line:
            x = max(margin + segment.x * usable, previous_end + 6)
            previous_end = _draw_with_superscripts(pdf, font, 13 if is_title else size, x, y, segment.text)
        if ruled and line and not is_title:
            pdf.setLineWidth(0.3)
            pdf.line(margin, y - 4.5, width - margin, y - 4.5)
        y -= step + (4 if is_title else 0)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _draw_with_superscripts(pdf: Any, font: str, size: float, x: float, y: float, text: str) -> float:
    """Draw text, setting superscript digits (``×10⁹/L``) as small raised digits the way labs print them."""
    import re

    for piece in re.split(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text):
        if not piece:
            continue
        raised = piece[0] in "⁰¹²³⁴⁵⁶⁷⁸⁹"
        shown = piece.translate(_SUPERSCRIPT_DIGITS) if raised else piece
        piece_size = size * 0.65 if raised else size
        pdf.setFont(font, piece_size)
        pdf.drawString(x, y + (size * 0.4 if raised else 0), shown)
        x += pdf.stringWidth(shown, font, piece_size)
    pdf.setFont(font, size)
    return x


# --- photo -----------------------------------------------------------------------------------------

def render_page_image(report: CorpusReport, width: int = 1240) -> Any:
    from PIL import Image, ImageDraw, ImageFont

    margin, size, step = 60, 22, 40
    height = margin * 2 + step * (len(report.lines) + 1)
    image = Image.new("RGB", (width, height), (250, 249, 244))
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(str(cjk_font_path()), size)
    title = ImageFont.truetype(str(cjk_font_path()), 30)
    usable = width - 2 * margin
    y = margin
    for number, line in enumerate(report.lines):
        font = title if number < 2 else body
        previous_end = 0.0
        for segment in line:
            x = max(margin + segment.x * usable, previous_end + 12)
            draw.text((x, y), _photo_text(segment), font=font, fill=(25, 25, 30))
            previous_end = x + draw.textlength(_photo_text(segment), font=font)
        y += step + (8 if number < 2 else 0)
    return image


def _photo_text(segment: Segment) -> str:
    # printed superscript powers in photos would need their own OCR model; photos here print 10^9/L
    return segment.text.replace("×10⁹/L", "×10^9/L").replace("×10¹²/L", "×10^12/L")


def render_photo(report: CorpusReport, seed: int | None = None) -> bytes:
    """A phone-photo look: rotation, perspective, uneven light, blur, sensor noise, JPEG compression."""
    import cv2
    import numpy as np

    rng = random.Random(seed if seed is not None else int(report.id[1:]) * 7919)
    page = np.asarray(render_page_image(report)).astype(np.float32)
    h, w = page.shape[:2]
    pad = int(0.06 * max(h, w))
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), (92, 86, 78), np.float32)  # a desk behind the paper
    canvas[pad:pad + h, pad:pad + w] = page
    H, W = canvas.shape[:2]
    jitter = 0.03
    src = np.array([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]], dtype=np.float32)
    shift = [[rng.uniform(-jitter, jitter) * w, rng.uniform(-jitter, jitter) * h] for _ in range(4)]
    dst = src + np.array(shift, dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(canvas, matrix, (W, H), borderValue=(92, 86, 78))
    angle = rng.uniform(-4.0, 4.0)
    rotation = cv2.getRotationMatrix2D((W / 2, H / 2), angle, 1.0)
    warped = cv2.warpAffine(warped, rotation, (W, H), borderValue=(92, 86, 78))
    # uneven light: a linear falloff from a random side plus a soft vignette
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(theta) * xx / W + np.sin(theta) * yy / H)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min() + 1e-6)
    light = 1.0 - rng.uniform(0.25, 0.45) * ramp
    vignette = 1.0 - 0.18 * (((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2) * 4
    warped *= (light * vignette)[..., None]
    warped = cv2.GaussianBlur(warped, (0, 0), rng.uniform(0.6, 1.2))
    noise_rng = np.random.default_rng(rng.randrange(2**32))
    warped += np.asarray(noise_rng.normal(0, rng.uniform(3, 8), warped.shape), dtype=np.float32)
    out = np.clip(warped, 0, 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".jpg", out[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, rng.randint(50, 78)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return bytes(encoded.tobytes())
