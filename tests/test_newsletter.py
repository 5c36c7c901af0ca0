"""The newsletter for readers: the subscribe box on cached pages, double opt-in through a real
SMTP server (aiosmtpd), preferences, one-click unsubscribe (RFC 8058), export and deletion,
and every way a subscription can be refused (always in Arabic, never a 500, nothing saved)."""

import datetime as dt
import json
import re
import time
import urllib.parse

import pytest
from django.core import signing
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from akhbar.core.public_forms import STAMP_SALT, make_stamp
from akhbar.core.scheduler import REGISTRY
from akhbar.newsletter import subscriptions, tokens
from akhbar.newsletter.models import Subscriber, Suppression

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06ff]")
JSON = {"HTTP_ACCEPT": "application/json"}
URL = "/newsletter/"


def form(**fields):
    data = {"email": "reader@example.org", "lists": ["daily", "breaking"], "website": "", "started": make_stamp(time.time() - 30)}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def subscribe(client, as_json=True, ip="203.0.113.10", **fields):
    # The confirmation email leaves after commit: run those callbacks as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, form(**fields), REMOTE_ADDR=ip, **(JSON if as_json else {}))


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(message, name: str) -> str:
    return re.search(rf"https?://\S+/newsletter/{name}/[^/\s]+/", text_of(message)).group(0)


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def subscribe_and_confirm(client, inbox, email="reader@example.org", lists=("daily",)):
    response = subscribe(client, email=email, lists=list(lists))
    assert response.status_code == 200, response.content
    confirm = link(inbox.messages[-1][1], "confirm")
    assert client.post(path_of(confirm)).status_code == 200
    return Subscriber.objects.get(email=email)


@pytest.fixture
def article(news_tree):
    return news_tree["articles"][0]


# --- the box on cached pages ----------------------------------------------------------------------


def test_the_box_is_below_the_article_and_in_the_footer_without_token_or_cookie(client, article):
    response = client.get(article.url)
    page = response.content.decode()
    assert page.count("data-newsletter-form") == 2
    assert 'id="newsletter-email-article"' in page and 'id="newsletter-email-footer"' in page
    assert 'value="daily"' in page and 'value="breaking"' in page and 'value="weekly"' in page
    assert "القائمة البريدية" in page and 'name="website"' in page
    assert "csrfmiddlewaretoken" not in page
    assert "csrftoken" not in response.cookies
    # The footer of other pages carries it too.
    assert "data-newsletter-form" in client.get("/").content.decode()


def test_with_javascript_the_box_subscribes_with_a_stamp_and_the_csrf_endpoint(article, inbox):
    client = Client(enforce_csrf_checks=True)
    stamp = client.get("/newsletter/stamp/")
    assert stamp["Cache-Control"].startswith("no-store")
    token = client.get("/csrf/").json()["token"]
    response = client.post(URL, form(started=stamp.json()["stamp"]), HTTP_X_CSRFTOKEN=token, **JSON)
    # The stamp is fresh: a person cannot type that fast, so the box says to wait…
    assert response.status_code == 400 and "انتظر" in response.json()["message"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, form(), HTTP_X_CSRFTOKEN=token, **JSON)
    assert response.status_code == 200 and response.json()["ok"] is True
    assert ARABIC.search(response.json()["message"])
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert len(inbox.messages) == 1


def test_without_javascript_nothing_is_saved_and_the_address_comes_back_with_a_token(article, inbox):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"email": "noscript@example.org", "lists": ["weekly"], "started": ""})
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("no-store")
    assert "اشترك" in page and 'value="noscript@example.org"' in page
    assert re.search(r'value="weekly" checked', page)
    assert not Subscriber.objects.exists() and inbox.messages == []
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    stamp = re.search(r'name="started" value="([^"]+)"', page).group(1)
    # The reader presses «Subscribe» again on that page (a moment later).
    stamp = make_stamp(signing.loads(stamp, salt=STAMP_SALT) - 30)
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = client.post(URL, {"email": "noscript@example.org", "lists": ["weekly"], "started": stamp, "csrfmiddlewaretoken": token})
    assert again.status_code == 200 and "تأكيد" in again.content.decode()
    assert Subscriber.objects.get(email="noscript@example.org").lists == ["weekly"]
    assert len(inbox.messages) == 1


