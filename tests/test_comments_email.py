"""Email about comments, through a real SMTP server (aiosmtpd) on 127.0.0.1.

Reply notifications (opt-in, once, with an unsubscribe link), the moderators' digest, and the
emailed link with which a reader deletes all their comments.
"""

import re
import time

import pytest
from django.urls import reverse

from akhbar.comments import notify
from akhbar.comments.models import Comment, CommentSettings
from akhbar.comments.moderation import set_status
from akhbar.core.public_forms import make_stamp
from tests.app_servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(news_tree):
    return news_tree["articles"][0]


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def make(article, **fields):
    fields.setdefault("name", "قارئ")
    fields.setdefault("text", "تعليق")
    fields.setdefault("email", "reader@example.org")
    return Comment.objects.create(article=article, **fields)


def post_reply(client, article, parent, text="ردي على تعليقك", email_address="replier@example.org"):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {"name": "مجيب", "email": email_address, "text": text, "parent": parent.pk, "started": make_stamp(time.time() - 10)},
        HTTP_ACCEPT="application/json",
    )


# --- replies ----------------------------------------------------------------------------------


def test_an_approved_reply_emails_the_commenter_who_asked_once(inbox, client, article, django_capture_on_commit_callbacks):
    parent = make(article, name="سلمى", email="salma@example.org", status="approved", notify_replies=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_reply(client, article, parent).json()["status"] == "pending"
    assert inbox.messages == []  # not while it waits for moderation
    reply = Comment.objects.get(parent=parent)
    with django_capture_on_commit_callbacks(execute=True):
        set_status([reply], Comment.Status.APPROVED)
    recipients, message = inbox.only()
    assert recipients == ["salma@example.org"]
    assert "ردّ على تعليقك" in message["Subject"] and article.title in message["Subject"]
    text = body(message)
    assert "ردي على تعليقك" in text and "مجيب" in text and "replier@example.org" not in text
    assert f"#comment-{reply.pk}" in text
    unsubscribe = re.search(r"https?://\S+/comments/unsubscribe/\S+/", text).group(0)
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    reply.refresh_from_db()
    assert reply.reply_notified_at is not None
    # Rejected and approved again: no second email.
    with django_capture_on_commit_callbacks(execute=True):
        set_status([reply], Comment.Status.REJECTED)
        reply.refresh_from_db()
        set_status([reply], Comment.Status.APPROVED)
    assert len(inbox.messages) == 1


def test_answering_a_reply_emails_the_replys_author_not_the_thread_head(inbox, client, article, django_capture_on_commit_callbacks):
    from bs4 import BeautifulSoup

    row = CommentSettings.load()
    row.policy = CommentSettings.POLICY_OPEN
    row.save()
    head = make(article, name="أمل", email="amal@example.org", text="رأي أمل", status="approved", notify_replies=True)
    reply = make(article, name="باسل", email="basel@example.org", text="رد باسل على أمل", status="approved",
                 notify_replies=True, parent=head, depth=1)
    quiet = make(article, name="جود", email="jood@example.org", text="رد جود بلا تنبيه", status="approved",
                 notify_replies=False, parent=head, depth=1)

    # The «Reply» button under Basel's reply answers Basel (the script and the no-JS link alike).
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    button = page.select_one(f"#comment-{reply.pk} .comment__reply")
    assert button["data-reply-to"] == str(reply.pk) and button["href"].endswith(f"?reply_to={reply.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_reply(client, article, reply, text="أوافقك يا باسل")
    assert response.status_code == 201 and response.json()["parent"] == head.pk  # still two levels
    answer = Comment.objects.get(text="أوافقك يا باسل")
    assert (answer.parent_id, answer.depth, answer.reply_to_id) == (head.pk, 1, reply.pk)
    recipients, message = inbox.only()
    assert recipients == ["basel@example.org"]  # not Amal, whose thread it is
    text = body(message)
    assert "باسل" in text and "أوافقك يا باسل" in text and f"#comment-{answer.pk}" in text

    # Answering someone who did not ask emails nobody, not the head of the thread instead.
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, article, quiet, text="وأنت يا جود؟", email_address="third@example.org")
    assert len(inbox.messages) == 1
    # Answering the head itself still tells its author.
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, article, head, text="شكرًا يا أمل", email_address="fourth@example.org")
    assert [recipients for recipients, _ in inbox.messages] == [["basel@example.org"], ["amal@example.org"]]


