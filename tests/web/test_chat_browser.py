"""The chat page in Chromium: a question answered with sources; an emergency first; senior mode."""

from __future__ import annotations

import pytest
from webkit import login, set_senior_mode

pytestmark = pytest.mark.browser




def test_question_is_answered_with_sources(page):
    login(page, "demo_en")
    page.goto("/chat")
    page.click("#new-chat button[type=submit]")
    page.fill("#text", "How much sleep do adults need?")
    page.click("#send")
    assert page.locator("li.turn.assistant").count() == 1
    assert page.locator("#sources li").count() >= 1


def test_emergency_in_chinese_senior_mode_names_the_number(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    login(page, "demo")
    set_senior_mode(page, True)
    page.goto("/chat")
    page.click("#new-chat button[type=submit]")
    page.fill("#text", "我爸突然一边手脚没力气，说话含糊不清")
    page.click("#send")
    assert "120" in page.locator("li.turn.assistant .bubble").last.inner_text()
    assert "senior" in (page.locator("body").get_attribute("class") or "")
    context.close()
