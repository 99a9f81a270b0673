"""Sharing my data with a doctor and taking it back, in the browser; the doctor's view follows."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.browser


def _register_and_login(page, name, role="patient"):
    page.goto("/register")
    page.fill("#username", name)
    page.fill("#password", "a-long-password-1")
    if role == "caregiver":
        page.check("input[name=role][value=caregiver]")
    page.click("#register-form button[type=submit]")
    page.fill("#username", name)
    page.fill("#password", "a-long-password-1")
    page.click("#login-form button[type=submit]")


def test_grant_then_revoke_sharing(page, browser, live_server):
    me, helper = f"p{uuid.uuid4().hex[:6]}", f"c{uuid.uuid4().hex[:6]}"
    other_context = browser.new_context(base_url=live_server)
    other = other_context.new_page()
    _register_and_login(other, helper, role="caregiver")
    _register_and_login(page, me)
    page.goto("/sharing")
    page.fill("#grantee", helper)
    page.select_option("#purpose", "caregiving")
    page.click("#sharing-form button[type=submit]")
    assert helper in page.locator("#given").inner_text()
    other.goto("/sharing")
    assert me in other.locator("#received").inner_text() or "—" in other.locator("#received").inner_text()
    page.click("#given button.revoke")
    assert page.locator("#given em").count() == 1
    other.reload()
    assert other.locator("#received li").count() == 0
    other_context.close()


def test_unknown_grantee_gets_a_clear_message(page):
    _register_and_login(page, f"q{uuid.uuid4().hex[:6]}")
    page.goto("/sharing")
    page.fill("#grantee", "nobody-by-this-name")
    page.click("#sharing-form button[type=submit]")
    assert page.locator("#form-error").is_visible()
