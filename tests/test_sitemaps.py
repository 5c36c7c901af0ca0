"""Sitemaps: an index of paginated children that validate, the news window, robots.txt."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from akhbar.syndication import sitemaps
from tests.factories import make_article, make_bare_articles, make_section

pytestmark = pytest.mark.django_db
HOST = "127.0.0.1:8123"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def get_xml(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(body)


def local(url: str) -> str:
    assert url.startswith(f"http://{HOST}/"), url
    return url[len(f"http://{HOST}") :]


def urlset_locs(root) -> list[str]:
    assert root.tag == f"{SM}urlset"
    locs = []
    for url in root.findall(f"{SM}url"):
        loc = url.find(f"{SM}loc").text
        assert loc and loc.isascii()  # IRIs percent-encoded
        locs.append(loc)
    return locs


def test_index_and_article_sitemaps_at_120000_articles(client, home):
    """The real index and bucket views over 120,000 live articles (bare rows but one: see
    make_bare_articles), at the production size of 50,000 URLs per sitemap."""
    from collections import Counter

    section = make_section(home, "أرشيف", slug="archive")
    first = make_article(section, "أول خبر في الأرشيف")
    ids = [first.pk, *make_bare_articles(section, first, 119_999)]
    assert len(ids) == 120_000 and ids == list(range(ids[0], ids[0] + 120_000))
    expected = {first.pk: f"http://{HOST}{first.url}"}
    expected.update({pk: f"http://{HOST}/archive/bare-{pk}/" for pk in ids[1:]})
    per_bucket = Counter(pk // 50_000 for pk in ids)
    # ids from a few up to 120,000 and a few: three sitemaps, like ids 1–120,000 (49,999, 50,000, 20,001).
    assert sorted(per_bucket) == [0, 1, 2] and per_bucket[1] == 50_000

    index = get_xml(client, "/sitemap.xml")
    children = [local(entry.find(f"{SM}loc").text) for entry in index.findall(f"{SM}sitemap")]
    assert children == ["/sitemaps/pages.xml", "/sitemaps/news.xml", "/sitemaps/articles-0.xml", "/sitemaps/articles-1.xml", "/sitemaps/articles-2.xml"]
    seen = []
    for bucket in (0, 1, 2):
        locs = urlset_locs(get_xml(client, f"/sitemaps/articles-{bucket}.xml"))
        assert len(locs) == per_bucket[bucket] <= sitemaps.MAX_URLS
        seen += locs
    assert len(seen) == 120_000 and sorted(seen) == sorted(expected.values())  # every article exactly once
    assert client.get("/sitemaps/articles-3.xml").status_code == 404


@override_settings(AKHBAR_SITEMAP_SIZE=10**9)
def test_size_never_exceeds_the_protocol_limit():
    assert sitemaps.bucket_size() == 50_000


def test_index_lists_children_that_validate_and_hold_every_article_once(client, news_tree):
    articles = news_tree["articles"] + [make_article(news_tree["sport"]) for _ in range(6)]
    size = 4
    with override_settings(AKHBAR_SITEMAP_SIZE=size):
        index = get_xml(client, "/sitemap.xml")
        assert index.tag == f"{SM}sitemapindex"
        children = [local(entry.find(f"{SM}loc").text) for entry in index.findall(f"{SM}sitemap")]
        assert "/sitemaps/pages.xml" in children and "/sitemaps/news.xml" in children
        article_children = [path for path in children if path.startswith("/sitemaps/articles-")]
        expected = sorted({article.pk // size for article in articles})
        assert article_children == [f"/sitemaps/articles-{bucket}.xml" for bucket in expected]
        for entry in index.findall(f"{SM}sitemap"):
            if "articles-" in entry.find(f"{SM}loc").text:
                assert dt.datetime.fromisoformat(entry.find(f"{SM}lastmod").text)
        seen = []
        for path in article_children:
            root = get_xml(client, path)
            locs = urlset_locs(root)
            assert 0 < len(locs) <= size
            for url in root.findall(f"{SM}url"):
                assert dt.datetime.fromisoformat(url.find(f"{SM}lastmod").text)
            seen += locs
    assert sorted(seen) == sorted(f"http://{HOST}{article.url}" for article in articles)


def test_article_sitemap_streams_the_bucket_chunk_by_chunk(client, news_tree, monkeypatch):
    """The rows are read with a chunked iterator and the body is produced chunk by chunk,
    so a 50,000-URL bucket never sits whole in memory."""
    from django.db.models.query import QuerySet

    articles = news_tree["articles"] + [make_article(news_tree["sport"]) for _ in range(3)]
    bucket = sitemaps.bucket_of(articles[0].pk, sitemaps.bucket_size())
    assert {sitemaps.bucket_of(article.pk, sitemaps.bucket_size()) for article in articles} == {bucket}
    monkeypatch.setattr(sitemaps, "STREAM_CHUNK", 3)
    chunk_sizes = []
    iterator = QuerySet.iterator

    def recording_iterator(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", recording_iterator)
    response = client.get(f"/sitemaps/articles-{bucket}.xml", HTTP_HOST=HOST)
    assert response.status_code == 200 and response.streaming
    assert chunk_sizes == []  # nothing read yet: rows are read as the body is sent
    parts = list(response.streaming_content)
    assert chunk_sizes == [3]
    assert parts[0].startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and parts[-1] == b"</urlset>\n"
    rows = [part.count(b"<url>") for part in parts[1:-1]]
    assert rows == [3, 3, 2]  # 8 articles, 3 per chunk
    root = ET.fromstring(b"".join(parts))
    assert sorted(urlset_locs(root)) == sorted(f"http://{HOST}{article.url}" for article in articles)


def test_index_gives_the_pages_and_news_sitemaps_a_lastmod(client, news_tree):
    from wagtail.models import Page

    def index_lastmods():
        index = get_xml(client, "/sitemap.xml")
        return {
            local(entry.find(f"{SM}loc").text): dt.datetime.fromisoformat(entry.find(f"{SM}lastmod").text)
            for entry in index.findall(f"{SM}sitemap")
        }

    def seconds(moment):
        return moment.replace(microsecond=0)

    pages = [news_tree[name] for name in ("home", "news", "world", "sport")]
    newest_page = max(filter(None, Page.objects.filter(pk__in=[page.pk for page in pages]).values_list("last_published_at", flat=True)))
    window_start = timezone.now() - dt.timedelta(hours=48)
    in_window = [a for a in news_tree["articles"] if a.published_at >= window_start]
    lastmods = index_lastmods()
    assert lastmods["/sitemaps/pages.xml"] == seconds(newest_page)
    if in_window:
        assert lastmods["/sitemaps/news.xml"] == seconds(max(a.last_published_at for a in in_window))
    # Something new in the news window: the news sitemap's lastmod is its publication.
    fresh = make_article(news_tree["sport"], "خبر اللحظة", published_at=timezone.now())
    assert index_lastmods()["/sitemaps/news.xml"] == seconds(fresh.last_published_at)


def test_news_language_is_arabic():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "ar"
    assert sitemaps.news_language() == "ar"
    for code in ("ar-eg", "ar-SA", "ar_MA"):
        with override_settings(LANGUAGE_CODE=code):
            assert sitemaps.news_language() == "ar"


def test_pages_sitemap_lists_home_and_sections(client, news_tree):
    locs = urlset_locs(get_xml(client, "/sitemaps/pages.xml"))
    assert [local(loc) for loc in locs] == ["/", "/news/", "/news/world/", "/sport/"]


def test_unpublished_articles_are_left_out(client, news_tree):
    gone = news_tree["articles"][0]
    gone.unpublish()
    locs = urlset_locs(get_xml(client, f"/sitemaps/articles-{sitemaps.bucket_of(gone.pk, sitemaps.bucket_size())}.xml"))
    assert f"http://{HOST}{gone.url}" not in locs and len(locs) == 4


@pytest.mark.parametrize("url", ["/sitemaps/articles-999.xml", "/sitemaps/articles-99999999999999999999.xml", "/sitemaps/articles-x.xml"])
def test_empty_or_bad_bucket_is_a_404(client, news_tree, url):
    assert client.get(url).status_code == 404


def test_news_window_is_exactly_48_hours(news_tree):
    from wagtail.models import Site

    now = timezone.now().replace(microsecond=0)
    edge = make_article(news_tree["sport"], "على الحد", published_at=now - dt.timedelta(hours=48))
    make_article(news_tree["sport"], "قبل الحد بلحظة", published_at=now - dt.timedelta(hours=48, microseconds=1))
    make_article(news_tree["sport"], "في المستقبل", published_at=now + dt.timedelta(seconds=1))
    site = Site.objects.get(is_default_site=True)
    titles = [title for _, title, _ in sitemaps.news_articles(site, now)]
    assert titles[-1] == edge.title
    assert "قبل الحد بلحظة" not in titles and "في المستقبل" not in titles
    # The fixture's articles are dated minutes to days ago (a counter shared by the whole run).
    inside = [a for a in news_tree["articles"] if now - dt.timedelta(hours=48) <= a.published_at <= now]
    assert len(titles) == len(inside) + 1


def test_news_sitemap_structure(client, news_tree):
    make_article(news_tree["sport"], "خبر قديم", published_at=timezone.now() - dt.timedelta(hours=49))
    newest = make_article(news_tree["sport"], "عنوان & <خاص>", published_at=timezone.now())
    root = get_xml(client, "/sitemaps/news.xml")
    urls = root.findall(f"{SM}url")
    window_start = timezone.now() - dt.timedelta(hours=48)
    assert len(urls) == len([a for a in news_tree["articles"] if a.published_at >= window_start]) + 1
    first = urls[0]
    assert local(first.find(f"{SM}loc").text) == newest.url
    news = first.find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "أخبار"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "ar"
    assert news.find(f"{NEWS}title").text == "عنوان & <خاص>"
    published = dt.datetime.fromisoformat(news.find(f"{NEWS}publication_date").text)
    assert abs(published - newest.published_at) < dt.timedelta(seconds=1)
    assert "خبر قديم" not in [url.find(f"{NEWS}news/{NEWS}title").text for url in urls]


def test_robots_txt_lists_the_sitemaps(client, db):
    response = client.get("/robots.txt", HTTP_HOST=HOST)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Sitemap: http://{HOST}/sitemap.xml" in text
    assert f"Sitemap: http://{HOST}/sitemaps/news.xml" in text
    assert "Disallow: /admin/" in text


def _count(client, url):
    for _ in range(2):  # warm per-process memos (site, settings, the tree's generation) as a running server has them
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_sitemap_queries_do_not_grow_with_articles(client, news_tree):
    bucket = sitemaps.bucket_of(news_tree["articles"][0].pk, sitemaps.bucket_size())
    urls = ["/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/news.xml", f"/sitemaps/articles-{bucket}.xml", "/robots.txt"]
    small = {url: _count(client, url) for url in urls}
    for _ in range(10):
        make_article(news_tree["world"])
    assert {url: _count(client, url) for url in urls} == small