def test_a_reply_whose_answered_comment_was_deleted_emails_nobody(inbox, article, django_capture_on_commit_callbacks):
    head = make(article, email="amal@example.org", status="approved", notify_replies=True)
    reply = make(article, email="basel@example.org", status="approved", parent=head, depth=1, notify_replies=True)
    answer = make(article, email="third@example.org", status="pending", parent=head, depth=1)
    answer.reply_to = reply
    answer.save()
    reply.delete()
    answer.refresh_from_db()
    assert answer.reply_to_id is None and answer.parent_id == head.pk
    with django_capture_on_commit_callbacks(execute=True):
        set_status([answer], Comment.Status.APPROVED)
    assert inbox.messages == []  # Basel is gone; Amal was not the one answered


def test_no_email_without_the_opt_in_or_to_oneself(inbox, client, article, django_capture_on_commit_callbacks):
    quiet = make(article, status="approved", notify_replies=False)
    chatty = make(article, email="self@example.org", status="approved", notify_replies=True)
    row = CommentSettings.load()
    row.policy = CommentSettings.POLICY_OPEN
    row.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, article, quiet)
        post_reply(client, article, chatty, email_address="self@example.org")
    assert inbox.messages == []


def test_an_smtp_server_that_is_down_does_not_fail_the_reader(settings, client, article, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    parent = make(article, status="approved", notify_replies=True)
    row = CommentSettings.load()
    row.policy = CommentSettings.POLICY_OPEN
    row.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_reply(client, article, parent)
    assert response.status_code == 201
    assert Comment.objects.get(parent=parent).reply_notified_at is None  # a later approval may try again


def test_the_unsubscribe_link_asks_then_stops_the_emails(client, article):
    make(article, email="salma@example.org", notify_replies=True)
    make(article, email="salma@example.org", notify_replies=True)
    url = reverse("comments:unsubscribe", kwargs={"token": notify.email_token("salma@example.org", notify.UNSUBSCRIBE_SALT)})
    page = client.get(url)
    assert page.status_code == 200 and "أوقف الرسائل" in page.content.decode()
    assert Comment.objects.filter(notify_replies=True).count() == 2  # a link checker's GET changes nothing
    done = client.post(url)  # one-click unsubscribe from a mail client: no CSRF token
    assert done.status_code == 200
    assert Comment.objects.filter(notify_replies=True).count() == 0
    bad = client.get(reverse("comments:unsubscribe", kwargs={"token": "forged"}))
    assert bad.status_code == 404 and "غير صالح" in bad.content.decode()


# --- moderators' digest -----------------------------------------------------------------------


def test_moderators_get_a_digest_of_new_waiting_comments(inbox, article, django_user_model):
    django_user_model.objects.create_superuser("huda", "huda@example.org", "x")
    django_user_model.objects.create_user("reader", "reader@example.org", "x")  # no permission: no digest
    make(article, text="أول تعليق ينتظر", status="pending")
    make(article, text="ثاني تعليق ينتظر", status="pending")
    make(article, text="منشور", status="approved")
    assert notify.send_moderator_digest() == 2
    recipients, message = inbox.only()
    assert recipients == ["huda@example.org"]
    assert "تعليقان جديدان بانتظار المراجعة" in message["Subject"]
    text = body(message)
    assert "أول تعليق ينتظر" in text and "ثاني تعليق ينتظر" in text and "منشور" not in text
    assert "/admin/snippets/comments/comment/?status=pending" in text
    assert notify.send_moderator_digest() == 0  # nothing new since
    assert len(inbox.messages) == 1
    make(article, text="ثالث", status="pending")
    assert notify.send_moderator_digest() == 1 and len(inbox.messages) == 2


def test_the_digest_is_a_periodic_job_of_the_worker():
    from akhbar.core.scheduler import REGISTRY

    assert "comments_moderator_digest" in REGISTRY


# --- deleting one's comments ------------------------------------------------------------------


def test_a_reader_deletes_all_their_comments_through_an_emailed_link(inbox, client, article):
    mine = make(article, email="salma@example.org", status="approved")
    make(article, email="salma@example.org", status="pending", text="ثان")
    make(article, email="other@example.org", status="approved", text="لغيري")
    page = client.get(reverse("comments:forget"))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = client.post(reverse("comments:forget"), {"email": "Salma@Example.org"})
    assert response.status_code == 200 and "أرسلنا" in response.content.decode()
    recipients, message = inbox.only()
    assert recipients == ["salma@example.org"]
    link = re.search(r"https?://\S+/comments/forget/\S+/", body(message)).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.get("/" + path)
    assert confirm.status_code == 200 and "2" in confirm.content.decode()
    assert Comment.objects.count() == 3  # asking is not deleting
    done = client.post("/" + path)
    assert done.status_code == 200 and "حُذف تعليقان" in done.content.decode()
    assert list(Comment.objects.values_list("email", flat=True)) == ["other@example.org"]
    assert not Comment.objects.filter(pk=mine.pk).exists()


def forget_link(client, inbox, email_address: str) -> str:
    client.post(reverse("comments:forget"), {"email": email_address})
    link = re.search(r"https?://\S+/comments/forget/\S+/", body(inbox.messages[-1][1])).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_deleting_ones_comments_keeps_other_readers_replies_under_a_placeholder(inbox, client, article):
    mine = make(article, name="سلمى", email="salma@example.org", text="رأيي الذي أريد حذفه", status="approved",
                ip_address="203.0.113.9", user_agent="Firefox", notify_replies=True)
    answer = make(article, parent=mine, depth=1, email="other@example.org", text="رد قارئ آخر", status="approved")
    waiting = make(article, parent=mine, depth=1, email="third@example.org", text="رد ينتظر المراجعة", status="pending")
    spam = make(article, parent=mine, depth=1, email="bot@example.org", text="إعلان مزعج", status="spam")
    my_reply = make(article, parent=mine, depth=1, email="salma@example.org", text="ردي على نفسي", status="approved")
    alone = make(article, email="salma@example.org", text="تعليق بلا ردود", status="approved")
    hidden = make(article, email="salma@example.org", text="تعليق رفضه المشرف", status="rejected")
    under_hidden = make(article, parent=hidden, depth=1, email="other@example.org", text="رد تحت تعليق مرفوض", status="approved")

    done = client.post(forget_link(client, inbox, "salma@example.org"))
    assert done.status_code == 200 and "حُذفت 4 تعليقات" in done.content.decode()

    mine.refresh_from_db()
    assert mine.status == "removed"
    assert (mine.name, mine.email, mine.text, mine.ip_address, mine.user_agent, mine.notify_replies) == ("", "", "", None, "", False)
    assert not Comment.objects.filter(pk__in=[my_reply.pk, alone.pk, spam.pk, hidden.pk, under_hidden.pk]).exists()
    assert set(Comment.objects.filter(parent=mine).values_list("pk", flat=True)) == {answer.pk, waiting.pk}
    assert not Comment.objects.filter(email="salma@example.org").exists()

    page = client.get(article.url).content.decode()
    thread = page.split(f'id="comment-{mine.pk}"')[1]
    assert "تعليق محذوف" in thread and "رد قارئ آخر" in thread
    assert "رأيي الذي أريد حذفه" not in page and "سلمى" not in page and "ردي على نفسي" not in page
    assert f"reply_to={mine.pk}" not in page  # nothing to answer in a placeholder…
    assert post_reply(client, article, answer, text="والحوار مستمر").status_code == 201  # …but the thread goes on
    assert Comment.objects.get(text="والحوار مستمر").parent_id == mine.pk


def test_a_placeholder_shows_only_with_a_public_reply_and_goes_with_the_last_one(inbox, client, article):
    mine = make(article, email="salma@example.org", status="approved")
    answer = make(article, parent=mine, depth=1, email="other@example.org", text="رد", status="approved")
    waiting = make(article, parent=mine, depth=1, email="third@example.org", text="رد آخر", status="pending")
    client.post(forget_link(client, inbox, "salma@example.org"))
    assert Comment.objects.get(pk=mine.pk).status == "removed"

    answer.delete()  # a moderator deletes one reply: the waiting one still keeps the place
    assert Comment.objects.filter(pk=mine.pk).exists()
    page = client.get(article.url).content.decode()
    assert f'id="comment-{mine.pk}"' not in page  # nothing public under it to show

    set_status([waiting], Comment.Status.APPROVED)
    assert f'id="comment-{mine.pk}"' in client.get(article.url).content.decode()
    set_status([waiting], Comment.Status.REJECTED)  # hidden again, kept for the moderators' record
    assert f'id="comment-{mine.pk}"' not in client.get(article.url).content.decode()
    waiting.delete()
    assert not Comment.objects.filter(pk=mine.pk).exists()


def test_placeholders_are_not_in_the_moderation_queue(inbox, client, article, django_user_model):
    mine = make(article, email="salma@example.org", status="approved")
    make(article, parent=mine, depth=1, email="other@example.org", text="رد", status="approved")
    client.post(forget_link(client, inbox, "salma@example.org"))
    moderator = django_user_model.objects.create_superuser("huda", "huda@example.org", "secret-pass-123")
    client.force_login(moderator)
    queue = client.get("/admin/snippets/comments/comment/").content.decode()
    assert f"/edit/{mine.pk}/" not in queue and "رد" in queue
    assert client.get(f"/admin/snippets/comments/comment/edit/{mine.pk}/").status_code == 404


def test_asking_for_an_address_without_comments_answers_the_same_and_sends_nothing(inbox, client, article):
    make(article, email="salma@example.org")
    answer = client.post(reverse("comments:forget"), {"email": "nobody@example.org"})
    known = client.post(reverse("comments:forget"), {"email": "salma@example.org"})
    assert answer.status_code == known.status_code == 200
    assert answer.content.decode().count("أرسلنا") == known.content.decode().count("أرسلنا") == 1
    assert [recipients for recipients, _ in inbox.messages] == [["salma@example.org"]]


@pytest.mark.parametrize("value", ["", "not-an-email", "a" * 300 + "@example.org"])
def test_a_bad_address_gets_an_arabic_message(client, home, value):
    response = client.post(reverse("comments:forget"), {"email": value})
    assert response.status_code == 400
    assert re.search(r"[\u0600-\u06ff]", response.content.decode().split('id="forget-email-error">')[1][:200])


def test_forged_and_expired_links_delete_nothing(client, article, settings):
    make(article, email="salma@example.org")
    forged = client.post(reverse("comments:forget_confirm", kwargs={"token": "x" * 40}))
    assert forged.status_code == 404 and "غير صالح" in forged.content.decode()
    token = notify.email_token("salma@example.org", notify.FORGET_SALT)
    notify_max_age, notify.FORGET_MAX_AGE = notify.FORGET_MAX_AGE, -1
    try:
        expired = client.post(reverse("comments:forget_confirm", kwargs={"token": token}))
    finally:
        notify.FORGET_MAX_AGE = notify_max_age
    assert expired.status_code == 404
    unsubscribe_token = notify.email_token("salma@example.org", notify.UNSUBSCRIBE_SALT)
    wrong_kind = client.post(reverse("comments:forget_confirm", kwargs={"token": unsubscribe_token}))
    assert wrong_kind.status_code == 404
    assert Comment.objects.count() == 1


def test_asking_for_links_is_rate_limited(client, home, settings):
    settings.RATE_LIMITS = {"comments_forget": "2/3600"}
    for _ in range(2):
        assert client.post(reverse("comments:forget"), {"email": "a@example.org"}).status_code == 200
    response = client.post(reverse("comments:forget"), {"email": "a@example.org"})
    assert response.status_code == 429 and "طلبات كثيرة" in response.content.decode()
