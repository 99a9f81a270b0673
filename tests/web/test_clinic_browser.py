"""The doctor's side in Chromium: a referred interview appears in the queue, is claimed and read;
a doctor without consent is refused."""

from __future__ import annotations

import re

import pytest
from webkit import login

pytestmark = pytest.mark.browser




def _finish_interview(page, text):
    page.goto("/triage")
    page.fill("#text", text)
    page.click("#triage-form button[type=submit]")
    for _ in range(25):
        if page.locator("#outcome").count():
            return
        if page.locator("#free-answer").count():
            page.fill("#value", "3 weeks")
            page.click("#free-answer button[type=submit]")
        elif page.locator("button.answer-no").count():
            page.locator("button.answer-no").first.click()
        else:
            page.locator(".answers button").last.click()
    raise AssertionError("no outcome")


def test_referred_case_is_claimed_and_summarised_and_a_stranger_is_refused(browser, live_server):
    patient_ctx = browser.new_context(base_url=live_server, locale="en-US")
    patient = patient_ctx.new_page()
    login(patient, "demo_en")
    _finish_interview(patient, "I feel tired all the time for two months and I have lost some weight, no fever")
    assert patient.locator("#refer-form").count() == 1  # not an emergency: it can be sent to the clinic
    patient.click("#refer-form button[type=submit]")
    assert patient.locator("#referred").is_visible()

    doctor_ctx = browser.new_context(base_url=live_server, locale="zh-CN")
    doctor = doctor_ctx.new_page()
    login(doctor, "doctor_en")
    doctor.goto("/clinic")
    rows = doctor.locator("#queue tr")
    assert rows.count() >= 1  # long tiredness with weight loss goes to general practice, the demo doctors' queue
    case_id = rows.first.get_attribute("data-id")
    rows.first.locator("button.claim").click()
    assert re.search(r"/clinic/referrals/\d+$", doctor.url)
    assert "I feel tired" in doctor.locator("#patient-words").inner_text()
    assert doctor.locator("ul.facts").count() >= 2

    doctor.fill("#transcript", "患者：夜里咳嗽。\n医生：双肺听诊清晰。\n医生：两周后复诊。")
    doctor.click("#transcript-form button[type=submit]")
    assert "双肺听诊清晰" in doctor.locator("#note-text").input_value()
    doctor.click("#sign-note")
    assert doctor.locator("p.signed").is_visible()
    doctor.fill("#additions", "每天散步30分钟。")
    doctor.click("#handout-form button[type=submit]")
    assert doctor.locator("#handout-sent").is_visible()

    stranger = doctor_ctx.browser.new_context(base_url=live_server).new_page()
    login(stranger, "doctor")
    stranger.goto(f"/clinic/referrals/{case_id}")
    assert stranger.locator("#form-error").is_visible()
    doctor_ctx.close()
    patient_ctx.close()
