"""The symptom interview in the browser, with big answer buttons, also in senior mode."""

from __future__ import annotations

import pytest
from webkit import login, set_senior_mode

pytestmark = pytest.mark.browser




def _answer_until_outcome(page, choice, free_text="2 days"):
    for _ in range(20):
        if page.locator("#outcome").count():
            return
        if page.locator("#free-answer").count():
            page.fill("#value", free_text)
            page.click("#free-answer button[type=submit]")
            continue
        buttons = page.locator(f"button.answer-{choice}")
        if buttons.count():
            buttons.first.click()
        elif page.locator("button.answer-dont_know").count():
            page.locator("button.answer-dont_know").first.click()
        else:
            page.locator(".answers button").first.click()
    raise AssertionError("no outcome after 20 answers")


def test_stroke_signs_end_in_an_ambulance_call_button(page):
    login(page, "demo_en")
    page.goto("/triage")
    page.fill("#text", "My father's face is drooping on one side and his speech is slurred since 20 minutes")
    page.fill("#age", "72")
    page.click("#triage-form button[type=submit]")
    _answer_until_outcome(page, "yes")
    assert page.locator("#disposition").get_attribute("data-level") == "ambulance"
    assert page.locator("a.call").get_attribute("href") == "tel:120"


def test_senior_mode_interview_in_chinese_reaches_advice(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    login(page, "demo")
    set_senior_mode(page, True)
    page.goto("/triage")
    page.fill("#text", "嗓子有点疼两天了，不发烧，能吃能喝")
    page.click("#triage-form button[type=submit]")
    _answer_until_outcome(page, "no", free_text="两天")
    assert page.locator("#instruction").inner_text().strip()
    box = page.locator("#outcome").bounding_box()
    assert box is not None
    assert "senior" in (page.locator("body").get_attribute("class") or "")
    context.close()
