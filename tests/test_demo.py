"""`akhbar seed_demo`: what a seeded site contains, and that seeding twice changes nothing.

Failure paths and search without a worker, which need an empty database, are in
test_demo_seeding.py."""

import datetime as dt
import io
import json
import re
from urllib.parse import urlparse

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from akhbar.demo.content import load_content
from akhbar.navigation.models import NavigationSettings
from akhbar.news.models import ArticlePage, ArticlePageTag, Author, HomePage, SectionPage, StandardPage

Image = get_image_model()
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DERBY_TITLE = "الريحان يحسم ديربي الساحل بهدفين لهدف في الدقائق الأخيرة"


def seed(**options) -> str:
    """Run the command; messages in English so assertions hold once Arabic translations land."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    """Row counts a second seeding run must leave alone."""
    return {
        model.__name__: model.objects.count()
        for model in (Page, Revision, Image, Author, Tag, ArticlePageTag, NavigationSettings, Site)
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for this module inside a transaction that is rolled back at its end.

    Seeding takes several seconds; every test here only reads the result (each test's own
    transaction is a savepoint inside this one, so anything a test writes is undone too).
    Tasks go to the dummy backend: the seeder indexes on its own, and running Wagtail's
    per-save index tasks inline would only triple the time.
    """
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(TASKS=QUEUE_ONLY):
        output = seed()
        yield output
        transaction.set_rollback(True)


def body_blocks(article, kind: str) -> list:
    return [block.value for block in article.body if block.block_type == kind]


# --- the site a reader gets ---------------------------------------------------------------


def test_seeding_builds_a_news_site_with_original_articles(seeded, db):
    assert "27 articles" in seeded
    articles = list(ArticlePage.objects.live().select_related("section").prefetch_related("tags", "authors"))
    assert len(articles) >= 24

    sections_used = {a.section for a in articles}
    assert len(sections_used) >= 4
    # أخبار › أخبار حول العالم › من مراسلينا: articles three section levels below the home page.
    assert any(section.depth >= 5 for section in sections_used)
    deepest = max(sections_used, key=lambda s: s.depth)
    assert [p.title for p in deepest.get_ancestors().filter(depth__gte=3)] == ["أخبار", "أخبار حول العالم"]

    now = timezone.now()
    for article in articles:
        assert 2 <= len(article.tags.all()) <= 5, article.title
        assert article.authors.exists(), article.title
        assert article.source_name, article.title
        assert article.lede and article.featured_image_id, article.title
        assert now - dt.timedelta(days=11) < article.published_at < now, article.title
        assert article.live_revision_id is not None, article.title
        assert len(body_blocks(article, "paragraph")) >= 1
    with_quotes = [a for a in articles if any(q["speaker"] for q in body_blocks(a, "quotation"))]
    assert len(with_quotes) >= 0.8 * len(articles)
    assert any(body_blocks(a, "subheading") for a in articles)
    assert any(body_blocks(a, "embed") for a in articles)
    credited = [img for a in articles for img in body_blocks(a, "image")]
    assert credited and all(img["caption"] and img["credit"].startswith("تصوير") for img in credited)
    assert any(a.kicker == "عاجل" for a in articles)

    # Dates are spread over several days, and tags are shared so «related topics» has material.
    dates = sorted(a.published_at for a in articles)
    assert dates[-1] - dates[0] > dt.timedelta(days=5)
    shared = Tag.objects.filter(news_articlepagetag_items__isnull=False).distinct()
    assert any(ArticlePageTag.objects.filter(tag=tag).count() >= 3 for tag in shared)
    assert Page.find_problems() == ([], [], [], [], [])


def test_home_page_replaces_the_welcome_page_and_footer_pages_are_linked(seeded, db):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.site_name == "أخبار"
    assert (site.hostname, site.port) == ("localhost", 80)
    # Only the home page sits under the root: Wagtail's welcome page is gone.
    assert [type(p.specific) for p in Page.get_first_root_node().get_children()] == [HomePage]

    menu = SectionPage.objects.child_of(site.root_page).live()
    assert menu.count() >= 4 and all(s.show_in_menus for s in menu)
    assert all(s.intro for s in SectionPage.objects.all())

    navigation = NavigationSettings.for_site(site)
    footer = [navigation.about_page, navigation.contact_page, navigation.privacy_page]
    assert [p.title for p in footer] == ["من نحن", "اتصل بنا", "سياسة الخصوصية"]
    assert all(p.live and isinstance(p.specific, StandardPage) for p in footer)
    assert "لا يضع موقع أخبار أي ملف تعريف ارتباط" in navigation.privacy_page.specific.body


