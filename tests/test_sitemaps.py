"""Sitemaps: an index of paginated children that validate, the news window, robots.txt."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from akhbar.syndication import sitemaps
from tests.factories import make_article

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


def test_bucket_arithmetic_at_120000_articles():
    size = 50_000
    assert sitemaps.buckets_for_ids(1, 120_000, size) == [0, 1, 2]
    counts = {}
    for bucket in (0, 1, 2):
        low, high = sitemaps.bucket_bounds(bucket, size)
        counts[bucket] = len(range(max(low, 1), min(high, 120_001)))
    assert counts == {0: 49_999, 1: 50_000, 2: 20_001}
    assert sum(counts.values()) == 120_000
    assert sitemaps.bucket_of(49_999, size) == 0 and sitemaps.bucket_of(50_000, size) == 1
    assert sitemaps.bucket_of(120_000, size) == 2


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
