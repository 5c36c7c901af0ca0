"""Structured data and feed links in a real browser: under the site's Content-Security-Policy the
JSON-LD blocks are read as data, nothing is blocked or reported, and they parse."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
READ_STRUCTURED_DATA = """() => Array.from(document.querySelectorAll('script[type="application/ld+json"]'))
  .map((script) => JSON.parse(script.textContent)["@type"])"""


def test_json_ld_parses_and_breaks_no_content_security_policy(page, reader_site):
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    expected = {
        "/": {"WebSite", "Organization"},
        reader_site.world_path: {"CollectionPage", "BreadcrumbList"},
        reader_site.article_path: {"NewsArticle", "BreadcrumbList"},
        f"/tags/{quote(reader_site.tag_slug)}/": {"CollectionPage", "BreadcrumbList"},
        reader_site.author_path: {"ProfilePage", "BreadcrumbList"},
    }
    for path, types in expected.items():
        response = page.goto(path)
        assert response.ok and "script-src 'self'" in response.headers["content-security-policy"], path
        assert set(page.evaluate(READ_STRUCTURED_DATA)) == types, path
        assert page.evaluate("window.__cspViolations") == [], path
        feeds = page.locator('head link[rel="alternate"][type="application/rss+xml"]')
        assert feeds.count() >= 1, path


def test_the_advertised_feeds_answer(page, reader_site):
    page.goto(reader_site.world_path)
    hrefs = page.locator('head link[rel="alternate"]').evaluate_all("links => links.map(link => link.href)")
    assert len(hrefs) == 4
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith(("application/rss+xml", "application/atom+xml")), href