def test_authors_and_pictures_are_generated_locally(seeded, db):
    authors = Author.objects.select_related("photo")
    assert authors.count() >= 6
    assert all(a.role and a.bio and a.photo_id for a in authors)

    featured = Image.objects.filter(pk__in=ArticlePage.objects.values("featured_image"))
    assert featured.count() == ArticlePage.objects.count()
    for image in featured:
        assert (image.width, image.height) == (1600, 900)
        assert image.file.name.endswith(".jpg")
        assert 2_000 < image.file_size < 150_000  # small enough to keep a fresh checkout light
        assert image.description
    assert len({img.file_hash for img in Image.objects.all()}) == Image.objects.count()


def test_pages_render_after_seeding(seeded, db, client):
    article = ArticlePage.objects.get(title=DERBY_TITLE)
    nested = SectionPage.objects.get(slug="correspondents")
    for page in (Site.objects.get().root_page, nested, article, NavigationSettings.objects.get().privacy_page):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert not response.cookies, page.url

    html = client.get(article.url).content.decode()
    assert DERBY_TITLE in html
    assert "منير العطار" in html and "<blockquote" in html
    assert "الاتحاد المحلي لكرة القدم" in html
    home = client.get("/").content.decode()
    assert "رياضة" in home and "من مراسلينا" not in home.split("<main", 1)[0]


def test_seeded_pages_open_in_the_admin_editor(seeded, db, client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "x-unused-x")
    client.force_login(editor)
    with_picture = ArticlePage.objects.get(title=DERBY_TITLE)
    with_embed = next(a for a in ArticlePage.objects.all() if body_blocks(a, "embed"))
    for page in (with_picture, with_embed, Site.objects.get().root_page):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page.title
    assert client.get(f"/admin/snippets/news/author/edit/{Author.objects.first().pk}/").status_code == 200


# --- runs that must change nothing ----------------------------------------------------------


def test_if_empty_second_run_changes_nothing(seeded, db):
    before = snapshot()
    output = seed(if_empty=True)
    assert "already has content" in output
    assert snapshot() == before


def test_second_run_without_if_empty_refuses(seeded, db):
    before = snapshot()
    with pytest.raises(CommandError):
        seed()
    assert snapshot() == before


# --- the content files themselves ---------------------------------------------------------------


def test_content_files_describe_enough_varied_articles():
    content = load_content()
    assert len(content.articles) >= 24
    assert len({a.section for a in content.articles}) >= 4
    assert len({a.title for a in content.articles}) == len(content.articles)
    for article in content.articles:
        for url in [article.source_url] + [b["url"] for b in article.body if b["type"] == "embed"]:
            if url:
                host = urlparse(url).hostname
                # Invented sources only point at reserved example domains; embeds at a video host pattern.
                assert host.endswith(("example.org", "example.com")) or host.endswith("youtube.com"), url


def _words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub("[\u064b-\u0652\u0670\u0640]", "", text)
    return re.findall(r"\w+", text)


def _demo_texts() -> list[str]:
    content = load_content()
    texts = [p.body for p in content.pages]
    for article in content.articles:
        texts += [article.title, article.lede]
        texts += [b.get("text", "") for b in article.body]
    return texts


SHINGLE = 8


def test_demo_text_is_not_copied_from_the_corpus(corpus_dir):
    """No demo title equals a corpus title, and no run of eight words is shared with the sample."""
    demo_shingles = set()
    for text in _demo_texts():
        words = _words(text)
        demo_shingles.update(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    demo_titles = {a.title for a in load_content().articles}

    copied = []
    with open(corpus_dir / "ant_sample_1000.jsonl", encoding="utf-8") as sample:
        for line in sample:
            record = json.loads(line)
            assert record["title"].strip() not in demo_titles
            words = _words(f"{record.get('title', '')} {record.get('body', '')} {record.get('summary', '')}")
            copied += [
                " ".join(words[i : i + SHINGLE])
                for i in range(len(words) - SHINGLE + 1)
                if tuple(words[i : i + SHINGLE]) in demo_shingles
            ]
    assert copied == []
