"""Comments in a real browser, on an article page served from the full-page cache.

The site is served here through the page cache's WSGI wrapper (as `akhbar serve` runs it), so
the article the reader comments on is a stored, cookie-free page: the form must fetch its token
and stamp itself (with JavaScript) or go through the uncached form page (without).
"""

from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from playwright.sync_api import Browser, expect

from akhbar.pagecache.app import PageCacheApp
from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, TIMEOUT_MS  # noqa: F401
from tests.browser.support.server import HOST, PORTS
from tests.browser.support.watch import PageWatcher

pytestmark = pytest.mark.browser


def start_cached_server():
    from django.test.testcases import LiveServerThread

    errors = []
    for port in reversed(PORTS):  # the package's own server took the first free one
        thread = LiveServerThread(HOST, lambda app: PageCacheApp(StaticFilesHandler(app)), port=port)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error is None:
            return thread
        errors.append(f"{port}: {thread.error}")
        thread.join()
    raise RuntimeError("no free port for the cached server:\n" + "\n".join(errors))


@pytest.fixture
def cached_site(reader_site, settings) -> Iterator[str]:
    settings.PAGE_CACHE_ENABLED = True
    server = start_cached_server()
    try:
        yield f"http://{server.host}:{server.port}"
    finally:
        server.terminate()
        from akhbar.comments.models import Comment

        Comment.objects.all().delete()  # the package's site is shared with later browser tests


@pytest.fixture
def open_page(browser: Browser, cached_site: str):
    watcher = PageWatcher(site_origin=cached_site)
    contexts = []

    def open_(**options):
        context = browser.new_context(base_url=cached_site, viewport=DESKTOP, locale="ar", service_workers="block", **options)
        context.set_default_timeout(TIMEOUT_MS)
        watcher.attach(context)
        contexts.append(context)
        return context.new_page()

    open_.watcher = watcher  # a test expecting an error answer takes it off the list
    yield open_
    for context in contexts:
        context.close()
    watcher.assert_clean()


def warm(page, path) -> None:
    """Load the article twice: the second answer comes from the page cache."""
    page.goto(path)
    response = page.reload()
    assert response.headers.get("x-akhbar-cache") == "hit"


def fill(page, text: str) -> None:
    page.fill("#comment-name", "ليلى")
    page.fill("#comment-email", "layla@example.org")
    page.fill("#comment-text", text)


def test_a_reader_comments_on_a_cached_article_and_is_told_it_awaits_moderation(open_page, reader_site):
    from akhbar.comments.models import Comment

    page = open_page()
    path = unquote(reader_site.article_path)
    warm(page, path)
    page.evaluate("window.__samePage = true")
    fill(page, "تعليق من المتصفح على صفحة محفوظة.")
    page.wait_for_timeout(3200)  # the form's minimum time (COMMENTS_MIN_SECONDS) since the reader started
    page.click(".comment-form__send")
    expect(page.locator("[data-comment-status]")).to_contain_text("بانتظار المراجعة")
    assert page.evaluate("window.__samePage === true"), "posting reloaded the page"
    expect(page.locator("#comment-text")).to_have_value("")
    comment = Comment.objects.get()
    assert (comment.status, comment.text, comment.name) == ("pending", "تعليق من المتصفح على صفحة محفوظة.", "ليلى")
    # The cached page was not changed by a pending comment and still holds no token.
    again = page.reload()
    assert again.headers.get("x-akhbar-cache") == "hit"
    assert "csrfmiddlewaretoken" not in page.content()


def test_without_javascript_the_comment_goes_through_the_uncached_form_page(open_page, reader_site, settings):
    from akhbar.comments.models import Comment

    settings.COMMENTS_MIN_SECONDS = 0  # the reader presses «Send» a second time at once
    page = open_page(java_script_enabled=False)
    path = unquote(reader_site.article_path)
    warm(page, path)
    fill(page, "تعليق بلا جافاسكربت")
    page.click(".comment-form__send")
    expect(page.locator("[data-comment-status]")).to_contain_text("اضغط «أرسل» مرة أخرى")
    expect(page.locator("#comment-text")).to_have_value("تعليق بلا جافاسكربت")
    assert not Comment.objects.exists()
    page.click(".comment-form__send")
    expect(page.locator("[data-comment-status]")).to_contain_text("بانتظار المراجعة")
    assert Comment.objects.get().text == "تعليق بلا جافاسكربت"


# Bidi embeddings and overrides, isolates, and the zero-width space: what a reader's text must
# never bring onto the page (akhbar/comments/text.py).
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b"


def invisible_in(text: str) -> list[str]:
    return sorted({f"U+{ord(char):04X}" for char in text if char in INVISIBLE})


@pytest.fixture
def comment_policy():
    """Set the comment policy for one test; the package's site is shared with later tests."""
    from akhbar.comments.models import CommentSettings

    row = CommentSettings.load()
    before = row.policy

    def set_policy(policy):
        row.policy = policy
        row.save()  # clears the cached settings and purges every cached page

    yield set_policy
    if row.policy != before:
        set_policy(before)