BAD_INPUTS = {
    "empty email": {"email": ""},
    "blank email": {"email": "   "},
    "malformed email": {"email": "not-an-email"},
    "two at signs": {"email": "a@@example.org"},
    "huge email": {"email": "a" * 5000 + "@example.org"},
    "bidi override in email": {"email": "reader\u202e@example.org"},
    "zero-width space in email": {"email": "rea\u200bder@example.org"},
    "control character": {"email": "reader\x00@example.org"},
    "hostile html": {"email": '"><script>alert(1)</script>@example.org'},
    "bad encoding": {"email": "reader\ufffd@example.org"},
    "no list": {"lists": []},
    "unknown list": {"lists": ["daily", "secret"]},
    "no stamp": {"started": ""},
    "forged stamp": {"started": "abc:def"},
    "expired stamp": {"started": "OLD"},
    "too fast": {"started": "FRESH"},
}


@pytest.mark.parametrize("fields", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_every_bad_input_gets_an_arabic_message_and_saves_and_sends_nothing(client, inbox, fields):
    if fields.get("started") == "FRESH":
        fields = {"started": make_stamp(time.time())}
    if fields.get("started") == "OLD":
        fields = {"started": make_stamp(time.time() - 3 * 86400)}
    response = subscribe(client, **fields)
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["ok"] is False and ARABIC.search(data["message"]), data
    # Without JavaScript: a page with the message and the form, never the hostile markup as markup.
    page = subscribe(client, as_json=False, **fields)
    html = page.content.decode()
    assert page.status_code == 400 and "<script>alert" not in html
    assert data["message"] in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert not Subscriber.objects.exists() and inbox.messages == []


def test_undecodable_bytes_get_an_arabic_message(client, inbox):
    body = "email=r%FF%FEer%40example.org&lists=daily&started=" + make_stamp(time.time() - 30)
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded", **JSON)
    assert response.status_code == 400 and "ترميز" in response.json()["message"]
    assert not Subscriber.objects.exists() and inbox.messages == []


def test_a_huge_body_is_refused_in_arabic_not_with_a_500(client, settings, inbox):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = subscribe(client, email="a" * 20_000)
    assert response.status_code == 413 and ARABIC.search(response.json()["message"])
    page = subscribe(client, as_json=False, email="a" * 20_000)
    assert page.status_code == 413 and ARABIC.search(page.content.decode())
    assert not Subscriber.objects.exists()


def test_the_honeypot_answers_like_success_and_saves_and_sends_nothing(client, inbox):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert response.json()["message"] == subscribe(client, email="other@example.org").json()["message"]
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["other@example.org"]
    assert len(inbox.messages) == 1


@override_settings(RATE_LIMITS={"newsletter": "2/3600"})
def test_subscriptions_are_rate_limited_per_client_address_in_arabic(client, inbox):
    assert subscribe(client, email="one@example.org").status_code == 200
    assert subscribe(client, email="two@example.org").status_code == 200
    response = subscribe(client, email="three@example.org")
    assert response.status_code == 429 and "طلبات كثيرة" in response.json()["error"] and response["Retry-After"].isdigit()
    page = subscribe(client, as_json=False, email="three@example.org")
    assert page.status_code == 429 and "طلبات كثيرة" in page.content.decode()
    assert subscribe(client, email="three@example.org", ip="198.51.100.7").status_code == 200
    assert Subscriber.objects.count() == 3 and len(inbox.messages) == 3


@override_settings(RATE_LIMITS={"newsletter_email": "1/3600"})
def test_one_address_is_not_mailed_again_and_again(client, inbox):
    """Bots cannot make Akhbar mail a stranger repeatedly, whatever addresses they come from."""
    assert subscribe(client, ip="203.0.113.1").status_code == 200
    assert subscribe(client, ip="203.0.113.2").status_code == 429
    assert subscribe(client, ip="203.0.113.3", email="READER@example.org ").status_code == 429
    assert subscribe(client, ip="203.0.113.4", email="other@example.org").status_code == 200
    assert len(inbox.messages) == 2


def test_get_on_the_subscribe_address_is_the_standalone_form(client):
    response = client.get(URL)
    assert response.status_code == 200 and response["Cache-Control"].startswith("no-store")
    assert "csrfmiddlewaretoken" in response.content.decode()


# --- double opt-in -------------------------------------------------------------------------------


def test_confirmation_email_rtl_html_and_text_with_an_expiring_link(client, inbox):
    subscribe(client, lists=["daily", "weekly"])
    recipients, message = inbox.only()
    assert recipients == ["reader@example.org"]
    assert "تأكيد" in message["Subject"]
    assert re.fullmatch(r"<[^>]+@example\.org>", message["Message-ID"].strip())
    text, html = text_of(message), html_of(message)
    assert "النشرة اليومية" in text and "الحصاد الأسبوعي" in text and "أيام" in text
    assert 'dir="rtl"' in html and "<style" not in html and 'style="' in html  # CSS inlined
    confirm = link(message, "confirm")
    assert confirm in html
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    # GET only asks (mailbox link checkers open links); POST confirms.
    page = client.get(path_of(confirm))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    done = client.post(path_of(confirm))
    assert done.status_code == 200 and "تأكد اشتراكك" in done.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.lists == ["daily", "weekly"]
    # A second click changes nothing and is not an error.
    assert client.post(path_of(confirm)).status_code == 200
    assert Subscriber.objects.get().confirmed_at == subscriber.confirmed_at


def test_an_expired_or_forged_confirmation_link_is_refused_in_arabic(client, inbox, settings):
    subscribe(client)
    confirm = path_of(link(inbox.only()[1], "confirm"))
    token = confirm.rstrip("/").rpartition("/")[2]
    forged = confirm.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    other_purpose = reverse("newsletter:confirm", kwargs={"token": tokens.manage_token("reader@example.org")})
    for bad in (forged, other_purpose, "/newsletter/confirm/%FF%FE/", "/newsletter/confirm/" + "x" * 600 + "/"):
        for method in (client.get, client.post):
            response = method(bad)
            assert response.status_code == 404 and "ليس صالحا" in response.content.decode()
    settings.NEWSLETTER_CONFIRM_DAYS = 0  # every link is now older than its validity
    time.sleep(1.01)
    assert client.post(confirm).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_answer_never_reveals_whether_the_address_is_subscribed(client, inbox):
    first = subscribe(client, email="known@example.org").json()
    link_ = link(inbox.messages[-1][1], "confirm")
    client.post(path_of(link_))
    Suppression.objects.create(email="bounced@example.org", reason="bounce")
    answers = [
        subscribe(client, email="known@example.org", ip="203.0.113.2"),  # confirmed
        subscribe(client, email="fresh@example.org", ip="203.0.113.3"),  # new
        subscribe(client, email="fresh@example.org", ip="203.0.113.4"),  # pending
        subscribe(client, email="bounced@example.org", ip="203.0.113.5"),  # suppressed
    ]
    assert {(a.status_code, a.json()["message"]) for a in answers} == {(200, first["message"])}
    # The email differs: the confirmed address gets its preferences link, never a second confirmation.
    mails = {tuple(to): m for to, m in inbox.messages[1:]}
    assert "مشترك" in mails[("known@example.org",)]["Subject"] and "/newsletter/manage/" in text_of(mails[("known@example.org",)])
    assert [to for to, _ in inbox.messages].count(["fresh@example.org"]) == 2
    assert ["bounced@example.org"] not in [to for to, _ in inbox.messages]
    assert not Subscriber.objects.filter(email="bounced@example.org").exists()
    # Asking again from the box does not change a confirmed subscriber's lists.
    assert Subscriber.objects.get(email="known@example.org").lists == ["daily", "breaking"]


def test_a_subscriber_is_confirmed_once_whatever_case_and_spaces(client, inbox):
    subscribe(client, email=" Reader@Example.ORG ")
    assert Subscriber.objects.get().email == "reader@example.org"
    assert inbox.only()[0] == ["reader@example.org"]


def test_unconfirmed_addresses_are_purged_after_n_days_by_the_scheduler(client, inbox, settings):
    settings.NEWSLETTER_CONFIRM_DAYS = 7
    subscribe_and_confirm(client, inbox, email="kept@example.org")
    subscribe(client, email="fresh@example.org")
    subscribe(client, email="stale@example.org")
    Subscriber.objects.filter(email__in=["stale@example.org", "kept@example.org"]).update(
        requested_at=timezone.now() - dt.timedelta(days=8)
    )
    job = REGISTRY["newsletter_purge_unconfirmed"]
    assert job.func() == 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"kept@example.org", "fresh@example.org"}


