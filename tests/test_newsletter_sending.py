"""Sending newsletter issues through a real SMTP server (aiosmtpd): who gets them, the headers
mailbox providers look for (RFC 8058 one-click unsubscribe, List-Id, Message-ID), RTL HTML with
inlined CSS and a plain-text part, batches, refused recipients, the editors' preview and test."""

import re
import urllib.parse

import pytest
from django.test import Client, TestCase
from django.utils import timezone, translation

from akhbar.core.scheduler import REGISTRY
from akhbar.newsletter import sending
from akhbar.newsletter.digest import assemble_daily_digest, assemble_weekly_roundup
from akhbar.newsletter.models import Delivery, Issue, IssueArticle, IssueLocked, Subscriber, Suppression
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def subscriber(email, status=Subscriber.Status.CONFIRMED, **lists):
    return Subscriber.objects.create(email=email, status=status, **({"daily": True} | lists))


def make_issue(articles, **fields):
    fields = {"subject": "نشرة الصباح", "list": "daily", "intro": "أهم ما جرى اليوم.", "status": Issue.Status.SCHEDULED} | fields
    issue = Issue.objects.create(**fields)
    for n, article in enumerate(articles):
        IssueArticle.objects.create(issue=issue, article=article, sort_order=n)
    return issue


def run_scheduler_job():
    """The worker's periodic job; the task it queues runs at commit (the test queue runs tasks inline)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return REGISTRY["newsletter_send_due"].func()


@pytest.fixture
def site_settings(settings):
    settings.NEWSLETTER_SITE_URL = "https://news.example"
    settings.NEWSLETTER_FROM = "أخبار <newsletter@news.example>"
    settings.NEWSLETTER_RETURN_PATH = "bounces@news.example"
    settings.NEWSLETTER_RATE = 0
    settings.NEWSLETTER_BATCH = 2
    return settings


def test_a_scheduled_issue_reaches_confirmed_subscribers_of_its_list_only(inbox, news_tree, site_settings):
    readers = [subscriber(f"r{n}@example.org") for n in range(5)]
    subscriber("weekly@example.org", daily=False, weekly=True)
    subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    subscriber("gone@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    subscriber("bounced@example.org")
    Suppression.objects.create(email="bounced@example.org", reason="bounce")
    issue = make_issue(news_tree["articles"][:2])

    assert run_scheduler_job() == [issue.pk]
    assert sorted(to[0] for to, _ in inbox.messages) == sorted(r.email for r in readers)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.finished_at is not None
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT, uncertain=False).count() == 5
    # Nothing is sent twice when the job runs again.
    run_scheduler_job()
    assert len(inbox.messages) == 5


def test_each_message_has_one_click_unsubscribe_list_id_message_id_and_rtl_html_with_text(inbox, news_tree, site_settings, client):
    subscriber("salma@example.org")
    first, second = news_tree["articles"][:2]
    make_issue([first, second])
    run_scheduler_job()
    recipients, message = inbox.only()
    assert recipients == ["salma@example.org"]
    assert message["Subject"] == "نشرة الصباح"
    assert message["From"].addresses[0].addr_spec == "newsletter@news.example"
    assert re.fullmatch(r"<[^>]+@news\.example>", message["Message-ID"].strip())
    assert message["List-Id"].strip() == "<daily.newsletter.news.example>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = re.fullmatch(r"<(https://[^>]+)>, <(mailto:[^>]+)>", message["List-Unsubscribe"].strip()).groups()
    assert https.startswith("https://news.example/newsletter/unsubscribe/")
    assert mailto.startswith("mailto:newsletter@news.example?subject=unsubscribe")
    text, html = text_of(message), html_of(message)
    assert 'dir="rtl"' in html and "<style" not in html and 'style="' in html
    for article in (first, second):
        assert article.title in text and article.title in html
        assert f"https://news.example{article.url}" in text
    assert "أهم ما جرى اليوم." in text
    manage = re.search(r"https://news\.example(/newsletter/manage/[^/\s]+/)", text).group(1)
    assert "salma@example.org" in client.get(manage).content.decode()
    # The mail client's one-click POST, without a session or a token.
    path = urllib.parse.urlsplit(https).path
    response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_links_are_tagged_for_analytics_when_asked(inbox, news_tree, site_settings):
    site_settings.NEWSLETTER_UTM = True
    subscriber("a@example.org")
    issue = make_issue(news_tree["articles"][:1])
    run_scheduler_job()
    assert f"utm_source=newsletter&utm_medium=email&utm_campaign=daily-{issue.pk}" in text_of(inbox.only()[1])


def test_a_recipient_the_server_refuses_is_logged_and_the_others_still_get_it(inbox, news_tree, site_settings):
    async def refuse(server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    inbox.handle_RCPT = refuse
    for email in ("a@example.org", "nobody@example.org", "b@example.org"):
        subscriber(email)
    issue = make_issue(news_tree["articles"][:1])
    run_scheduler_job()
    assert sorted(to[0] for to, _ in inbox.messages) == ["a@example.org", "b@example.org"]
    statuses = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status"))
    assert statuses == {"a@example.org": "sent", "nobody@example.org": "failed", "b@example.org": "sent"}


def test_a_future_issue_and_a_draft_wait(inbox, news_tree, site_settings):
    subscriber("a@example.org")
    make_issue(news_tree["articles"][:1], send_at=timezone.now() + timezone.timedelta(hours=1))
    make_issue(news_tree["articles"][:1], status=Issue.Status.DRAFT)
    assert run_scheduler_job() == []
    assert inbox.messages == []


def test_an_unsubscribe_during_a_send_is_respected(inbox, news_tree, site_settings):
    """A subscriber who stops before their batch is reached gets nothing."""
    readers = [subscriber(f"r{n}@example.org") for n in range(4)]
    issue = make_issue(news_tree["articles"][:1])
    Subscriber.objects.filter(pk=readers[3].pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    sending.send_issue.call(issue.pk)
    assert sorted(to[0] for to, _ in inbox.messages) == [f"r{n}@example.org" for n in range(3)]


def test_editors_preview_an_issue_and_send_a_test_to_one_address(inbox, news_tree, site_settings, client, django_user_model):
    subscriber("reader@example.org")
    issue = make_issue(news_tree["articles"][:1], status=Issue.Status.DRAFT)
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pass")
    client.force_login(editor)
    listing = client.get("/admin/snippets/newsletter/issue/")
    assert listing.status_code == 200 and "نشرة الصباح" in listing.content.decode()
    assert client.get(f"/admin/snippets/newsletter/issue/edit/{issue.pk}/").status_code == 200
    preview = client.get(f"/admin/newsletter/issues/{issue.pk}/preview/")
    assert preview.status_code == 200 and news_tree["articles"][0].title in preview.content.decode()
    assert "default-src 'none'" in preview["Content-Security-Policy"]
    page = client.get(f"/admin/newsletter/issues/{issue.pk}/test/")
    assert page.status_code == 200 and "editor@example.org" in page.content.decode()
    client.post(f"/admin/newsletter/issues/{issue.pk}/test/", {"email": "desk@example.org"})
    recipients, message = inbox.only()
    assert recipients == ["desk@example.org"] and "نشرة الصباح" in message["Subject"]
    assert Issue.objects.get().status == Issue.Status.DRAFT and not Delivery.objects.exists()
    # Readers cannot reach the editors' tools.
    client.logout()
    assert client.get(f"/admin/newsletter/issues/{issue.pk}/preview/").status_code in (302, 403)


def test_the_daily_digest_assembles_itself_once_a_day_from_new_articles(inbox, news_tree, site_settings):
    subscriber("daily@example.org")
    subscriber("weekly@example.org", daily=False, weekly=True)
    site_settings.NEWSLETTER_DIGEST_HOUR = 7
    assert assemble_daily_digest(timezone.localtime().replace(hour=5)) is None  # before its hour
    site_settings.NEWSLETTER_DIGEST_HOUR = 0
    site_settings.NEWSLETTER_WEEKLY_DAY = (timezone.localtime().weekday() + 1) % 7  # not today
    [issue] = REGISTRY["newsletter_digests"].func()
    assert issue.automatic and issue.status == Issue.Status.SCHEDULED and issue.list == "daily"
    newest_first = sorted(news_tree["articles"], key=lambda a: a.published_at, reverse=True)
    assert [item.article_id for item in issue.items.order_by("sort_order")] == [a.pk for a in newest_first]
    assert "النشرة اليومية" in issue.subject
    assert assemble_daily_digest(None) is None  # once a day
    run_scheduler_job()
    recipients, message = inbox.only()
    assert recipients == ["daily@example.org"] and all(a.title in text_of(message) for a in newest_first)
    # The next day: only what was published since.
    later = make_article(news_tree["sport"], "خبر الغد", published_at=timezone.now() + timezone.timedelta(minutes=1))
    tomorrow = assemble_daily_digest(timezone.now() + timezone.timedelta(days=1))
    assert [item.article_id for item in tomorrow.items.all()] == [later.pk]


def test_the_weekly_roundup_assembles_itself_on_its_day(inbox, news_tree, site_settings):
    subscriber("daily@example.org")
    subscriber("weekly@example.org", daily=False, weekly=True)
    site_settings.NEWSLETTER_DIGEST_HOUR = 0
    site_settings.NEWSLETTER_WEEKLY_DAY = (timezone.localtime().weekday() + 1) % 7
    assert assemble_weekly_roundup(None) is None  # not its day
    site_settings.NEWSLETTER_WEEKLY_DAY = timezone.localtime().weekday()
    issues = REGISTRY["newsletter_digests"].func()
    assert sorted(issue.list for issue in issues) == ["daily", "weekly"]
    weekly = next(issue for issue in issues if issue.list == "weekly")
    assert "الحصاد الأسبوعي" in weekly.subject and weekly.items.count() == len(news_tree["articles"])
    assert REGISTRY["newsletter_digests"].func() == []  # once
    run_scheduler_job()
    assert sorted(to[0] for to, _ in inbox.messages) == ["daily@example.org", "weekly@example.org"]


def test_a_day_without_new_articles_sends_no_digest(inbox, home, site_settings):
    site_settings.NEWSLETTER_DIGEST_HOUR = 0
    subscriber("daily@example.org")
    assert assemble_daily_digest(None) is None
    run_scheduler_job()
    assert inbox.messages == [] and not Issue.objects.exists()


def test_an_editor_saving_an_issue_never_writes_the_senders_place(news_tree):
    issue = make_issue(news_tree["articles"][:1])
    stale = Issue.objects.get(pk=issue.pk)  # the editor's form, opened before the sender took a batch
    Issue.objects.filter(pk=issue.pk).update(cursor=4242, lease_owner="sender")
    stale.intro = "مقدمة جديدة"
    stale.items = [IssueArticle(article=article) for article in news_tree["articles"][1:3]]
    stale.save()
    issue.refresh_from_db()
    assert issue.intro == "مقدمة جديدة" and issue.cursor == 4242 and issue.lease_owner == "sender"
    assert [item.article_id for item in issue.items.all()] == [a.pk for a in news_tree["articles"][1:3]]


def test_an_issue_whose_send_has_begun_can_no_longer_be_saved_by_an_editor(news_tree):
    issue = make_issue(news_tree["articles"][:1])
    stale = Issue.objects.get(pk=issue.pk)  # the editor's form, opened before the send began
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, cursor=4242, lease_owner="sender")
    stale.intro = "مقدمة جديدة"
    with pytest.raises(IssueLocked):
        stale.save()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING and issue.intro != "مقدمة جديدة" and issue.cursor == 4242


def issue_form(articles, **fields) -> dict:
    form = {
        "subject": "عدد خاص",
        "list": "daily",
        "intro": "مقدمة العدد",
        "status": "draft",
        "send_at": "",
        "items-TOTAL_FORMS": str(len(articles)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    } | fields
    for n, article in enumerate(articles):
        form |= {f"items-{n}-article": str(article.pk), f"items-{n}-ORDER": str(n + 1), f"items-{n}-id": "", f"items-{n}-DELETE": ""}
    return form


@pytest.mark.parametrize("status", ["sending", "sent"])
def test_editors_cannot_mark_an_issue_sending_or_sent_by_hand(news_tree, client, django_user_model, status):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pass"))
    with translation.override("ar"):
        response = client.post("/admin/snippets/newsletter/issue/add/", issue_form(news_tree["articles"][:1], status=status), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200 and not Issue.objects.exists()
    page = response.content.decode()
    assert "انتق خياراً صحيحاً" in page  # Django's «Select a valid choice», in Arabic
    offered = re.findall(r'<option value="(\w+)"', page[page.index('name="status"'):].split("</select>")[0])
    assert offered == ["draft", "scheduled"]


def test_an_issue_sent_or_sending_is_shown_but_its_save_is_refused_with_a_reason(news_tree, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pass"))
    issue = make_issue(news_tree["articles"][:1], status=Issue.Status.SENT)
    url = f"/admin/snippets/newsletter/issue/edit/{issue.pk}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert re.search(r'<select[^>]*name="status"[^>]*disabled', page) or re.search(r'<select[^>]*disabled[^>]*name="status"', page)
    form = issue_form(news_tree["articles"][:1], subject="عنوان آخر", status="draft")
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert "بدأ إرساله أو أُرسل" in response.content.decode()
    issue.refresh_from_db()
    assert issue.subject == "نشرة الصباح" and issue.status == Issue.Status.SENT


def test_editors_compose_and_schedule_an_issue_in_wagtail(inbox, news_tree, site_settings, client, django_user_model):
    subscriber("reader@example.org")
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pass"))
    chosen = news_tree["articles"][:2]
    form = issue_form(chosen)
    response = client.post("/admin/snippets/newsletter/issue/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    issue = Issue.objects.get()
    assert [item.article_id for item in issue.items.order_by("sort_order")] == [a.pk for a in chosen]
    assert run_scheduler_job() == [] and inbox.messages == []  # a draft waits
    form |= {"status": "scheduled", "items-INITIAL_FORMS": "2"}
    for n, item in enumerate(issue.items.order_by("sort_order")):
        form[f"items-{n}-id"] = str(item.pk)
    assert client.post(f"/admin/snippets/newsletter/issue/edit/{issue.pk}/", form).status_code == 302
    run_scheduler_job()
    recipients, message = inbox.only()
    assert recipients == ["reader@example.org"] and message["Subject"] == "عدد خاص"
    assert all(article.title in text_of(message) for article in chosen)


def test_each_copy_of_the_issue_serialised_once_is_the_recipients_own(inbox, news_tree, site_settings):
    """Copies are made from the issue's message serialised once: every header and link that names
    the recipient must still be theirs."""
    from akhbar.newsletter import tokens

    emails = ["one@example.org", "two@example.org", "three@example.org"]
    for email in emails:
        subscriber(email)
    issue = make_issue(news_tree["articles"][:1])
    assert sending.render_issue(issue).prepared is not None  # the fast path is the one tested here
    run_scheduler_job()
    assert len({message["Message-ID"] for _, message in inbox.messages}) == 3
    for recipients, message in inbox.messages:
        assert message["To"] == recipients[0] and message["Date"]
        https = re.search(r"<(https://[^>]+)>", message["List-Unsubscribe"]).group(1)
        token = https.rstrip("/").rpartition("/")[2]
        assert tokens.read_manage(token) == recipients[0]
        manage = re.search(r"/newsletter/manage/([^/\s]+)/", text_of(message)).group(1)
        assert tokens.read_manage(manage) == recipients[0]
        assert tokens.read_manage(re.search(r"/newsletter/manage/([^/\"]+)/", html_of(message)).group(1)) == recipients[0]
        assert "akhbar.invalid" not in message.as_string() and sending.MANAGE not in message.as_string()
