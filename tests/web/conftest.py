"""A live careguide server and headless Debian Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from careguide import demo
    from careguide.api.app import create_app
    from careguide.config import Settings, get_settings
    from careguide.store.db import Database

    data_dir = Path(get_settings().data_dir)
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    db.upgrade()
    with db.session() as session:
        demo.seed(session)
    app = create_app(Settings(data_dir=data_dir, default_language="en"), db)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "live server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    """One Playwright driver for the session: a second sync driver in the same thread is refused,
    so every browser (the shared one, the fake-microphone one) is launched from this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator[object]:  # type: ignore[no-untyped-def]
    path = chromium_path()
    if path is None:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package (make system-deps)")
    instance = playwright_driver.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    yield instance
    instance.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, locale="en-US")
    tab = context.new_page()
    yield tab
    context.close()

