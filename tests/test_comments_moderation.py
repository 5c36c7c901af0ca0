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
