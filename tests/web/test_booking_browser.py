"""From a triage outcome: book -> three proposals -> confirm -> my appointments -> visit guide, in Chromium."""

from __future__ import annotations

import pytest
from webkit import login

pytestmark = pytest.mark.browser




def test_book_from_a_triage_outcome(page):
    login(page, "demo_en")
    page.goto("/triage")
    page.fill("#text", "My knee has been painful and stiff for three months when I climb stairs, no swelling")
    page.fill("#age", "60")
    page.click("#triage-form button[type=submit]")
    for _ in range(25):
        if page.locator("#outcome").count():
            break
        if page.locator("#free-answer").count():
            page.fill("#value", "3 months")
            page.click("#free-answer button[type=submit]")
        elif page.locator("button.answer-no").count():
            page.locator("button.answer-no").first.click()
        else:
            page.locator(".answers button").last.click()
    page.click("#book-visit")
    assert 1 <= page.locator("#proposals > li").count() <= 3
    assert page.locator("#proposals .why").first.inner_text().strip()
    page.locator("button.book-this").first.click()
    assert page.locator("#booked").is_visible()
    assert page.locator("#appointments > li").count() == 1
    page.locator("#appointments a.action").first.click()
    assert page.locator("#guide > li").count() >= 4


def test_an_emergency_gets_no_booking_but_the_number(page):
    login(page, "demo_en")
    page.goto("/book?level=emergency&department=cardiology")
    assert page.locator("#no-booking").is_visible()
    assert page.locator("a.call").get_attribute("href") == "tel:120"
