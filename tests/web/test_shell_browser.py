"""The web shell in headless Chromium: log-in page in both languages, register, log in, senior mode."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.browser


def test_login_page_shows_in_english_and_chinese(page, live_server):
    page.goto("/")
    assert page.url.endswith("/login")
    assert page.locator("h1").inner_text() == "Log in"
    page.click("#lang-zh")
    assert page.locator("h1").inner_text() == "登录"
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_chinese_browser_gets_chinese_without_choosing(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    tab = context.new_page()
    tab.goto("/login")
    assert tab.locator("h1").inner_text() == "登录"
    context.close()


def test_register_then_log_in_reaches_home(page):
    name = f"u{uuid.uuid4().hex[:8]}"
    page.goto("/register")
    page.fill("#username", name)
    page.fill("#password", "short")
    page.click("#register-form button[type=submit]")
    assert "10" in page.locator("#form-error").inner_text()
    page.fill("#password", "a-long-password-1")
    page.fill("#full_name", "Test Person")
    page.click("#register-form button[type=submit]")
    assert page.url.endswith("/login?registered=1")
    page.fill("#username", name)
    page.fill("#password", "a-long-password-1")
    page.click("#login-form button[type=submit]")
    assert page.locator("#greeting").inner_text() == "Hello, Test Person"


def test_wrong_password_shows_a_clear_message(page):
    page.goto("/login")
    page.fill("#username", "demo_en")
    page.fill("#password", "not-the-password-1")
    page.click("#login-form button[type=submit]")
    assert "not right" in page.locator("#form-error").inner_text()


def test_senior_mode_is_remembered_for_the_user(page, browser, live_server):
    page.goto("/login")
    page.fill("#username", "demo_en")
    page.fill("#password", "careguide-demo-1")
    page.click("#login-form button[type=submit]")
    page.click("#senior-toggle")
    assert "senior" in (page.locator("body").get_attribute("class") or "")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 22
    # A new browser: log in again and the setting is still there (it lives in the profile).
    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    other.goto("/login")
    other.fill("#username", "demo_en")
    other.fill("#password", "careguide-demo-1")
    other.click("#login-form button[type=submit]")
    assert "senior" in (other.locator("body").get_attribute("class") or "")
    other.click("#senior-toggle")
    assert "senior" not in (other.locator("body").get_attribute("class") or "")
    context.close()


def test_profile_language_wins_over_the_browser(page):
    page.goto("/login")
    page.fill("#username", "demo")  # a Chinese-speaking senior; the browser asks for English
    page.fill("#password", "careguide-demo-1")
    page.click("#login-form button[type=submit]")
    assert "您好" in page.locator("#greeting").inner_text()
    page.goto("/profile")
    page.fill("#birth_date", "08/03/1950")
    page.click("#profile-form button[type=submit]")
    assert "年-月-日" in page.locator("#form-error").inner_text()


def test_api_docs_render_offline_under_the_csp(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/docs")
    page.wait_for_selector(".opblock-tag", timeout=15000)
    assert page.locator(".opblock").count() > 5
    assert not [e for e in errors if "Content Security Policy" in e]