def test_an_smtp_server_that_is_down_does_not_fail_the_reader(client, settings):
    from tests.app_servers import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    response = subscribe(client)
    assert response.status_code == 200 and response.json()["ok"] is True


# --- preferences, unsubscribe, privacy -----------------------------------------------------------


def test_preferences_by_signed_link_change_lists_and_unsubscribe(client, inbox):
    subscriber = subscribe_and_confirm(client, inbox, lists=("daily",))
    manage = reverse("newsletter:manage", kwargs={"token": tokens.manage_token(subscriber.email)})
    page = client.get(manage)
    assert page.status_code == 200 and "reader@example.org" in page.content.decode() and page["Cache-Control"].startswith("no-store")
    enforcing = Client(enforce_csrf_checks=True)
    assert enforcing.post(manage, {"lists": ["weekly"]}).status_code == 403  # the preferences form needs its token
    response = client.post(manage, {"lists": ["weekly", "breaking"], "save": "1"})
    assert response.status_code == 200 and "حُفظت" in response.content.decode()
    assert Subscriber.objects.get().lists == ["breaking", "weekly"]
    refused = client.post(manage, {"lists": [], "save": "1"})
    assert refused.status_code == 400 and ARABIC.search(refused.content.decode())
    assert Subscriber.objects.get().lists == ["breaking", "weekly"]
    client.post(manage, {"unsubscribe": "1"})
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    # Choosing lists again from one's own link subscribes again.
    client.post(manage, {"lists": ["daily"], "save": "1"})
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_forged_preference_links_open_nothing(client, inbox):
    subscribe_and_confirm(client, inbox)
    confirm_token = tokens.confirm_token("reader@example.org", ["daily"])
    for token in ("abc", confirm_token, signing.dumps({"e": "reader@example.org"}, salt="other"), "x" * 600):
        for name in ("manage", "export", "delete", "unsubscribe"):
            response = client.get(reverse(f"newsletter:{name}", kwargs={"token": token}))
            assert response.status_code == 404 and ARABIC.search(response.content.decode()), (name, token)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_one_click_unsubscribe_per_rfc_8058_by_post_without_session_or_token(client, inbox):
    subscriber = subscribe_and_confirm(client, inbox)
    url = reverse("newsletter:unsubscribe", kwargs={"token": tokens.manage_token(subscriber.email)})
    mail_client = Client(enforce_csrf_checks=True)
    page = mail_client.get(url)  # a link checker opening it stops nothing
    assert page.status_code == 200 and Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    response = mail_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "ألغي اشتراكك" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED and Subscriber.objects.get().lists == []
    # Twice: the same answer, no error.
    again = mail_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200 and "ألغي اشتراكك" in again.content.decode()
    # Only that endpoint is CSRF-exempt.
    manage = reverse("newsletter:manage", kwargs={"token": tokens.manage_token(subscriber.email)})
    assert mail_client.post(manage, {"unsubscribe": "1"}).status_code == 403


