"""Readers' comments: posting, threading, every bad input, spam measures, rate limits, listing.

Every refusal must answer with an Arabic message (JSON for the page's script, a page for
readers without JavaScript), never a 500, and save nothing.
"""

import re
import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from akhbar.comments import listing
from akhbar.comments.models import Ban, Comment, CommentSettings
from akhbar.core.public_forms import make_stamp
from akhbar.comments.text import render_html
from tests.factories import make_article

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture
def article(news_tree):
    return news_tree["articles"][0]


def form(**fields) -> dict:
    data = {
        "name": "سلمى",
        "email": "salma@example.org",
        "text": "تعليق مفيد على الخبر.",
        "started": make_stamp(time.time() - 30),
        "website": "",
        "parent": "",
    }
    data.update(fields)
    return data


def post(client, article, as_json=True, ip="203.0.113.5", **fields):
    extra = {**(JSON if as_json else {}), "REMOTE_ADDR": ip}
    return client.post(reverse("comments:post", args=[article.pk]), form(**fields), **extra)


def approve(*comments):
    for comment in comments:
        comment.status = Comment.Status.APPROVED
        comment.save()


# --- posting and threading ---------------------------------------------------------------------


def test_a_comment_is_held_for_moderation_and_not_shown(client, article):
    response = post(client, article)
    assert response.status_code == 201
    data = response.json()
    assert data["ok"] and data["status"] == "pending"
    assert "بانتظار المراجعة" in data["message"]
    comment = Comment.objects.get()
    assert (comment.article_id, comment.depth, comment.status) == (article.pk, 0, "pending")
    assert comment.ip_address == "203.0.113.5" and comment.email == "salma@example.org"
    page = client.get(article.url).content.decode()
    assert "تعليق مفيد على الخبر" not in page


def test_approved_comments_and_replies_show_on_the_article_without_the_email(client, article):
    post(client, article)
    approve(Comment.objects.get())
    first = Comment.objects.get()
    assert post(client, article, parent=str(first.pk), text="رد على التعليق", ip="203.0.113.6").status_code == 201
    reply = Comment.objects.exclude(pk=first.pk).get()
    # The same email has an approved comment: under the default policy it is trusted.
    assert (reply.parent_id, reply.depth, reply.status) == (first.pk, 1, "approved")
    page = client.get(article.url).content.decode()
    assert "تعليق مفيد على الخبر" in page and "رد على التعليق" in page
    assert "salma@example.org" not in page
    assert f'id="comment-{reply.pk}"' in page
    assert page.index(f'id="comment-{first.pk}"') < page.index(f'id="comment-{reply.pk}"')


def test_a_reply_to_a_reply_joins_the_thread_so_depth_stays_bounded(client, article):
    post(client, article)
    top = Comment.objects.get()
    approve(top)
    post(client, article, parent=str(top.pk), text="رد أول")
    reply = Comment.objects.get(depth=1)
    post(client, article, parent=str(reply.pk), text="رد على الرد")
    nested = Comment.objects.get(text="رد على الرد")
    assert (nested.parent_id, nested.depth) == (top.pk, 1)


@pytest.mark.parametrize("parent", ["999999", "abc", "-1", "99999999999999999999999"])
def test_replying_to_a_missing_comment_is_refused_in_arabic(client, article, parent):
    response = post(client, article, parent=parent)
    assert response.status_code == 400
    assert ARABIC.search(response.json()["message"])
    assert not Comment.objects.exists()


def test_replying_to_a_comment_that_is_not_approved_is_refused(client, article, news_tree):
    post(client, article)
    pending = Comment.objects.get()
    response = post(client, article, parent=str(pending.pk), text="رد")
    assert response.status_code == 400 and Comment.objects.count() == 1
    other = news_tree["articles"][1]
    approve(pending)
    response = post(client, other, parent=str(pending.pk), text="رد في مقال آخر")
    assert response.status_code == 400 and Comment.objects.count() == 1


