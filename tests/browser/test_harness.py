"""The checks the other browser tests rely on do catch problems: a broken page must not pass.

A deliberately faulty page is served under the live server's own address (answered by the
browser itself, the site is untouched): a script error, a missing file, a request to another
host and an image without a text alternative.
"""

import pytest

from tests.browser.support.axe import axe_violations

pytestmark = pytest.mark.browser

FAULTY_PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صفحة معطوبة</title>
<script src="/static/js/__probe_error__.js"></script></head>
<body><main><h1>صفحة معطوبة</h1>
<img src="/static/img/favicon.svg" width="20" height="20">
<img src="https://images.example.com/photo.jpg" alt="صورة">
<script src="/static/js/__missing__.js"></script>
</main></body></html>"""


def test_watcher_and_axe_report_a_faulty_page(page, site_url, watcher):
    page.route(f"{site_url}/__faulty__/", lambda route: route.fulfill(content_type="text/html", body=FAULTY_PAGE))
    page.route(
        f"{site_url}/static/js/__probe_error__.js",
        lambda route: route.fulfill(content_type="text/javascript", body="window.undefinedFunction();"),
    )
    page.goto("/__faulty__/")
    page.wait_for_load_state("networkidle")

    report = watcher.report()
    assert "script error" in report and "undefinedFunction" in report, report
    assert "HTTP 404" in report and "__missing__.js" in report, report
    assert watcher.external_requests == ["https://images.example.com/photo.jpg"]

    violations = {violation["id"]: violation["impact"] for violation in axe_violations(page)}
    assert violations.get("image-alt") == "critical", violations

    # Everything above was expected; leave the watcher clean for the fixture's final check.
    watcher.problems.clear()
    watcher.external_requests.clear()
