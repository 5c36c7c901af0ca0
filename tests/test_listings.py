"""Keyset-paginated listings and related stories."""

import datetime as dt

import pytest
from django.utils import timezone

from akhbar.news.listings import decode_cursor, paginate, section_articles, tag_articles
from akhbar.news.related import related_articles
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def walk(queryset, size):
    """Follow «show more» cursors to the end; returns the pages seen."""
    pages, cursor = [], None
    while True:
        batch = paginate(queryset, cursor, size=size)
        pages.append([a.pk for a in batch.items])
        if not batch.next_cursor:
            return pages
        cursor = batch.next_cursor


def test_keyset_walk_visits_every_article_once_newest_first_even_with_equal_dates(news_tree):
    section = news_tree["sport"]
    same_moment = timezone.now() - dt.timedelta(hours=3)
    tied = [make_article(section, published_at=same_moment) for _ in range(5)]
    pages = walk(section_articles(section), size=3)
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen)) == 7
    assert set(a.pk for a in tied) <= set(seen)
    from akhbar.news.models import ArticlePage

    dates = [ArticlePage.objects.get(pk=pk).published_at for pk in seen]
    assert dates == sorted(dates, reverse=True)


def test_section_listing_includes_subsections_and_excludes_drafts_and_other_sections(news_tree):
    draft = make_article(news_tree["world"])
    draft.unpublish()
    listed = {a.pk for a in section_articles(news_tree["news"])}
    world_live = {a.pk for a in news_tree["articles"][:3]}
    assert listed == world_live
    assert draft.pk not in listed


def test_malformed_cursors_start_from_the_top(news_tree):
    first = paginate(section_articles(news_tree["news"]), None, size=2)
    for junk in ["", "abc", "1-2-3", "9" * 60, "-5", "17000000000000000000000-1", "١٢-٣", "12-", "'; DROP TABLE x"]:
        assert decode_cursor(junk) is None, junk
        batch = paginate(section_articles(news_tree["news"]), junk, size=2)
        assert [a.pk for a in batch.items] == [a.pk for a in first.items]


def test_tag_listing(news_tree):
    tagged = {a.pk for a in news_tree["articles"][:3]}
    from taggit.models import Tag

    tag = Tag.objects.get(name="تونس")
    assert {a.pk for a in tag_articles(tag)} == tagged


def test_related_prefers_most_shared_tags_then_newest_then_same_section(home):
    culture = make_section(home, "ثقافة", slug="culture")
    other = make_section(home, "اقتصاد", slug="economy")
    now = timezone.now()
    article = make_article(culture, tags=["مسرح", "قرطاج", "صيف"], published_at=now)
    two_shared_old = make_article(other, tags=["مسرح", "قرطاج"], published_at=now - dt.timedelta(days=30))
    one_shared_new = make_article(other, tags=["صيف"], published_at=now - dt.timedelta(days=1))
    one_shared_older = make_article(other, tags=["مسرح"], published_at=now - dt.timedelta(days=2))
    same_section = make_article(culture, published_at=now - dt.timedelta(days=3))
    make_article(other, tags=["كرة القدم"], published_at=now - dt.timedelta(hours=1))  # unrelated
    unpublished = make_article(other, tags=["مسرح", "قرطاج", "صيف"], published_at=now - dt.timedelta(hours=2))
    unpublished.unpublish()

    related = [a.pk for a in related_articles(article)]
    assert related == [two_shared_old.pk, one_shared_new.pk, one_shared_older.pk, same_section.pk]


def test_related_is_bounded_per_tag(home):
    section = make_section(home, "رياضة", slug="sport")
    article = make_article(section, tags=["كرة القدم"])
    for _ in range(8):
        make_article(section, tags=["كرة القدم"])
    related = related_articles(article, limit=6)
    assert len(related) == 6
    assert article.pk not in {a.pk for a in related}


def test_home_blocks_show_each_sections_four_newest_including_subsections(client, home):
    from bs4 import BeautifulSoup

    news = make_section(home, "أخبار", slug="news")
    world = make_section(news, "العالم", slug="world")
    sport = make_section(home, "رياضة", slug="sport")
    start = timezone.now() - dt.timedelta(days=1)
    for hour in range(6):  # alternating between the section and its subsection, oldest first
        make_article(news if hour % 2 else world, f"خبر {hour}", published_at=start + dt.timedelta(hours=hour))
    make_article(sport, "مباراة قديمة", published_at=start - dt.timedelta(days=3))
    make_article(sport, "مباراة جديدة", published_at=start + dt.timedelta(hours=1))
    unpublished = make_article(sport, "مباراة لم تنشر", published_at=start + dt.timedelta(hours=2))
    unpublished.unpublish()

    page = BeautifulSoup(client.get("/").content, "html.parser")
    blocks = {
        block.select_one("h2 a").get_text(strip=True): [a.get_text(strip=True) for a in block.select("li.card .card__title a")]
        for block in page.select("section.home-section")
    }
    assert blocks == {"أخبار": ["خبر 5", "خبر 4", "خبر 3", "خبر 2"], "رياضة": ["مباراة جديدة", "مباراة قديمة"]}