def test_policies_all_held_first_held_and_open(client, article):
    settings_row = CommentSettings.load()
    settings_row.policy = CommentSettings.POLICY_OPEN
    settings_row.save()
    assert post(client, article).json()["status"] == "approved"
    settings_row.policy = CommentSettings.POLICY_ALL_HELD
    settings_row.save()
    assert post(client, article, text="ثاني").json()["status"] == "pending"
    settings_row.policy = CommentSettings.POLICY_FIRST_HELD
    settings_row.save()
    assert post(client, article, text="ثالث").json()["status"] == "approved"  # this email is trusted now
    assert post(client, article, email="new@example.org", text="رابع").json()["status"] == "pending"


def test_a_published_comment_comes_back_as_html_for_the_script(client, article):
    settings_row = CommentSettings.load()
    settings_row.policy = CommentSettings.POLICY_OPEN
    settings_row.save()
    data = post(client, article, text="<b>عريض</b>").json()
    assert data["status"] == "approved"
    assert "&lt;b&gt;" in data["html"] and "<b>" not in data["html"]


def test_without_javascript_a_reader_gets_a_page_not_json(client, article):
    response = post(client, article, as_json=False)
    assert response.status_code == 200
    page = response.content.decode()
    assert "بانتظار المراجعة" in page and 'dir="rtl"' in page
    assert "no-store" in response["Cache-Control"]


def test_without_a_csrf_token_nothing_is_saved_and_the_text_comes_back_with_a_token(article):
    client = Client(enforce_csrf_checks=True)
    response = post(client, article, as_json=False, text="نص كتبته بلا جافاسكربت")
    assert response.status_code == 200
    page = response.content.decode()
    assert not Comment.objects.exists()
    assert "نص كتبته بلا جافاسكربت" in page
    assert "اضغط" in page  # «press Send again»
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    stamp = re.search(r'name="started" value="([^"]+)"', page).group(1)
    assert token and stamp
    with override_settings(COMMENTS_MIN_SECONDS=0):
        again = post(client, article, as_json=False, text="نص كتبته بلا جافاسكربت", started=stamp, csrfmiddlewaretoken=token)
    assert again.status_code == 200
    assert Comment.objects.get().text == "نص كتبته بلا جافاسكربت"


def test_with_javascript_the_token_comes_from_the_csrf_endpoint(article):
    client = Client(enforce_csrf_checks=True)
    token = client.get("/csrf/").json()["token"]
    stamp = make_stamp(time.time() - 10)
    response = client.post(
        reverse("comments:post", args=[article.pk]), form(started=stamp), HTTP_X_CSRFTOKEN=token, **JSON
    )
    assert response.status_code == 201
    assert Comment.objects.count() == 1