def test_an_old_confirmation_link_does_not_undo_an_unsubscribe(client, inbox):
    subscribe(client)
    confirm = path_of(link(inbox.only()[1], "confirm"))
    client.post(confirm)
    subscriptions.unsubscribe("reader@example.org")
    assert client.post(confirm).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_export_is_a_json_download_of_everything_stored(client, inbox):
    subscriber = subscribe_and_confirm(client, inbox, lists=("breaking",))
    response = client.get(reverse("newsletter:export", kwargs={"token": tokens.manage_token(subscriber.email)}))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"].startswith("no-store")
    data = json.loads(response.content)
    assert data["email"] == "reader@example.org" and data["lists"] == ["breaking"] and data["status"] == "confirmed"
    assert data["confirmed_at"] and data["newsletters_sent"] == []


def test_delete_asks_then_forgets_the_subscriber(client, inbox):
    subscriber = subscribe_and_confirm(client, inbox)
    url = reverse("newsletter:delete", kwargs={"token": tokens.manage_token(subscriber.email)})
    assert client.get(url).status_code == 200 and Subscriber.objects.exists()
    response = client.post(url)
    assert response.status_code == 200 and ARABIC.search(response.content.decode())
    assert not Subscriber.objects.exists()
    assert client.post(url).status_code == 404  # nothing left to delete


def test_the_privacy_page_says_what_is_stored_and_why(client):
    page = client.get(reverse("newsletter:privacy")).content.decode()
    assert "ما نخزنه" in page and "بريدك الإلكتروني" in page and "7" in page


def test_suppressed_addresses_are_never_mailed_again(client, inbox):
    subscriber = subscribe_and_confirm(client, inbox)
    subscriptions.suppress(subscriber.email, Suppression.Reason.BOUNCE)
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    count = len(inbox.messages)
    subscribe(client, ip="198.51.100.9")
    assert len(inbox.messages) == count
    assert client.post(path_of(reverse("newsletter:confirm", kwargs={"token": tokens.confirm_token(subscriber.email, ["daily"])}))).status_code == 404


def test_editors_see_subscribers_and_the_suppression_list_in_the_admin(client, django_user_model, inbox):
    subscribe_and_confirm(client, inbox, email="listed@example.org")
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pass")
    client.force_login(editor)
    page = client.get("/admin/snippets/newsletter/subscriber/?status=confirmed")
    assert page.status_code == 200 and "listed@example.org" in page.content.decode()
    assert client.get("/admin/snippets/newsletter/subscriber/?q=listed").status_code == 200
    assert client.get("/admin/snippets/newsletter/suppression/").status_code == 200
    pk = Subscriber.objects.get().pk
    action = f"/admin/bulk/newsletter/subscriber/suppress/?next=/admin/&id={pk}"
    assert "listed@example.org" in client.get(action).content.decode()
    client.post(action)
    assert Suppression.objects.filter(email="listed@example.org", reason="manual").exists()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
