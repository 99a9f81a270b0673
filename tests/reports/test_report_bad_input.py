"""Bad input gets a clear message in the person's language and nothing half-done."""

import io

import pytest

from careguide.reports import explain_report
from careguide.reports.base import MAX_UPLOAD_BYTES
from careguide.reports.errors import ReportError


def _error(data: bytes, filename: str | None = None) -> ReportError:
    with pytest.raises(ReportError) as caught:
        explain_report(data, filename)
    return caught.value


def _pdf(encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    pdf.drawString(72, 720, "Potassium 4.1 mmol/L 3.5-5.1")
    pdf.save()
    return buffer.getvalue()


def test_password_protected_pdf():
    error = _error(_pdf(encrypt="secret"), "report.pdf")
    assert error.key == "pdf_encrypted"
    assert "password" in error.message("en")
    assert "密码" in error.message("zh")


def test_corrupt_pdf():
    data = _pdf()
    error = _error(data[:200] + b"garbage" * 50, "report.pdf")
    assert error.key == "pdf_corrupt"
    assert "损坏" in error.message("zh")


def test_fifty_megabyte_file_is_refused_before_reading():
    error = _error(b"%PDF-1.4\n" + b"0" * (50 * 2**20), "big.pdf")
    assert error.key == "too_large"
    assert MAX_UPLOAD_BYTES < 50 * 2**20
    assert "50.0 MB" in error.message("en")


def test_empty_file():
    assert _error(b"", "x.txt").key == "empty"


def test_text_that_is_not_a_report():
    error = _error(b"Dear friend, the weather is lovely today.\nSee you soon.\n", "letter.txt")
    assert error.key == "not_a_report"
    assert "不是化验报告" in error.message("zh")


def test_broken_image():
    error = _error(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "photo.png")
    assert error.key == "image_corrupt"


def test_invalid_fhir_names_the_problem():
    error = _error(b'{"resourceType": "Observation", "status": "final", "code": 5}', "obs.json")
    assert error.key == "fhir_invalid"
    assert "Observation" in error.message("en")


def test_every_error_key_has_both_languages():
    from careguide.i18n import catalog

    keys = ["empty", "too_large", "unsupported_format", "pdf_encrypted", "pdf_corrupt", "image_corrupt",
            "image_no_text", "not_a_report", "fhir_invalid", "fhir_unresolved", "unreadable_text", "file_missing"]
    for key in keys:
        assert set(catalog()[f"reports.{key}"]) >= {"en", "zh"}
