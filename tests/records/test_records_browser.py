"""The record page in headless Chromium: upload a device CSV, see the chart, insight and reminders."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "password-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    import uvicorn

    from careguide.api.app import ROUTER_MODULES, create_app
    from careguide.config import Settings, get_settings
    from careguide.store.db import Database

    db = Database(f"sqlite:///{tmp_path_factory.mktemp('records-web') / 'web.db'}")
    db.upgrade()
    app = create_app(Settings(data_dir=Path(get_settings().data_dir), default_language="en"), db)
    from careguide.api.routers import records as api_records
    from careguide.web import records_pages

    if "careguide.api.routers.records" not in ROUTER_MODULES:
        app.include_router(api_records.router)
    if "careguide.web.records_pages" not in ROUTER_MODULES:
        app.include_router(records_pages.router)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    live = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not live.started and time.time() < deadline:
        time.sleep(0.05)
    assert live.started
    yield f"http://127.0.0.1:{port}", db
    live.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _user(db, language: str) -> str:
    from careguide import accounts

    name = f"rec{uuid.uuid4().hex[:8]}"
    with db.session() as session:
        accounts.create_user(session, accounts.NewUser(name, PASSWORD, sex="M", birth_date=date(1958, 4, 2),
                                                       language=language))
    return name


def _login(page, name: str) -> None:
    page.goto("/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")


def test_uploading_bp_readings_draws_a_chart_and_names_the_guideline(server, browser, tmp_path):
    url, db = server
    context = browser.new_context(base_url=url, locale="en-US")
    page = context.new_page()
    _login(page, _user(db, "en"))
    today = date.today().isoformat()
    csv_file = tmp_path / "bp.csv"
    csv_file.write_text("Date,Time,Systolic,Diastolic,Pulse,Unit\n" + "".join(
        f"{today},0{h}:00,{150 + h},{96},70,mmHg\n" for h in range(1, 5)), encoding="utf-8")
    page.goto("/records")
    page.set_input_files("#files", str(csv_file))
    page.click("#import-form button[type=submit]")
    assert "imported, 8 new" in page.locator("#import-result").inner_text()
    assert page.locator("#charts svg path").count() >= 2
    category = page.locator("article[data-kind=bp_category]")
    assert category.count() == 1 and "hypertension" in category.inner_text()
    assert page.locator("#reminders li.reminder-screening").count() >= 1
    context.close()


def test_broken_file_is_refused_in_chinese_and_nothing_saved(server, browser, tmp_path):
    url, db = server
    context = browser.new_context(base_url=url, locale="zh-CN")
    page = context.new_page()
    _login(page, _user(db, "zh"))
    broken = tmp_path / "export.xml"
    broken.write_text("<HealthData><Record type='HKQuantityTypeIdentifierHeartRate'", encoding="utf-8")
    page.goto("/records")
    page.set_input_files("#files", str(broken))
    page.click("#import-form button[type=submit]")
    text = page.locator("#import-result").inner_text()
    assert "未导入" in text and "XML" in text
    assert page.locator("#charts svg").count() == 0
    context.close()
