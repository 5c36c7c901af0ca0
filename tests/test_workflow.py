"""Newsroom roles: a reporter drafts and submits, only an editor's approval publishes."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from akhbar.news.models import ArticlePage
from akhbar.newsroom.models import NewsroomRole
from tests.factories import make_section

pytestmark = pytest.mark.django_db


def make_user(username: str, role: str):
    user = get_user_model().objects.create_user(username=username, password="x-" + username)
    user.groups.add(NewsroomRole.group_for(role))
    return user


@pytest.fixture
def section(home):
    return make_section(home, "أخبار", slug="news")


@pytest.fixture
def reporter(client):
    return make_user("reporter", NewsroomRole.REPORTER)


@pytest.fixture
def editor():
    return make_user("editor", NewsroomRole.EDITOR)


def article_form(title: str, slug: str, **actions) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,  # the admin fills it from the title in the browser
            "kicker": "",
            "lede": "ملخص الخبر.",
            "body": streamfield([("paragraph", rich_text("<p>نص الخبر كاملًا.</p>"))]),
            "source_name": "",
            "source_url": "",
            "tags": "",
            "published_at": "",
            "external_id": "",
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
        }
    )
    data.update({"comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"})
    data.update({f"action-{name}": value for name, value in actions.items()})
    return data


def add_url(section) -> str:
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def post_article(client, section, title: str, slug: str, **actions):
    response = client.post(add_url(section), article_form(title, slug, **actions))
    assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
    return ArticlePage.objects.get(title=title)


def test_migrations_create_one_reporters_group_one_editors_group_and_their_workflow():
    reporters = NewsroomRole.group_for(NewsroomRole.REPORTER)
    editors = NewsroomRole.group_for(NewsroomRole.EDITOR)
    assert reporters != editors
    # Wagtail's own "Moderators"/"Editors" were adopted, not duplicated.
    from django.contrib.auth.models import Group

    assert Group.objects.count() == 2
    workflow = Page.get_first_root_node().get_workflow()
    assert workflow is not None and workflow.active
    [task] = [t.specific for t in workflow.tasks.all()]
    assert list(task.groups.all()) == [editors]


def test_reporter_saves_a_draft_but_cannot_publish(client, section, reporter):
    client.force_login(reporter)
    response = client.get(add_url(section))
    assert response.status_code == 200
    assert b'name="action-publish"' not in response.content
    assert b'name="action-submit"' in response.content

    article = post_article(client, section, "مسودة مراسل", "draft", publish="action-publish")

    assert not article.live
    assert article.has_unpublished_changes
    assert article.first_published_at is None
    client.logout()
    assert client.get("/news/draft/").status_code == 404
    client.force_login(reporter)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert edit.status_code == 200
    assert b'name="action-publish"' not in edit.content


def test_editor_sees_the_publish_action(client, section, editor):
    client.force_login(editor)
    response = client.get(add_url(section))
    assert b'name="action-publish"' in response.content


def test_reporter_submits_and_editor_approval_publishes(client, section, reporter, editor):
    client.force_login(reporter)
    article = post_article(client, section, "خبر للمراجعة", "for-review", submit="action-submit")

    state = WorkflowState.objects.get(object_id=str(article.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    task_state = state.current_task_state
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert client.get(f"/news/{article.slug}/").status_code == 404

    approve_url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
    # The reporter cannot approve their own story: Wagtail refuses (redirects to the dashboard
    # with "permission denied") and the page stays offline.
    refused = client.post(approve_url, {"comment": ""})
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert not ArticlePage.objects.get(pk=article.pk).live

    client.force_login(editor)
    response = client.post(approve_url, {"comment": "تمت المراجعة"})
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    page = client.get(f"/news/{article.slug}/")
    assert page.status_code == 200
    assert "خبر للمراجعة" in page.content.decode()