def test_hostile_and_bidi_payloads_are_inert_in_the_browser_and_approval_shows_them(
    open_page, reader_site, settings, comment_policy
):
    from akhbar.comments.models import Comment, CommentSettings
    from akhbar.comments.moderation import set_status

    settings.COMMENTS_MIN_SECONDS = 0
    comment_policy(CommentSettings.POLICY_OPEN)
    page = open_page()
    path = unquote(reader_site.article_path)
    warm(page, path)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.evaluate("window.__samePage = true")
    name = "<b>مه\u202eاجم</b>\u2066\u200b\u202a"
    text = (
        '<img src=x onerror="alert(1)"><script>alert(2)</script> انظر https://example.org/x '
        "\u202eتفاح\u202c \u202b\u202dعكس\u202c \u2067x\u2069 \u2068y\u2069 كلمة\u200bمخفية"
    )
    assert invisible_in(name + text) == invisible_in(INVISIBLE)  # every one of them is sent
    page.fill("#comment-name", name)
    page.fill("#comment-email", "x@example.org")
    page.fill("#comment-text", text)
    assert page.eval_on_selector("#comment-text", "el => el.value") == text  # the browser kept them
    page.click(".comment-form__send")
    expect(page.locator("[data-comment-status]")).to_contain_text("نُشر تعليقك")
    assert page.evaluate("window.__samePage === true"), "posting reloaded the page"

    comment = Comment.objects.get()
    assert comment.status == "approved" and "invisible" in comment.spam_reasons
    assert invisible_in(comment.name + comment.text) == []

    def check(shown):
        expect(shown).to_be_visible()
        expect(shown.locator(".comment__text")).to_contain_text("<script>alert(2)</script>")
        expect(shown.locator(".comment__name")).to_have_text("<b>مهاجم</b>")
        assert shown.locator("img, script, b").count() == 0
        link = shown.locator(".comment__text a")
        expect(link).to_have_attribute("rel", "nofollow ugc noopener")
        expect(link).to_have_attribute("href", "https://example.org/x")
        html = shown.evaluate("el => el.outerHTML")
        assert invisible_in(html) == [] and invisible_in(shown.inner_text()) == []

    # Inserted by the script, from the server's HTML.
    check(page.locator(f"#comment-{comment.pk}"))
    assert page.locator("[data-comments-list] :is(img, script, b)").count() == 0

    # The article page itself, purged when the comment was published.
    response = page.reload()
    assert response.headers.get("x-akhbar-cache") == "miss"
    check(page.locator(f"#comment-{comment.pk}"))
    section = page.locator("[data-comments]").evaluate("el => el.outerHTML")
    assert invisible_in(section) == [] and invisible_in(page.content()) == []
    assert page.locator("[data-comments-list] :is(img, script, b)").count() == 0

    # Held for moderation and approved later: the same, on the page the approval purged.
    comment_policy(CommentSettings.POLICY_ALL_HELD)
    page.fill("#comment-name", "\u2067مهاجم آخر\u2069")
    page.fill("#comment-email", "y@example.org")
    page.fill("#comment-text", "\u202eمعكوس ينتظر\u202c <script>alert(3)</script>\u200b")
    page.click(".comment-form__send")
    expect(page.locator("[data-comment-status]")).to_contain_text("بانتظار المراجعة")
    held = Comment.objects.exclude(pk=comment.pk).get()
    assert held.status == "pending" and invisible_in(held.text) == []
    set_status([held], Comment.Status.APPROVED)  # as the admin's bulk action does: the page is purged
    response = page.reload()
    assert response.headers.get("x-akhbar-cache") == "miss"
    shown = page.locator(f"#comment-{held.pk}")
    expect(shown.locator(".comment__text")).to_contain_text("<script>alert(3)</script>")
    assert shown.locator("img, script, b").count() == 0
    assert invisible_in(shown.evaluate("el => el.outerHTML")) == []
    assert invisible_in(page.locator("[data-comments]").evaluate("el => el.outerHTML")) == []
    page.wait_for_timeout(300)
    assert dialogs == []


def test_a_rate_limited_reader_is_told_why_and_keeps_their_text(open_page, reader_site, settings):
    from akhbar.comments.models import Comment

    settings.COMMENTS_MIN_SECONDS = 0
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comments": "1/3600"}
    page = open_page()
    path = unquote(reader_site.article_path)
    warm(page, path)
    fill(page, "أول تعليق")
    page.click(".comment-form__send")
    expect(page.locator("[data-comment-status]")).to_contain_text("بانتظار المراجعة")
    page.fill("#comment-text", "تعليق ثان بسرعة")
    page.click(".comment-form__send")
    status = page.locator("[data-comment-status]")
    expect(status).to_contain_text("طلبات كثيرة")
    expect(status).to_have_attribute("data-kind", "error")
    expect(page.locator("#comment-text")).to_have_value("تعليق ثان بسرعة")
    assert Comment.objects.count() == 1
    watcher = open_page.watcher
    expected = [problem for problem in watcher.problems if "429" in problem]
    assert expected, "the limited post should have answered 429"
    watcher.problems[:] = [problem for problem in watcher.problems if "429" not in problem]


def test_without_javascript_a_rate_limited_reader_keeps_their_text(open_page, reader_site, settings):
    from akhbar.comments.models import Comment

    settings.COMMENTS_MIN_SECONDS = 0
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comments": "1/3600"}
    page = open_page(java_script_enabled=False)
    path = unquote(reader_site.article_path)
    warm(page, path)
    fill(page, "تعليق بلا جافاسكربت يصطدم بالحد")
    page.click(".comment-form__send")  # no token on the cached page: the form page, counted once
    expect(page.locator("[data-comment-status]")).to_contain_text("اضغط «أرسل» مرة أخرى")
    page.click(".comment-form__send")
    expect(page.locator("[data-comment-status]")).to_contain_text("طلبات كثيرة")
    expect(page.locator("#comment-text")).to_have_value("تعليق بلا جافاسكربت يصطدم بالحد")
    expect(page.locator("#comment-name")).to_have_value("ليلى")
    assert not Comment.objects.exists()
    watcher = open_page.watcher
    assert any("429" in problem for problem in watcher.problems)
    watcher.problems[:] = [problem for problem in watcher.problems if "429" not in problem]
