"""Record what goes wrong while a page is open: console errors, script errors, failed requests.

A reader never sees these in the DOM, so the tests collect them from the browser and fail with
the full list. Requests to any host but the live server are stopped before they leave the machine
and reported: Akhbar pages must not contact another host on their own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route


def _page_url(page: Page | None) -> str:
    return page.url if page is not None else "(closed page)"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class PageWatcher:
    """Attached to a browser context; every page opened in it is watched."""

    site_origin: str
    problems: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    # Predicates for third-party URLs a test deliberately lets the page ask for (e.g. after a
    # click on an embed); such requests are answered locally, never sent to the network.
    allowed_external: list[Callable[[str], bool]] = field(default_factory=list)
    answered_locally: list[str] = field(default_factory=list)
    # A request aborted because the page moved on (navigation, a superseded fetch) is not a fault.
    benign_failures: tuple[str, ...] = ("net::ERR_ABORTED",)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.problems.append(f"script error on {_page_url(error.page)}: {error.error}"))
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)

    def allow_external(self, predicate: Callable[[str], bool]) -> None:
        self.allowed_external.append(predicate)

    def _is_local(self, url: str) -> bool:
        return url.startswith(("data:", "blob:", "about:")) or origin(url) == self.site_origin

    def _route(self, route: Route) -> None:
        url = route.request.url
        if self._is_local(url):
            route.continue_()
            return
        if any(allowed(url) for allowed in self.allowed_external):
            self.answered_locally.append(url)
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>embed</title>")
            return
        self.external_requests.append(url)
        route.abort("blockedbyclient")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in {"error", "assert"}:
            location = message.location or {}
            where = location.get("url") or _page_url(message.page)
            self.problems.append(f"console {message.type} on {where}: {message.text}")

    def _on_request_failed(self, request: Request) -> None:
        if not self._is_local(request.url):
            return  # already reported as an external request
        reason = request.failure or "unknown failure"
        # Chromium aborts loads a navigation made obsolete; a real fault also shows as an HTTP status.
        if any(benign in reason for benign in self.benign_failures):
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({reason})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and self._is_local(response.url):
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def report(self) -> str:
        lines = list(self.problems)
        lines += [f"request to another host: {url}" for url in self.external_requests]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        __tracebackhide__ = True
        report = self.report()
        assert not report, f"the pages reported problems:\n{report}"
