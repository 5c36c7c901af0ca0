"""`akhbar seed_demo` on an empty database: all or nothing, clear errors, searchable without a worker."""

import json
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError
from django.test import override_settings
from wagtail.models import Site

from akhbar.demo.content import CONTENT_DIR, load_content
from akhbar.demo.seeding import DemoSeeder
from akhbar.news.models import ArticlePage, HomePage
from tests.test_demo import DERBY_TITLE, QUEUE_ONLY, seed, snapshot


def media_files() -> set[str]:
    folder = settings.MEDIA_ROOT / "original_images"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_site_with_other_articles_is_left_alone(news_tree):
    before = snapshot()
    seed(if_empty=True)
    with pytest.raises(CommandError, match="already has content"):
        seed()
    assert snapshot() == before
    assert not ArticlePage.objects.filter(title=DERBY_TITLE).exists()


@override_settings(TASKS=QUEUE_ONLY)
def test_explicit_run_fills_a_bare_home_page(home):
    """`akhbar serve --no-seed` leaves an empty home page; seeding later builds on it."""
    seed(if_empty=True)
    assert not ArticlePage.objects.exists()  # --if-empty respects the site the user chose

    seed()
    assert list(HomePage.objects.all()) == [home]
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert ArticlePage.objects.live().descendant_of(home).count() >= 24


@override_settings(TASKS=QUEUE_ONLY)
def test_failure_half_way_leaves_nothing_behind(db, monkeypatch):
    welcome = Site.objects.get(is_default_site=True).root_page
    files_before = media_files()
    before = snapshot()

    def broken(self, home):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DemoSeeder, "_build_pages", broken)
    with pytest.raises(RuntimeError):
        seed()

    assert snapshot() == before
    assert not HomePage.objects.exists() and not ArticlePage.objects.exists()
    assert Site.objects.get(is_default_site=True).root_page == welcome
    assert media_files() == files_before  # the pictures written before the failure are gone too


def test_invalid_content_is_reported_before_anything_is_written(db, tmp_path, monkeypatch):
    shutil.copytree(CONTENT_DIR, tmp_path, dirs_exist_ok=True)
    articles = json.loads((tmp_path / "articles.json").read_text(encoding="utf-8"))
    articles[3]["section"] = "weather"
    (tmp_path / "articles.json").write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr("akhbar.demo.content.CONTENT_DIR", tmp_path)
    before = snapshot()

    with pytest.raises(CommandError, match=rf"{articles[3]['key']}.*unknown section 'weather'"):
        seed()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"key": "x",\n  "section": }]', r"articles.json: invalid JSON at line 2"),
        (b"\xff\xfe[]", r"articles.json: not UTF-8"),
        ('{"key": "x"}', r"must be a list"),
    ],
)
def test_malformed_content_files_name_file_and_line(tmp_path, text, message):
    shutil.copy(CONTENT_DIR / "site.json", tmp_path / "site.json")
    target = tmp_path / "articles.json"
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(ValueError, match=message):
        load_content(tmp_path)


# --- search without a task worker -------------------------------------------------------------


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_seeded_articles_are_searchable_before_any_worker_runs(db, client):
    from django_tasks_db.models import DBTaskResult

    seed()
    # Wagtail queued its index updates, and nothing has run them...
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert not DBTaskResult.objects.exclude(status="READY").exists()
    # ...yet a word of a title already finds the article.
    found = ArticlePage.objects.live().search("ديربي")
    assert DERBY_TITLE in [a.title for a in found]
    response = client.get("/search/", {"q": "ديربي"})
    assert DERBY_TITLE in response.content.decode().replace("<mark>", "").replace("</mark>", "")  # matched words are highlighted
    assert client.get(found[0].url).status_code == 200
