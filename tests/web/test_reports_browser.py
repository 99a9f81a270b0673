"""Upload a lab report in the browser: abnormal values explained, critical value first, saved."""

from __future__ import annotations

import pytest
from webkit import login

pytestmark = pytest.mark.browser

REPORT = """生化检验报告  报告日期：2026-05-06
项目 结果 单位 参考范围
钾(K) 6.9 mmol/L 3.5-5.3
谷丙转氨酶(ALT) 72 U/L 9-50
葡萄糖(GLU) 5.0 mmol/L 3.9-6.1
"""


def test_uploaded_report_shows_the_critical_banner_first_and_is_saved(page, tmp_path):
    login(page, "demo")
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    page.goto("/reports")
    page.set_input_files("#file", str(report))
    page.click("#report-form button[type=submit]")
    assert page.locator("#critical-banner").is_visible()
    assert page.locator("tr.flag-HH").count() == 1
    assert page.locator("#explanations li").count() >= 1
    assert page.locator("#saved").is_visible()


def test_submitting_nothing_gets_a_clear_message(page):
    login(page, "demo_en")
    page.goto("/reports")
    page.click("#report-form button[type=submit]")
    assert "choose a file" in page.locator("#form-error").inner_text()
