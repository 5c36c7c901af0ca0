"""Moderating comments in Wagtail's admin: the queue, bulk actions, permissions, and the
cached article page that shows an approved comment on the next view."""

import json
import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from akhbar.comments.models import Ban, Comment
from tests.test_page_cache import Server

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(news_tree):
    return news_tree["articles"][0]


@pytest.fixture
def moderator(client, django_user_model, home):
    user = django_user_model.objects.create_superuser("huda", "huda@example.org", "secret-pass-123")
    client.force_login(user)
    return client


class CachedSite(Server):
    """The page cache's WSGI stack. Django's test client reconnects the signal that closes the
    database connection after each of its requests; a server inside a test transaction must not
    close it, so it is disconnected again before every request."""

    def request(self, *args, **kwargs):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return super().request(*args, **kwargs)


@pytest.fixture
def server(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    try:
        yield CachedSite()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def comment(article, text="تعليق قارئ", status=Comment.Status.PENDING, **fields):
    fields.setdefault("email", "reader@example.org")
    return Comment.objects.create(article=article, name="قارئ", text=text, status=status, **fields)


def bulk(client, action, comments, next_url="/admin/snippets/comments/comment/"):
    query = "&".join(f"id={c.pk}" for c in comments)
    url = f"/admin/bulk/comments/comment/{action}/?{query}&next={next_url}"
    confirm = client.get(url)
    assert confirm.status_code == 200, confirm.status_code
    return client.post(url)


def menu_labels(page: str) -> dict[str, str]:
    """The admin sidebar's items (Wagtail renders them as JSON props), by name."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S).group(1)
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and isinstance(node.get("label"), str):
                found[node["name"]] = node["label"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props))
    return found


def test_the_queue_lists_comments_in_arabic_with_the_pending_count_in_the_menu(moderator, article):
    comment(article, "تعليق ينتظر")
    comment(article, "تعليق آخر ينتظر")
    comment(article, "تعليق منشور", status=Comment.Status.APPROVED)
    response = moderator.get("/admin/snippets/comments/comment/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "تعليق ينتظر" in page and "بانتظار المراجعة" in page
    assert menu_labels(page)["comments"] == "التعليقات (2)"
    filtered = moderator.get("/admin/snippets/comments/comment/", {"status": "approved"}).content.decode()
    assert "تعليق منشور" in filtered and "تعليق ينتظر" not in filtered
    for label in ("اقبل", "ارفض", "علّم كمزعج", "احظر المرسل"):
        assert label in page


def test_bulk_approve_reject_and_spam(moderator, article):
    first, second, third = comment(article, "أول"), comment(article, "ثان"), comment(article, "ثالث")
    response = bulk(moderator, "approve", [first, second])
    assert response.status_code == 302
    assert dict(Comment.objects.values_list("text", "status")) == {"أول": "approved", "ثان": "approved", "ثالث": "pending"}
    first.refresh_from_db()
    assert first.moderated_by.username == "huda" and first.moderated_at
    bulk(moderator, "reject", [second])
    bulk(moderator, "spam", [third])
    assert dict(Comment.objects.values_list("text", "status")) == {"أول": "approved", "ثان": "rejected", "ثالث": "spam"}


def test_ban_sender_bans_email_and_address_and_marks_spam(moderator, article, client):
    bad = comment(article, "إعلان", email="Bot@Spam.example", ip_address="198.51.100.7")
    bulk(moderator, "ban", [bad])
    bad.refresh_from_db()
    assert bad.status == "spam"
    assert set(Ban.objects.values_list("kind", "value")) == {("email", "bot@spam.example"), ("ip", "198.51.100.7")}
    bulk(moderator, "ban", [bad])  # twice is harmless
    assert Ban.objects.count() == 2


def test_someone_without_comment_permissions_cannot_moderate(client, django_user_model, article):
    reporter = django_user_model.objects.create_user("sami", "sami@example.org", "secret-pass-123")
    group = Group.objects.create(name="بلا صلاحية التعليقات")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    reporter.groups.add(group)
    client.force_login(reporter)
    waiting = comment(article)
    assert "comments" not in menu_labels(client.get("/admin/").content.decode())
    assert client.get("/admin/snippets/comments/comment/").status_code in (302, 403)
    url = f"/admin/bulk/comments/comment/approve/?id={waiting.pk}&next=/admin/"
    client.post(url)
    waiting.refresh_from_db()
    assert waiting.status == "pending"
    client.logout()
    assert client.get("/admin/snippets/comments/comment/").status_code == 302  # to the login page


def test_a_moderator_with_the_comment_permission_can_moderate(client, django_user_model, article):
    user = django_user_model.objects.create_user("mona", "mona@example.org", "secret-pass-123")
    group = Group.objects.create(name="مراجعو التعليقات")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="comments", codename="change_comment"),
        Permission.objects.get(content_type__app_label="comments", codename="view_comment"),
    )
    user.groups.add(group)
    client.force_login(user)
    waiting = comment(article)
    assert client.get("/admin/snippets/comments/comment/").status_code == 200
    bulk(client, "approve", [waiting])
    waiting.refresh_from_db()
    assert waiting.status == "approved"


# --- the cached article page -------------------------------------------------------------------


def test_approving_purges_the_cached_article_so_the_next_view_shows_the_comment(server, moderator, article):
    path = unquote(article.url)
    assert server.request(path).outcome == "miss"
    assert server.request(path).outcome == "hit"
    waiting = comment(article, "تعليق سيظهر بعد القبول")
    assert "تعليق سيظهر بعد القبول" not in server.request(path).text  # pending: the cached page is right
    bulk(moderator, "approve", [waiting])
    fresh = server.request(path)
    assert fresh.outcome == "miss" and "تعليق سيظهر بعد القبول" in fresh.text
    assert server.request(path).outcome == "hit"
    # Listings of the article (its section) are purged too: they may show counts.
    section = unquote(article.get_parent().url)
    server.request(section)
    bulk(moderator, "reject", [waiting])
    gone = server.request(path)
    assert gone.outcome == "miss" and "تعليق سيظهر بعد القبول" not in gone.text
    assert server.request(section).outcome == "miss"


def test_rejecting_a_pending_comment_does_not_purge(server, moderator, article):
    path = unquote(article.url)
    server.request(path)
    waiting = comment(article)
    bulk(moderator, "spam", [waiting])
    assert server.request(path).outcome == "hit"


def test_editing_or_deleting_an_approved_comment_purges(server, article):
    path = unquote(article.url)
    shown = comment(article, "نص أول", status=Comment.Status.APPROVED)
    server.request(path)
    assert server.request(path).outcome == "hit"
    shown.text = "نص مصحح"
    shown.save()
    fresh = server.request(path)
    assert fresh.outcome == "miss" and "نص مصحح" in fresh.text
    shown.delete()
    assert "نص مصحح" not in server.request(path).text


def test_a_comment_published_at_once_purges_on_posting(server, client, article):
    import time

    from akhbar.comments.models import CommentSettings
    from akhbar.core.public_forms import make_stamp

    row = CommentSettings.load()
    row.policy = CommentSettings.POLICY_OPEN
    row.save()
    path = unquote(article.url)
    server.request(path)
    response = client.post(
        f"/comments/{article.pk}/post/",
        {"name": "قارئ", "email": "r@example.org", "text": "منشور فورًا", "started": make_stamp(time.time() - 10)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "approved"
    assert "منشور فورًا" in server.request(path).text


def test_the_comment_settings_open_in_arabic(moderator):
    response = moderator.get("/admin/settings/comments/commentsettings/")
    if response.status_code == 302:
        response = moderator.get(response["Location"])
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "احجز أول تعليق لكل معلّق" in text and "كلمات محظورة" in text


def test_bans_are_managed_in_the_admin_and_comments_close_in_the_articles_editor(moderator, article):
    assert moderator.get("/admin/snippets/comments/ban/").status_code == 200
    waiting = comment(article)
    edit = moderator.get(f"/admin/snippets/comments/comment/edit/{waiting.pk}/")
    assert edit.status_code == 200
    page_editor = BeautifulSoup(moderator.get(f"/admin/pages/{article.pk}/edit/").content, "html.parser")
    switch = page_editor.find("input", attrs={"name": "comments_open"})
    assert switch is not None and switch.get("type") == "checkbox" and switch.has_attr("checked")


def test_editors_moderate_comments_and_reporters_do_not(client, django_user_model, article):
    from akhbar.newsroom.models import NewsroomRole

    editor = django_user_model.objects.create_user("rana", "rana@example.org", "secret-pass-123")
    editor.groups.add(NewsroomRole.group_for(NewsroomRole.EDITOR))
    reporter = django_user_model.objects.create_user("sami", "sami@example.org", "secret-pass-123")
    reporter.groups.add(NewsroomRole.group_for(NewsroomRole.REPORTER))
    waiting, spam = comment(article), comment(article, text="إعلان", email="bot@example.org", ip_address="203.0.113.7")

    client.force_login(reporter)
    assert "comments" not in menu_labels(client.get("/admin/").content.decode())
    assert client.get("/admin/snippets/comments/comment/").status_code in (302, 403)

    client.force_login(editor)
    assert "comments" in menu_labels(client.get("/admin/").content.decode())
    assert client.get("/admin/snippets/comments/comment/").status_code == 200
    bulk(client, "approve", [waiting])
    bulk(client, "ban", [spam])
    assert Comment.objects.get(pk=waiting.pk).status == "approved"
    assert Comment.objects.get(pk=spam.pk).status == "spam"
    assert set(Ban.objects.values_list("value", flat=True)) == {"bot@example.org", "203.0.113.7"}
    assert client.get("/admin/snippets/comments/ban/").status_code == 200


def test_closing_an_article_or_changing_the_settings_purges_its_page(server, article):
    from akhbar.comments.models import CommentSettings

    path = unquote(article.url)
    server.request(path)
    assert server.request(path).outcome == "hit"
    article.comments_open = False
    article.save_revision().publish()
    page = server.request(path)
    assert page.outcome == "miss" and "data-comment-form" not in page.text
    article.comments_open = True
    article.save_revision().publish()
    page = server.request(path)
    assert page.outcome == "miss" and "data-comment-form" in page.text
    row = CommentSettings.load()
    row.enabled = False
    row.save()
    page = server.request(path)
    assert page.outcome == "miss" and "data-comment-form" not in page.text


# --- «select all in listing» acts on what the queue shows ---------------------------------------

QUEUE = "/admin/snippets/comments/comment/"


def many(article, count, text="تعليق ينتظر رقم", status=Comment.Status.PENDING, **fields):
    fields.setdefault("email", "crowd@example.org")
    return Comment.objects.bulk_create(
        Comment(article=article, name="قارئ", text=f"{text} {n}", status=status, **fields) for n in range(count)
    )


def select_all(client, action, query: str, confirm_count: int | None = None):
    """What Wagtail's script does on «select all in listing»: the listing's own query string,
    plus id=all and next, then the confirmation page (the comments it lists), then its form."""
    url = f"/admin/bulk/comments/comment/{action}/?{query}&id=all&next={QUEUE}"
    confirm = client.get(url)
    assert confirm.status_code == 200, confirm.status_code
    if confirm_count is not None:
        listed = BeautifulSoup(confirm.content, "html.parser").select('main li a[href*="/comments/comment/edit/"]')
        assert len(listed) == confirm_count, [a.get_text() for a in listed]
    return client.post(url)


def test_select_all_under_the_pending_filter_approves_only_pending_comments(server, moderator, article):
    path = unquote(article.url)
    server.request(path)
    assert server.request(path).outcome == "hit"
    many(article, 55)
    spam = comment(article, "إعلان كازينو مزعج", status=Comment.Status.SPAM, email="bot@example.org")
    rejected = comment(article, "تعليق مرفوض سابقًا", status=Comment.Status.REJECTED)
    listing = moderator.get(QUEUE, {"status": "pending"}).content.decode()
    assert BeautifulSoup(listing, "html.parser").get_text().count("تعليق ينتظر رقم") == 50  # one page of the queue: «select all» reaches the rest
    assert "إعلان كازينو" not in listing

    response = select_all(moderator, "approve", "status=pending", confirm_count=55)
    assert response.status_code == 302
    assert Comment.objects.filter(status="approved").count() == 55
    assert Comment.objects.get(pk=spam.pk).status == "spam" and Comment.objects.get(pk=rejected.pk).status == "rejected"
    fresh = server.request(path)
    assert fresh.outcome == "miss" and "تعليق ينتظر رقم 0" in fresh.text and "إعلان كازينو" not in fresh.text


def test_select_all_under_a_search_acts_only_on_matching_comments(moderator, article):
    many(article, 3, text="عن الانتخابات")
    many(article, 52, text="عن الطقس")
    select_all(moderator, "reject", "q=الانتخابات", confirm_count=3)
    assert set(Comment.objects.filter(status="rejected").values_list("text", flat=True)) == {
        "عن الانتخابات 0", "عن الانتخابات 1", "عن الانتخابات 2"
    }
    assert Comment.objects.filter(status="pending").count() == 52


def test_select_all_delete_under_a_filter_deletes_only_the_filtered_comments_and_purges(server, moderator, article):
    path = unquote(article.url)
    many(article, 55)
    many(article, 3, text="إعلان", status=Comment.Status.SPAM, email="bot@example.org")
    shown = comment(article, "تعليق منشور من مرسل مزعج", status=Comment.Status.APPROVED, email="bot@example.org")
    kept = comment(article, "تعليق منشور يبقى", status=Comment.Status.APPROVED, email="good@example.org")
    assert "تعليق منشور من مرسل مزعج" in server.request(path).text
    assert server.request(path).outcome == "hit"

    response = select_all(moderator, "delete", "status=spam", confirm_count=3)
    assert response.status_code == 302
    assert not Comment.objects.filter(status="spam").exists()
    assert Comment.objects.filter(status="pending").count() == 55 and Comment.objects.filter(status="approved").count() == 2
    assert server.request(path).outcome == "hit"  # nothing public went: the cached page is right

    select_all(moderator, "delete", "email=BOT@example.org")
    assert not Comment.objects.filter(pk=shown.pk).exists() and Comment.objects.filter(pk=kept.pk).exists()
    assert Comment.objects.count() == 56
    page = server.request(path)
    assert page.outcome == "miss" and "تعليق منشور من مرسل مزعج" not in page.text and "تعليق منشور يبقى" in page.text


def test_select_all_with_a_filter_that_does_not_validate_touches_nothing(moderator, article):
    many(article, 3)
    url = f"/admin/bulk/comments/comment/delete/?created_at_from=not-a-date&id=all&next={QUEUE}"
    moderator.get(url)
    moderator.post(url)
    assert Comment.objects.count() == 3


def test_select_all_leaves_deleted_comments_placeholders_alone(moderator, article):
    head = comment(article, "رأس", status=Comment.Status.APPROVED)
    comment(article, "رد ينتظر", parent=head, depth=1, email="other@example.org")
    head.erase()
    select_all(moderator, "approve", "q=", confirm_count=1)
    assert dict(Comment.objects.values_list("text", "status")) == {"": "removed", "رد ينتظر": "approved"}


# --- deleting in the admin ----------------------------------------------------------------------


def test_deleting_a_comment_in_the_admin_removes_it_and_purges_the_article(server, moderator, article):
    path = unquote(article.url)
    shown = comment(article, "تعليق سيحذفه المشرف", status=Comment.Status.APPROVED)
    assert "تعليق سيحذفه المشرف" in server.request(path).text
    assert server.request(path).outcome == "hit"
    url = f"/admin/snippets/comments/comment/delete/{shown.pk}/"
    confirm = moderator.get(url)
    assert confirm.status_code == 200 and "تعليق سيحذفه المشرف" in confirm.content.decode()
    assert moderator.post(url).status_code == 302
    assert not Comment.objects.filter(pk=shown.pk).exists()
    page = server.request(path)
    assert page.outcome == "miss" and "تعليق سيحذفه المشرف" not in page.text


def test_bulk_delete_of_chosen_comments_removes_them_and_purges_the_article(server, moderator, article):
    path = unquote(article.url)
    first = comment(article, "أول منشور", status=Comment.Status.APPROVED)
    second = comment(article, "ثان منشور", status=Comment.Status.APPROVED)
    waiting = comment(article, "ينتظر")
    server.request(path)
    assert server.request(path).outcome == "hit"
    response = bulk(moderator, "delete", [first, waiting])
    assert response.status_code == 302
    assert list(Comment.objects.values_list("pk", flat=True)) == [second.pk]
    page = server.request(path)
    assert page.outcome == "miss" and "أول منشور" not in page.text and "ثان منشور" in page.text


# --- the queue's filters ------------------------------------------------------------------------


def test_the_queue_filters_by_date_email_and_ip(moderator, article):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    comment(article, "تعليق قديم", email="old@example.org", ip_address="198.51.100.1", created_at=now - dt.timedelta(days=30))
    comment(article, "تعليق الأمس", email="Salma@Example.org", ip_address="198.51.100.2", created_at=now - dt.timedelta(days=1))
    comment(article, "تعليق اليوم", email="other@example.org", ip_address="2001:db8::7", created_at=now)

    def shown(**query):
        page = moderator.get(QUEUE, query)
        assert page.status_code == 200
        text = page.content.decode()
        return {t for t in ("تعليق قديم", "تعليق الأمس", "تعليق اليوم") if t in text}

    week_ago = (now - dt.timedelta(days=7)).date().isoformat()
    assert shown(created_at_from=week_ago) == {"تعليق الأمس", "تعليق اليوم"}
    assert shown(created_at_to=(now - dt.timedelta(days=7)).date().isoformat()) == {"تعليق قديم"}
    assert shown(email="salma@example.org") == {"تعليق الأمس"}  # whatever the case
    assert shown(ip_address="198.51.100.1") == {"تعليق قديم"}
    assert shown(ip_address="2001:db8::7") == {"تعليق اليوم"}
    assert shown(email="nobody@example.org") == set()


# --- bans typed in the admin --------------------------------------------------------------------


def add_ban(client, kind, value):
    return client.post(
        "/admin/snippets/comments/ban/add/",
        {"kind": kind, "value": value, "reason": "اختبار", "created_at": "2026-01-01 10:00"},
    )


def test_bans_added_in_the_admin_are_normalised_and_then_match(moderator, article, client):
    import time

    from akhbar.core.public_forms import make_stamp

    assert add_ban(moderator, "email", "  Bot@Spam.EXAMPLE ").status_code == 302
    assert add_ban(moderator, "ip", "::ffff:203.0.113.9").status_code == 302
    assert add_ban(moderator, "ip", "2001:DB8:0:0::1").status_code == 302
    assert set(Ban.objects.values_list("kind", "value")) == {
        ("email", "bot@spam.example"), ("ip", "203.0.113.9"), ("ip", "2001:db8::1")
    }
    bad = add_ban(moderator, "ip", "203.0.113.999")
    assert bad.status_code == 200 and "هذا ليس عنوان IP" in bad.content.decode()
    again = add_ban(moderator, "email", "BOT@spam.example")  # the same ban in other letters
    assert again.status_code == 200 and Ban.objects.count() == 3

    moderator.logout()

    def send(email, ip):
        return moderator.post(
            f"/comments/{article.pk}/post/",
            {"name": "قارئ", "email": email, "text": "نص", "started": make_stamp(time.time() - 10)},
            HTTP_ACCEPT="application/json",
            REMOTE_ADDR=ip,
        )

    assert send("bot@spam.example", "198.51.100.50").status_code == 403
    assert send("fine@example.org", "203.0.113.9").status_code == 403
    assert send("fine2@example.org", "2001:db8::1").status_code == 403
    assert send("fine3@example.org", "198.51.100.51").status_code == 201
