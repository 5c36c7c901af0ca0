"""The subscribe box in a real browser, on an article page served from the full-page cache: with
JavaScript it fetches its stamp and token and answers in place; without, the reader goes through
the uncached subscribe page. The confirmation email arrives at a real SMTP server."""

from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.browser.test_comments import cached_site, open_page, warm  # noqa: F401  (fixtures and helper)

pytestmark = pytest.mark.browser

BOX = "form:has(#newsletter-email-article)"


@pytest.fixture(autouse=True)
def _forget_subscribers(reader_site):
    yield
    from akhbar.newsletter.models import Subscriber

    Subscriber.objects.all().delete()  # the package's site is shared with later browser tests


def test_with_javascript_the_box_subscribes_in_place_on_a_cached_article(open_page, reader_site, inbox, settings):
    from akhbar.newsletter.models import Subscriber

    settings.NEWSLETTER_MIN_SECONDS = 1
    page = open_page()
    warm(page, unquote(reader_site.article_path))
    page.evaluate("window.__samePage = true")
    page.fill("#newsletter-email-article", "layla@example.org")
    page.check(f"{BOX} input[value=weekly]")
    page.wait_for_timeout(1500)  # the box's minimum time since the reader started typing
    page.click(f"{BOX} button[type=submit]")
    expect(page.locator(f"{BOX} [data-newsletter-status]")).to_contain_text("شكرًا")
    assert page.evaluate("window.__samePage === true"), "subscribing reloaded the page"
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status, subscriber.lists) == ("layla@example.org", "pending", ["daily", "weekly"])
    assert inbox.only()[0] == ["layla@example.org"]
    again = page.reload()
    assert again.headers.get("x-akhbar-cache") == "hit" and "csrfmiddlewaretoken" not in page.content()


def test_without_javascript_the_box_goes_through_the_uncached_subscribe_page(open_page, reader_site, inbox, settings):
    from akhbar.newsletter.models import Subscriber

    settings.NEWSLETTER_MIN_SECONDS = 0  # the reader presses «Subscribe» a second time at once
    page = open_page(java_script_enabled=False)
    warm(page, unquote(reader_site.article_path))
    page.fill("#newsletter-email-article", "noscript@example.org")
    page.click(f"{BOX} button[type=submit]")
    expect(page.locator(".newsletter-page [data-newsletter-status]")).to_contain_text("اضغط «اشترك» مرة أخرى")
    expect(page.locator("#newsletter-email")).to_have_value("noscript@example.org")
    assert not Subscriber.objects.exists()
    page.click(".newsletter-page__form button[type=submit]")
    expect(page.locator(".newsletter-page [data-newsletter-status]")).to_contain_text("شكرًا")
    assert Subscriber.objects.get().email == "noscript@example.org"
    assert inbox.only()[0] == ["noscript@example.org"]
