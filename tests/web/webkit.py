"""Helpers of the browser tests (a module of its own: several test folders have a conftest)."""

from __future__ import annotations


def set_senior_mode(page, on: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Switch large-text mode to the wanted state (it is remembered per user, and the demo users are
    shared by the tests of one live server, so a test sets it rather than toggling it)."""
    if ("senior" in (page.locator("body").get_attribute("class") or "")) != on:
        page.click("#senior-toggle")


def login(page, username: str, password: str = "careguide-demo-1") -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
