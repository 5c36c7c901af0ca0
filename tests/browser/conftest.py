"""Fixtures for the browser tests: one Chromium and one served site for the package, a fresh
browser context per test.

Playwright's sync API leaves an asyncio loop marked as running in the main thread while it is
started, which trips Django's async-unsafe guard on every ORM call the tests (and the database
teardown) make. The guard is lifted only while the browser runs, and the browser is closed when
the last browser test is done, so the rest of the suite sees neither.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.support.watch import PageWatcher, origin
from tests.conftest import REPO_DIR

if TYPE_CHECKING:
    from tests.browser.site_data import ReaderSite

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
ARTIFACTS_DIR = REPO_DIR / "test-artifacts" / "browser"
# Generous: the machine running CI may be busy; a passing check returns as soon as it holds.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember whether the test body failed, so fixture teardown does not pile on more errors."""
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


@pytest.fixture(scope="package")
def browser(chromium_path: Path) -> Iterator[Browser]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def reader_site(browser, django_db_setup, django_db_blocker) -> Iterator[ReaderSite]:
    """Build the demo news site once, serve it, and put the database back as it was afterwards.

    The database stays unblocked while the package runs because the server thread reads it.
    """
    from tests.browser.site_data import build_reader_site
    from tests.browser.support.server import ensure_wagtail_roots, restored_database, start_live_server, test_database

    with django_db_blocker.unblock(), test_database(), restored_database():
        ensure_wagtail_roots()
        site = build_reader_site()
        server = start_live_server()
        try:
            yield dataclasses.replace(site, base_url=f"http://{server.host}:{server.port}")
        finally:
            server.terminate()


@pytest.fixture
def site_url(reader_site: ReaderSite) -> str:
    return reader_site.base_url


@pytest.fixture
def watcher(site_url) -> PageWatcher:
    return PageWatcher(site_origin=origin(site_url))


@pytest.fixture
def new_context(request, browser: Browser, site_url: str, watcher: PageWatcher):
    """Open a watched context (JavaScript on/off, viewport, colour scheme …); all are closed afterwards."""
    contexts: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "ar")
        options.setdefault("service_workers", "block")
        context = browser.new_context(base_url=site_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        watcher.attach(context)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    if not getattr(request.node, "browser_call_failed", True):
        watcher.assert_clean()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
