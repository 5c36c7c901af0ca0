"""Keyset-paginated listings and related stories."""

import datetime as dt

import pytest
from django.utils import timezone

from akhbar.news.listings import author_articles, decode_cursor, paginate, section_articles, tag_articles
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


@pytest.mark.parametrize("listing", ["tag", "author"])
def test_tag_and_author_listings_walk_newest_first_through_their_link_tables(news_tree, listing):
    from akhbar.news.models import Author

    author = Author.objects.create(name="كاتبة غزيرة", slug="prolific")
    same_moment = timezone.now() - dt.timedelta(hours=5)
    articles = [
        make_article(news_tree["sport"] if n % 2 else news_tree["world"], tags=["ملف"], authors=[author],
                     published_at=same_moment if n < 4 else same_moment - dt.timedelta(minutes=n))
        for n in range(9)
    ]
    other = make_article(news_tree["world"], tags=["آخر"], authors=[Author.objects.create(name="غيرها", slug="other")])
    from taggit.models import Tag

    queryset = tag_articles(Tag.objects.get(name="ملف")) if listing == "tag" else author_articles(author)
    seen = [pk for page in walk(queryset, size=2) for pk in page]
    assert len(seen) == len(set(seen)) == 9 and other.pk not in seen
    expected = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    assert seen == [a.pk for a in expected]


def test_an_author_listing_follows_edits_to_the_byline_and_the_date(news_tree):
    from akhbar.news.models import ArticlePage, Author

    first, second = Author.objects.create(name="الأولى", slug="first"), Author.objects.create(name="الثانية", slug="second")
    older = make_article(news_tree["world"], authors=[first], published_at=timezone.now() - dt.timedelta(days=2))
    newer = make_article(news_tree["world"], authors=[first], published_at=timezone.now() - dt.timedelta(days=1))
    assert [a.pk for a in author_articles(first)] == [newer.pk, older.pk]

    older = ArticlePage.objects.get(pk=older.pk)
    older.authors = [first, second]
    older.published_at = timezone.now()
    older.save_revision().publish()
    assert [a.pk for a in author_articles(first)] == [older.pk, newer.pk]
    assert [a.pk for a in author_articles(second)] == [older.pk]

    newer = ArticlePage.objects.get(pk=newer.pk)
    newer.authors = [second]
    newer.save_revision().publish()
    assert [a.pk for a in author_articles(first)] == [older.pk]
    assert [a.pk for a in author_articles(second)] == [older.pk, newer.pk]

    newer.unpublish()
    assert [a.pk for a in author_articles(second)] == [older.pk]
    ArticlePage.objects.get(pk=older.pk).delete()
    assert list(author_articles(second)) == list(author_articles(first)) == []


def listing_plan(queryset) -> str:
    from django.db import connection

    sql, params = queryset[:13].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of test rows: forbid what is cheap only at that size, to see what it can do at scale.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.mark.parametrize("listing", ["tag", "author"])
def test_tag_and_author_pages_read_their_link_index_in_order_without_sorting(news_tree, listing):
    """A prolific author's page must not sort every article they wrote: the (link, date) index
    hands the newest ones over in order, so the cost is that of one page of cards."""
    from taggit.models import Tag

    from akhbar.news.models import Author

    author = Author.objects.create(name="كاتبة", slug="writer")
    make_article(news_tree["world"], tags=["ملف"], authors=[author])
    queryset = tag_articles(Tag.objects.get(name="ملف")) if listing == "tag" else author_articles(author)
    plan = listing_plan(queryset)
    index = "news_tag_date_idx" if listing == "tag" else "news_credit_date_idx"
    assert index in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort" not in plan, plan


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
