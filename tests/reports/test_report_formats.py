"""End to end on the generated corpus: text and PDF on a sample, photos on a handful (OCR is slow)."""

import pytest

from careguide.evals.reports import evaluate_format
from careguide.knowledge.analytes import load_analytes
from careguide.reports import explain_report
from careguide.reports.corpus.generate import LAYOUTS, generate_corpus
from careguide.reports.corpus.render import render_pdf, render_photo, render_text
from careguide.reports.errors import ReportError


@pytest.fixture(scope="module")
def corpus():
    return generate_corpus(96)


def test_corpus_is_deterministic_and_covers_every_layout(corpus):
    again = generate_corpus(96)
    assert [r.gold for r in corpus] == [r.gold for r in again]
    assert {r.layout for r in corpus} == set(LAYOUTS)
    assert {r.lang for r in corpus} == {"zh", "en"}
    assert len(corpus) >= 80
    assert render_text(corpus[0]) == render_text(again[0])


def test_text_reports_reach_the_target(corpus):
    result = evaluate_format("text", corpus[:30], load_analytes())
    assert result["f1"] >= 0.98, result["fields"]
    assert not result["failed"]


def test_pdf_reports_reach_the_target(corpus):
    result = evaluate_format("pdf", corpus[:12], load_analytes())
    assert result["f1"] >= 0.98, result["fields"]
    assert result["header_accuracy"] >= 0.9


def test_chinese_pdf_embeds_a_truetype_cjk_font(corpus):
    data = render_pdf(corpus[0])
    assert b"/FontFile2" in data  # TrueType program embedded, so the PDF shows Chinese anywhere


def test_photo_of_a_short_report_is_read(corpus):
    short = min((r for r in corpus if r.lang == "zh"), key=lambda r: len(r.gold))
    result = evaluate_format("photo", [short], load_analytes())
    assert result["f1"] >= 0.9, result["fields"]


def test_photo_with_no_text():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 200, 200)).save(buffer, "JPEG")
    with pytest.raises(ReportError) as caught:
        explain_report(buffer.getvalue(), "blank.jpg")
    assert caught.value.key == "image_no_text"
    assert "没有识别到文字" in caught.value.message("zh")


def test_photo_of_something_that_is_not_a_report():
    import io

    from PIL import Image, ImageDraw, ImageFont

    from careguide.reports.corpus.render import cjk_font_path

    image = Image.new("RGB", (900, 300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(cjk_font_path()), 36)
    draw.text((30, 40), "Welcome to Riverside Park", font=font, fill="black")
    draw.text((30, 140), "公园开放时间 早上六点", font=font, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    with pytest.raises(ReportError) as caught:
        explain_report(buffer.getvalue(), "park.png")
    assert caught.value.key == "not_a_report"


def test_photo_renderer_distorts_the_page(corpus):
    import io

    from PIL import Image

    photo = Image.open(io.BytesIO(render_photo(corpus[1])))
    assert photo.format == "JPEG"
    assert photo.getpixel((5, 5)) != (250, 249, 244)  # the desk, not the paper, at the corner


def test_two_page_pdf_with_repeated_page_headers():
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page, rows in enumerate((["Sodium  140  mmol/L  136-145", "Potassium  5.9  H  mmol/L  3.5-5.1"],
                                 ["Glucose  5.1  mmol/L  3.9-6.1"]), start=1):
        pdf.drawString(72, 780, "Northside Clinical Laboratory     Sex: F     Age: 40 y")
        pdf.drawString(72, 760, "Test   Result   Flag   Units   Reference Range")
        for number, row in enumerate(rows):
            x = 72
            for cell in row.split("  "):
                pdf.drawString(x, 730 - 20 * number, cell)
                x += 110
        pdf.drawString(72, 60, f"Page {page} of 2")
        pdf.showPage()
    pdf.save()
    report = explain_report(buffer.getvalue(), "two.pdf")
    assert [r.printed_name for r in report.results] == ["Sodium", "Potassium", "Glucose"]
    assert report.results[1].flag.value == "H"
    assert report.header.sex == "female"
