"""Reader pages cost a fixed number of queries, whatever the size of the archive.

The same pages are rendered over a site with 10 articles and again after it grew to 1,000 (imported
through the batched importer); the query counts must be identical and stay under a budget.
"""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from akhbar.news.listings import encode_cursor, section_articles
from akhbar.news.models import ArticlePage, Author, SectionPage
from tests.factories import make_home

pytestmark = pytest.mark.django_db

BUDGET = 30
# Reader pages, tighter: a page over its budget here was made slower by a change.
PAGE_BUDGETS = {"home": 4, "section": 4, "section, later batch": 4, "show more fragment": 3, "article": 8, "short link": 2, "tag": 2, "author": 2}
TAG_POOL = [f"وسم {n}" for n in range(30)]
CATEGORIES = ["sport", "economy", "culture"]


def write_records(path, numbers) -> None:
    start = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)
    with path.open("w", encoding="utf-8") as handle:
        for n in numbers:
            record = {
                "id": f"budget-{n}",
                "title": f"عنوان الخبر رقم {n} عن المدينة",
                "body": "الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر وفيها تفاصيل.",
                "category": CATEGORIES[n % len(CATEGORIES)],
                "date": (start + dt.timedelta(minutes=n)).isoformat(),
                "tags": [TAG_POOL[n % 30], TAG_POOL[(n * 7 + 1) % 30], TAG_POOL[(n * 11 + 2) % 30]],
                "summary": "ملخص قصير للخبر.",
                "author": f"مراسل {n % 5}",
                "source_url": f"https://example.org/news/{n}",
                "publisher": "وكالة الأنباء",
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def grow_archive_to(tmp_path, total: int) -> None:
    """Import articles until the archive holds `total` of them (ids continue where they stopped)."""
    have = ArticlePage.objects.count()
    source = tmp_path / f"articles-{have}-{total}.jsonl"
    write_records(source, range(have, total))
    call_command("import_jsonl", str(source), quiet=True)
    assert ArticlePage.objects.live().count() == total


def page_urls(client) -> dict[str, str]:
    newest = ArticlePage.objects.live().order_by("-published_at").first()
    section = SectionPage.objects.get(slug="sport")
    cursor = encode_cursor(section_articles(section)[2])  # «show more» after the third card
    return {
        "home": "/",
        "section": section.url,
        "section, later batch": f"{section.url}?before={cursor}",
        "show more fragment": f"{section.url}?before={cursor}&fragment=1",
        "article": newest.url,
        "short link": f"/a/{newest.pk}/",
        "tag": f"/tags/{newest.tags.first().slug}/",
        "author": f"/authors/{Author.objects.order_by('slug').first().slug}/",
        "search": "/search/?q=المدينة",
        "API search": "/api/v2/pages/?search=المدينة&type=news.ArticlePage&fields=external_id&limit=10",
        "feed": "/feed/",
        "section feed, full text": "/feed/atom/section/sport/?full=1",
        "tag feed": f"/feed/tag/{newest.tags.first().slug}/",
        "sitemap index": "/sitemap.xml",
        "news sitemap": "/sitemaps/news.xml",
        "article sitemap": "/sitemaps/articles-0.xml",
    }


def query_counts(client) -> dict[str, int]:
    counts = {}
    urls = page_urls(client)
    # Warm the caches (site, settings, menu) as a running server has them; twice, because the
    # first request of all creates the site's settings, which starts a new generation.
    for url in [*urls.values(), *urls.values()]:
        client.get(url)
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:  # a streamed sitemap queries as it is read
                b"".join(response.streaming_content)
        assert response.status_code in (200, 301), (name, url, response.status_code)
        counts[name] = len(queries)
    return counts


def test_query_counts_are_the_same_with_10_and_1000_articles(tmp_path, client):
    make_home()
    grow_archive_to(tmp_path, 10)
    small = query_counts(client)
    grow_archive_to(tmp_path, 1000)
    large = query_counts(client)
    assert large == small
    over = {name: n for name, n in large.items() if n > BUDGET}
    assert not over, f"pages over the budget of {BUDGET} queries: {over}"
    over = {name: n for name, n in large.items() if n > PAGE_BUDGETS.get(name, BUDGET)}
    assert not over, f"reader pages over their budgets {PAGE_BUDGETS}: {over}"
