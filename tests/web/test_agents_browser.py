"""The doctor agents page in Chromium: reached from the clinic's navigation, in the doctor's language,
listing the shipped agents as signed by the demo doctor (the demo seed's sign-off), with the audit queue."""

from __future__ import annotations

import pytest
from webkit import login

from careguide.assistant.agents import load_agents

pytestmark = pytest.mark.browser


def test_doctor_sees_the_agents_with_their_sign_off_and_the_audit_queue(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, "doctor")
    page.goto("/clinic")
    page.click("#nav-agents")
    assert page.url.endswith("/clinic/agents")
    rows = page.locator("#agents tbody tr")
    assert rows.count() == len(load_agents())
    assert page.locator("#agents tr.agent-active").count() == rows.count()
    assert "已由张华 Dr. Zhang Hua签署" in rows.first.locator(".agent-status").inner_text()
    assert page.locator("#audit h2").inner_text() == "待审核的回答"
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()
