"""Fixtures for real-browser tests: the app served on a free loopback port (werkzeug in a
thread), a real Celery worker on a private redis-server, and Debian's Chromium driven by
Playwright. Every page the browser opens is checked for script errors and for requests that
leave the machine (there must be none: no web fonts, CDNs or trackers)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import free_port
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    app: Flask
    url: str
    _server: object = field(repr=False, default=None)
    _thread: threading.Thread | None = field(repr=False, default=None)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(10)


@pytest.fixture
def live_server(make_app, redis_server) -> Iterator[LiveServer]:
    """The app on http://127.0.0.1:<free port>, with the private redis-server as broker."""
    app = make_app(broker_url=redis_server.url)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live = LiveServer(app, f"http://127.0.0.1:{port}", server, thread)
    yield live
    live.stop()


@pytest.fixture
def worker(live_server, start_worker):
    """A real `celery -A worker worker` on the live server's database and broker."""
    return start_worker(live_server.app)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The English UI needs the compiled catalogue (`make translations`, not committed);
    compile it when pytest runs without make."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    translations = Path(__file__).resolve().parents[2] / "toolbox" / "translations"
    for po in translations.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            with mo.open("wb") as f:
                write_mo(f, catalog)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where screenshots go: $TOOLBOX_SCREENSHOT_DIR if set (to look at them), else tmp."""
    path = os.environ.get("TOOLBOX_SCREENSHOT_DIR")
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        return Path(path)
    return tmp_path_factory.mktemp("screenshots")


class PageProblems:
    """Console errors, uncaught exceptions and off-machine requests seen by a context."""

    def __init__(self):
        self.items: list[str] = []

    def watch(self, context) -> None:
        def on_console(message):
            # A page answered with 4xx (a form with errors: 422) is logged as an error by
            # Chromium; failed subresources are caught by on_response instead.
            if message.type == "error" and not message.text.startswith("Failed to load"):
                self.items.append(f"console: {message.text}")

        def on_response(response):
            if response.status >= 400 and response.request.resource_type != "document":
                self.items.append(f"{response.status}: {response.url}")

        context.on("console", on_console)
        context.on("response", on_response)
        context.on("weberror", lambda error: self.items.append(f"error: {error.error}"))

        def guard(route):
            host = urlsplit(route.request.url).hostname
            if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                route.continue_()
            else:
                self.items.append(f"off-machine request: {route.request.url}")
                route.abort()

        context.route("**/*", guard)


@pytest.fixture
def new_context(browser, live_server) -> Iterator:
    """Factory: a fresh browser context (own cookies) on the live server."""
    contexts = []
    problems = PageProblems()

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "de-DE")
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        problems.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    # A failed download or a script error is a bug even when the test's steps passed.
    assert not problems.items, problems.items


@pytest.fixture
def page(new_context):
    return new_context().new_page()