def test_the_stamp_endpoint_and_the_form_page_are_never_cached(client, article):
    response = client.get(reverse("comments:stamp"))
    assert response.status_code == 200 and response.json()["stamp"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    page = client.get(reverse("comments:write", args=[article.pk]))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_the_article_page_carries_the_form_but_no_token_or_cookie(client, article):
    response = client.get(article.url)
    page = response.content.decode()
    assert 'data-comment-form' in page and 'name="website"' in page
    assert "csrfmiddlewaretoken" not in page
    assert "csrftoken" not in response.cookies


# --- bad input -----------------------------------------------------------------------------------

BAD_INPUTS = {
    "empty text": {"text": ""},
    "blank text": {"text": "   \n\t  "},
    "only bidi controls": {"text": "\u202e\u2066\u2069\u200b"},
    "too long": {"text": "ب" * 3001},
    "empty name": {"name": ""},
    "name of controls": {"name": "\u202e\u202d"},
    "name too long": {"name": "س" * 81},
    "link in name": {"name": "http://spam.example"},
    "bad email": {"email": "not-an-email"},
    "missing email": {"email": ""},
    "replacement character (bad encoding)": {"text": "نص \ufffd مكسور"},
    "null byte": {"text": "نص\x00نص"},
    "too many links": {"text": "http://a.example http://b.example http://c.example"},
    "no stamp": {"started": ""},
    "forged stamp": {"started": "abc:def"},
    "too fast": {"started": "FRESH"},
}


@pytest.mark.parametrize("fields", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_every_bad_input_gets_an_arabic_message_and_saves_nothing(client, article, fields):
    if fields.get("started") == "FRESH":
        fields = {"started": make_stamp(time.time())}
    response = post(client, article, **fields)
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["ok"] is False and ARABIC.search(data["message"]), data
    assert not Comment.objects.exists()
    # The same without JavaScript: a page with the message, the text kept.
    page = post(client, article, as_json=False, **fields)
    assert page.status_code == 400
    assert data["message"] in page.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not Comment.objects.exists()


def test_the_too_fast_stamp_message_asks_to_wait(client, article):
    fresh = make_stamp(time.time())
    message = post(client, article, started=fresh).json()["message"]
    assert "انتظر" in message


def test_undecodable_bytes_get_an_arabic_message(client, article):
    body = "name=%D8%B3&email=a%40example.org&text=%FF%FE%D8&started=" + make_stamp(time.time() - 30)
    response = client.post(
        reverse("comments:post", args=[article.pk]), body, content_type="application/x-www-form-urlencoded", **JSON
    )
    assert response.status_code == 400
    assert "ترميز" in response.json()["message"]
    assert not Comment.objects.exists()


def test_a_huge_body_is_refused_in_arabic_not_with_a_500(client, article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, article, text="ب" * 20_000)
    assert response.status_code == 413
    assert ARABIC.search(response.json()["message"])
    assert not Comment.objects.exists()


@pytest.mark.parametrize("article_id", ["999999", "99999999999999999999999"])
def test_posting_to_a_missing_article_is_a_404(client, news_tree, article_id):
    response = client.post(f"/comments/{article_id}/post/", form(), **JSON)
    assert response.status_code == 404


def test_get_on_the_post_endpoint_is_405(client, article):
    assert client.get(reverse("comments:post", args=[article.pk])).status_code == 405


def test_bidi_and_zero_width_characters_are_removed_and_text_is_normalised(client, article):
    text = "مرحبا \u202eabc\u202c و\u2067x\u2069 كلمة\u200bمخفية e\u0301"
    assert post(client, article, text=text).status_code == 201
    saved = Comment.objects.get()
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b]", saved.text)
    assert saved.text.endswith("\u00e9")  # NFC
    assert "invisible" in saved.spam_reasons


def test_hostile_html_is_stored_as_text_and_rendered_inert(client, article):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>'
    assert post(client, article, text=payload).status_code == 201
    comment = Comment.objects.get()
    approve(comment)
    page = client.get(article.url).content.decode()
    section = page[page.index('id="comments"'):]
    assert "<script>alert" not in section and "<img" not in section and '<a href="javascript' not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section


def test_links_become_nofollow_ugc_links_and_nothing_else_is_markup():
    html = render_html('زوروا https://example.org/a?b=1&c=2، و www.example.com.\n\n<b>x</b> "javascript:alert(1)"')
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">' in html
    assert '<a href="http://www.example.com" rel="nofollow ugc noopener">www.example.com</a>.' in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count("<p>") == 2
    assert 'href="javascript' not in html


# --- spam measures -------------------------------------------------------------------------------


def test_the_honeypot_drops_the_comment_but_answers_like_success(client, article):
    response = post(client, article, website="http://spam.example")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert not Comment.objects.exists()


def test_blocked_words_and_domains_mark_comments_as_spam(client, article):
    settings_row = CommentSettings.load()
    settings_row.blocked_words = "كازينو\nviagra"
    settings_row.blocked_domains = "spam.example"
    settings_row.policy = CommentSettings.POLICY_OPEN
    settings_row.save()
    post(client, article, text="أفضل كازينو على الإنترنت")
    post(client, article, text="انظر https://shop.spam.example/x", ip="203.0.113.9")
    post(client, article, text="تعليق عادي", email="bot@spam.example", ip="203.0.113.10")
    post(client, article, text="تعليق عادي تماما", email="good@example.org", ip="203.0.113.11")
    statuses = dict(Comment.objects.values_list("text", "status"))
    assert statuses == {
        "أفضل كازينو على الإنترنت": "spam",
        "انظر https://shop.spam.example/x": "spam",
        "تعليق عادي": "spam",
        "تعليق عادي تماما": "approved",
    }
    assert client.get(article.url).content.decode().count('class="comment"') == 1


@pytest.mark.parametrize("mark", ["\u200c", "\u200d", "\u200e", "\u200f", "\u061c"], ids=["ZWNJ", "ZWJ", "LRM", "RLM", "ALM"])
def test_invisible_marks_inside_a_word_do_not_dodge_the_blocklist(client, article, mark):
    settings_row = CommentSettings.load()
    settings_row.blocked_words = "كازينو\nviagra"
    settings_row.policy = CommentSettings.POLICY_OPEN
    settings_row.save()
    post(client, article, text=f"أفضل كا{mark}زي{mark}نو اليوم")
    post(client, article, text=f"buy via{mark}gra", name="بائع", email="seller@example.org", ip="203.0.113.40")
    post(client, article, text="تعليق عادي عن الخبر", email="fine@example.org", ip="203.0.113.41")
    statuses = {c.email: (c.status, c.spam_reasons) for c in Comment.objects.all()}
    assert statuses["salma@example.org"] == ("spam", "word:كازينو")
    assert statuses["seller@example.org"] == ("spam", "word:viagra")
    assert statuses["fine@example.org"][0] == "approved"
    assert mark in Comment.objects.get(email="salma@example.org").text  # kept in the text: only matching ignores it
    page = client.get(article.url).content.decode()
    assert "كازينو" not in page.replace(mark, "") and "تعليق عادي عن الخبر" in page


def test_banned_emails_and_addresses_are_refused_in_arabic(client, article):
    Ban.objects.create(kind=Ban.Kind.EMAIL, value="salma@example.org")
    response = post(client, article)
    assert response.status_code == 403 and ARABIC.search(response.json()["message"])
    Ban.objects.create(kind=Ban.Kind.IP, value="203.0.113.77")
    response = post(client, article, email="other@example.org", ip="203.0.113.77")
    assert response.status_code == 403
    assert not Comment.objects.exists()


class AlwaysSpam:
    def is_spam(self, comment, request):
        return True


class BrokenChecker:
    def is_spam(self, comment, request):
        raise TimeoutError("checker down")


def open_policy():
    row = CommentSettings.load()
    row.policy = CommentSettings.POLICY_OPEN
    row.save()


def test_an_external_checker_can_mark_spam_and_its_failure_holds_the_comment_even_under_the_open_policy(
    client, article, settings, caplog
):
    open_policy()
    settings.COMMENTS_SPAM_CHECKER = "tests.test_comments.AlwaysSpam"
    post(client, article)
    assert Comment.objects.get().status == "spam"
    settings.COMMENTS_SPAM_CHECKER = "tests.test_comments.BrokenChecker"
    response = post(client, article, text="لم يفحصه أحد", email="x@example.org")
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "pending" and "بانتظار المراجعة" in data["message"] and "html" not in data
    held = Comment.objects.get(text="لم يفحصه أحد")
    assert held.status == "pending" and "checker" in held.spam_reasons
    assert "spam checker failed" in caplog.text
    assert "لم يفحصه أحد" not in client.get(article.url).content.decode()
    settings.COMMENTS_SPAM_CHECKER = ""
    assert post(client, article, text="بلا فاحص", email="y@example.org").json()["status"] == "approved"


@pytest.mark.parametrize("path", ["tests.test_comments.NoSuchChecker", "not a path", "akhbar.comments.spam.AkismetChecker"])
def test_a_checker_that_cannot_be_loaded_holds_comments_logs_an_error_and_fails_the_system_check(
    client, article, settings, caplog, path
):
    from django.core import checks

    open_policy()
    settings.COMMENTS_SPAM_CHECKER = path
    settings.AKISMET_KEY = ""  # the Akismet checker without its key
    response = post(client, article, text="نص في انتظار فاحص")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    comment = Comment.objects.get()
    assert comment.status == "pending" and "checker" in comment.spam_reasons
    assert any(record.levelname == "ERROR" and "cannot be loaded" in record.getMessage() for record in caplog.records)
    assert "comments.W001" in [message.id for message in checks.run_checks()]
    settings.COMMENTS_SPAM_CHECKER = ""
    assert "comments.W001" not in [message.id for message in checks.run_checks()]


# --- the Akismet checker, against a stand-in for its API on 127.0.0.1 -----------------------------


class AkismetStandIn:
    """Akismet's comment-check endpoint as a local HTTP server: `true` for a comment mentioning
    «viagra», `false` otherwise, or what `answer`/`delay` say."""

    def __init__(self):
        import http.server
        import threading
        from urllib.parse import parse_qs

        self.calls, self.answer, self.delay = [], None, 0.0
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                fields = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                stand_in.calls.append((self.path, fields))
                time.sleep(stand_in.delay)
                answer = stand_in.answer or ("true" if "viagra" in fields.get("comment_content", "") else "false")
                body = answer.encode()
                try:
                    self.send_response(200)
                    if answer == "invalid":
                        self.send_header("X-akismet-debug-help", "Empty api_key")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the checker gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/1.1/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def akismet(settings):
    stand_in = AkismetStandIn()
    settings.AKISMET_KEY = "test-key-123"
    settings.AKISMET_BLOG_URL = "https://akhbar.example"
    settings.AKISMET_URL = stand_in.url
    settings.AKISMET_TIMEOUT = 1
    settings.COMMENTS_SPAM_CHECKER = "akhbar.comments.spam.AkismetChecker"
    try:
        yield stand_in
    finally:
        stand_in.close()


def test_akismet_is_off_by_default():
    from akhbar.settings import base

    assert base.COMMENTS_SPAM_CHECKER == "" and base.AKISMET_KEY == ""


def test_akismet_passes_a_good_comment_and_catches_spam(client, article, akismet):
    open_policy()
    response = post(client, article, text="تعليق صادق", ip="203.0.113.20")
    assert response.json()["status"] == "approved"
    path, fields = akismet.calls[-1]
    assert path == "/1.1/comment-check"
    assert fields["api_key"] == "test-key-123" and fields["blog"] == "https://akhbar.example"
    assert fields["comment_content"] == "تعليق صادق" and fields["comment_author"] == "سلمى"
    assert fields["comment_author_email"] == "salma@example.org" and fields["user_ip"] == "203.0.113.20"
    assert fields["comment_type"] == "comment" and fields["permalink"].endswith(article.url)
    assert "تعليق صادق" in client.get(article.url).content.decode()
    top = Comment.objects.get()
    assert post(client, article, text="رد", parent=str(top.pk), ip="203.0.113.21").json()["status"] == "approved"
    assert akismet.calls[-1][1]["comment_type"] == "reply"

    response = post(client, article, text="cheap viagra here", ip="203.0.113.22", email="bot@example.org")
    assert response.status_code == 201 and response.json()["status"] == "pending"  # the spammer is not told
    spam = Comment.objects.get(text="cheap viagra here")
    assert spam.status == "spam" and spam.spam_reasons == "checker"
    assert "cheap viagra" not in client.get(article.url).content.decode()


@pytest.mark.parametrize("trouble", ["invalid", "slow", "down"])
def test_akismet_trouble_holds_the_comment_under_the_open_policy(client, article, akismet, settings, caplog, trouble):
    open_policy()
    if trouble == "invalid":
        akismet.answer = "invalid"
    elif trouble == "slow":
        akismet.delay = 2.5
    else:
        akismet.close()
    started = time.monotonic()
    response = post(client, article, text="تعليق في وقت عصيب")
    assert time.monotonic() - started < 2.2  # the timeout, not the service, decides how long a reader waits
    assert response.status_code == 201 and response.json()["status"] == "pending"
    comment = Comment.objects.get()
    assert comment.status == "pending" and "checker" in comment.spam_reasons
    assert "spam checker failed" in caplog.text
    if trouble == "invalid":
        assert "Empty api_key" in caplog.text


def test_closed_comments_refuse_posts_and_hide_the_form(client, article):
    article.comments_open = False
    article.save_revision().publish()
    response = post(client, article)
    assert response.status_code == 403 and "مغلقة" in response.json()["message"]
    page = client.get(article.url).content.decode()
    assert "data-comment-form" not in page and "مغلقة" in page


def test_comments_close_automatically_after_the_configured_days(client, news_tree):
    import datetime as dt

    from django.utils import timezone

    old = make_article(news_tree["world"], published_at=timezone.now() - dt.timedelta(days=40))
    settings_row = CommentSettings.load()
    settings_row.close_after_days = 30
    settings_row.save()
    assert post(client, old).status_code == 403
    page = client.get(old.url).content.decode()
    assert "data-comment-form" not in page and "مغلقة" in page  # the reader sees why, and no form
    assert post(client, news_tree["articles"][0]).status_code == 201
    assert "data-comment-form" in client.get(news_tree["articles"][0].url).content.decode()


# --- rate limits ---------------------------------------------------------------------------------


@override_settings(RATE_LIMITS={"comments": "2/3600"})
def test_posts_are_rate_limited_per_client_address_in_arabic(client, article):
    assert post(client, article, text="واحد").status_code == 201
    assert post(client, article, text="اثنان").status_code == 201
    response = post(client, article, text="ثلاثة")
    assert response.status_code == 429 and response["Retry-After"].isdigit()
    data = response.json()  # the shape of every other refusal: the script shows `message`
    assert data["ok"] is False and "طلبات كثيرة" in data["message"] and data["errors"] == {}
    assert response["Retry-After"] in data["message"]
    # Without JavaScript: the form page, with what the reader wrote and a fresh token and stamp.
    page = post(client, article, as_json=False, text="نص لا يضيع\nسطر ثان", name="ليلى", parent="")
    assert page.status_code == 429 and page["Retry-After"].isdigit() and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "طلبات كثيرة" in html
    assert "نص لا يضيع\nسطر ثان</textarea>" in html and 'value="ليلى"' in html
    assert 'name="csrfmiddlewaretoken"' in html and re.search(r'name="started" value="[^"]+"', html)
    assert Comment.objects.count() == 2
    assert post(client, article, text="من عنوان آخر", ip="203.0.113.99").status_code == 201


def test_the_script_shows_the_refusals_message_whatever_key_carries_it():
    from pathlib import Path

    import akhbar

    script = (Path(akhbar.__file__).parent / "comments" / "static" / "comments" / "comments.js").read_text()
    assert "say(data.message || data.error" in script
    newsletter = (Path(akhbar.__file__).parent / "newsletter" / "static" / "newsletter" / "newsletter.js").read_text()
    assert "data.message || data.error" in newsletter


@override_settings(RATE_LIMITS={"comments": "2/3600"}, TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_the_limit_counts_the_forwarded_client(client, article):
    for n, forwarded in enumerate(["198.51.100.1", "198.51.100.1", "198.51.100.2"]):
        response = client.post(
            reverse("comments:post", args=[article.pk]),
            form(text=f"نص {n}"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
            **JSON,
        )
        assert response.status_code == 201
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"198.51.100.1", "198.51.100.2"}
    third = client.post(
        reverse("comments:post", args=[article.pk]), form(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1", **JSON
    )
    assert third.status_code == 429


@override_settings(RATE_LIMITS={"comments_email": "1/3600"})
def test_posts_are_rate_limited_per_email(client, article):
    assert post(client, article, ip="203.0.113.1").status_code == 201
    limited = post(client, article, ip="203.0.113.2", text="مرة ثانية")
    assert limited.status_code == 429 and "طلبات كثيرة" in limited.json()["message"]
    page = post(client, article, as_json=False, ip="203.0.113.2", text="مرة ثالثة")
    assert page.status_code == 429 and "مرة ثالثة</textarea>" in page.content.decode()
    assert post(client, article, ip="203.0.113.3", email="other@example.org").status_code == 201


# --- listing -------------------------------------------------------------------------------------


def make_comments(article, count, parent=None, status=Comment.Status.APPROVED):
    return Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=parent,
            depth=1 if parent else 0,
            name=f"قارئ {n}",
            email=f"r{n}@example.org",
            text=f"تعليق رقم {n}",
            status=status,
        )
        for n in range(count)
    )


def test_comments_page_with_a_keyset_show_more_in_both_orders(client, article):
    make_comments(article, listing.PAGE_SIZE + 5)
    page = client.get(article.url).content.decode()
    assert page.count('class="comments__thread"') == listing.PAGE_SIZE
    more = re.search(r'href="(/comments/\d+/\?order=oldest&amp;after=\d+)"', page).group(1).replace("&amp;", "&")
    rest = client.get(more + "&fragment=1").content.decode()
    assert rest.count('class="comments__thread"') == 5 and "<html" not in rest and "after=" not in rest
    full = client.get(more)
    assert full.status_code == 200 and "<html" in full.content.decode()
    newest = client.get(article.url + "?comments=newest").content.decode()
    last = Comment.objects.order_by("-id").first()
    assert newest.index(f"comment-{last.pk}") < newest.index('class="comments__thread"', newest.index(f"comment-{last.pk}"))
    assert f"تعليق رقم {listing.PAGE_SIZE + 4}" in newest and "تعليق رقم 0<" not in newest


@pytest.mark.parametrize("after", ["abc", "-5", "9" * 30, "1e9", ""])
def test_malformed_cursors_start_from_the_top(client, article, after):
    make_comments(article, 3)
    response = client.get(reverse("comments:list", args=[article.pk]), {"after": after, "order": "<x>"})
    assert response.status_code == 200
    assert response.content.decode().count('class="comments__thread"') == 3


def test_long_threads_show_their_first_replies_and_link_to_the_rest(client, article):
    (top,) = make_comments(article, 1)
    make_comments(article, listing.REPLIES_SHOWN + 3, parent=top)
    page = client.get(article.url).content.decode()
    assert page.count('class="comment"') == 1 + listing.REPLIES_SHOWN
    link = re.search(r'href="(/comments/replies/\d+/\?after=\d+)"', page).group(1)
    rest = client.get(link).content.decode()
    assert rest.count('class="comment"') == 1 + 3  # the parent, then the rest of the replies
    assert client.get(reverse("comments:replies", args=[999999])).status_code == 404


def test_listing_costs_two_queries_for_3_and_300_comments(client, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        # Warm twice, as a running server is: the first request creates the site's settings.
        client.get(article.url)
        client.get(article.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.url).status_code == 200
        return len(queries)

    def comment_queries():
        client.get(article.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(article.url)
        # The related stories' cards count comments inside their own query: not ours.
        return [q["sql"] for q in queries.captured_queries if "comments_" in q["sql"] and "featured_image_id" not in q["sql"]]

    empty = count()
    assert len(comment_queries()) == 2  # the count with the «closed» flag, and the threads
    (top,) = make_comments(article, 1)
    make_comments(article, 2, parent=top)
    small = count()
    make_comments(article, 250)
    make_comments(article, 50, parent=top)
    assert count() == small == empty
    assert len(comment_queries()) == 2


def test_the_comment_count_counts_approved_comments_only(client, article):
    make_comments(article, 3)
    make_comments(article, 4, status=Comment.Status.PENDING)
    page = client.get(article.url).content.decode()
    assert re.search(r'id="comments-title"[^>]*>3 ', page)


def test_article_cards_show_the_approved_comment_count_at_no_extra_query(client, news_tree, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section_url = news_tree["world"].url
    client.get(section_url)
    client.get(section_url)  # warm twice: the first request creates the site's settings
    with CaptureQueriesContext(connection) as before:
        page = client.get(section_url).content.decode()
    assert "card__comments" not in page
    make_comments(article, 3)
    make_comments(article, 2, status=Comment.Status.PENDING)
    with CaptureQueriesContext(connection) as after:
        page = client.get(section_url).content.decode()
    assert len(after) == len(before)
    link = re.search(r'<a class="card__comments" href="([^"]+)">([^<]+)</a>', page)
    assert link.group(1).endswith(f"{article.url}#comments") and link.group(2) == "3 تعليقات"


def test_a_reply_sent_back_with_a_message_keeps_its_parent(client, article):
    (top,) = make_comments(article, 1)
    page = post(client, article, as_json=False, parent=str(top.pk), text="").content.decode()
    assert f'name="parent" value="{top.pk}"' in page
    assert f'id="comment-{top.pk}"' in page  # the comment being answered is shown above the form
    write = client.get(reverse("comments:write", args=[article.pk]), {"reply_to": top.pk}).content.decode()
    assert f'name="parent" value="{top.pk}"' in write
