"""Advert screenshots: OCR turns them into text the checker can read; bad images get a clear message."""

import io
from pathlib import Path

import pytest

from careguide.factcheck import FactcheckInputError, Verdict, check_text, extract_text_from_image

PIL = pytest.importorskip("PIL")
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _png(lines: list[str]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 90 * len(lines) + 60), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 48)
    for row, line in enumerate(lines):
        draw.text((40, 30 + 90 * row), line, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.skipif(not FONT.exists(), reason="needs the Noto CJK font to draw the advert")
def test_screenshot_of_a_chinese_advert_is_read_and_judged_misleading():
    text = extract_text_from_image(_png(["祖传秘方 包治百病", "停药也没关系 无效退款"]))
    assert "包治百病" in text.replace(" ", "")
    assert check_text(text).verdict == Verdict.MISLEADING


def test_blank_picture_has_no_text():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, format="PNG")
    with pytest.raises(FactcheckInputError) as caught:
        extract_text_from_image(buffer.getvalue())
    assert caught.value.code == "image_no_text"


def test_a_file_that_is_not_a_picture_is_refused():
    with pytest.raises(FactcheckInputError) as caught:
        extract_text_from_image(b"%PDF-1.4 definitely not an image")
    assert caught.value.code == "image_unreadable"
