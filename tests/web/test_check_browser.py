"""A senior pastes a forwarded advert and sees, in large text, why it misleads."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_misleading_advert_is_explained_with_highlights_in_senior_mode(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    page.goto("/check")
    page.click("#senior-toggle")
    assert "senior" in (page.locator("body").get_attribute("class") or "")
    page.fill("#text", "祖传秘方降糖茶，三个疗程根治糖尿病，喝了就能停掉胰岛素，无任何副作用！")
    page.click("#check-form button[type=submit]")
    assert page.locator("#verdict").inner_text() == "有误导性"
    assert page.locator("mark").count() >= 2
    assert page.locator("#advice li").count() >= 1
    context.close()


def test_empty_message_gets_a_clear_error_in_english(page):
    page.goto("/check?lang=en")
    page.evaluate("document.querySelector('#text').removeAttribute('required')")
    page.click("#check-form button[type=submit]")
    assert page.locator("#form-error").is_visible()
