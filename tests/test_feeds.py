"""RSS and Atom feeds: parse cleanly, newest first, stable GUIDs, images, full text, bounded queries."""

import datetime as dt
from xml.etree import ElementTree as ET

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from akhbar.syndication.feeds import MEDIA_NS
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
HOST = "127.0.0.1:8123"


def fetch(client, url, **params):
    response = client.get(url, params, HTTP_HOST=HOST)
    assert response.status_code == 200, (url, response.status_code)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.fixture
def dated_tree(news_tree):
    """Articles at known, distinct times (newest in «world»), with a tag and an author."""
    author = make_author("ليلى حداد", slug="layla")
    now = timezone.now()
    extra = [
        make_article(news_tree["world"], f"خبر العالم {n}", tags=["تونس"], authors=[author], published_at=now - dt.timedelta(seconds=n))
        for n in range(1, 4)
    ]
    return {**news_tree, "author": author, "newest": extra}


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_site_feed_lists_the_newest_articles_in_order(client, dated_tree, url):
    response, parsed = fetch(client, url)
    assert response["Content-Type"].startswith("application/rss+xml" if "atom" not in url else "application/atom+xml")
    titles = [entry.title for entry in parsed.entries]
    assert titles[:3] == ["خبر العالم 1", "خبر العالم 2", "خبر العالم 3"]
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    assert parsed.entries[0].link.startswith(f"http://{HOST}/news/world/")
    assert parsed.entries[0].summary == "ملخص الخبر في جملة واحدة."


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
@override_settings(AKHBAR_FEED_ITEMS=4)
def test_feed_holds_the_newest_n(client, dated_tree, url):
    articles = dated_tree["articles"] + dated_tree["newest"]
    newest = sorted(articles, key=lambda article: article.published_at, reverse=True)[:4]
    # Distinct times, so «the newest four, in order» has one answer; they span both fixtures.
    assert len({article.published_at for article in articles}) == len(articles)
    assert newest[:3] == dated_tree["newest"] and newest[3] in dated_tree["articles"]
    _, parsed = fetch(client, url)
    assert [(entry.title, entry.link) for entry in parsed.entries] == [
        (article.title, f"http://{HOST}{article.url}") for article in newest
    ]


@pytest.mark.parametrize("prefix", ["/feed/", "/feed/atom/"])
def test_section_tag_and_author_feeds(client, dated_tree, prefix):
    _, news = fetch(client, f"{prefix}section/news/")
    # A section's feed holds its subsections' articles.
    assert len(news.entries) == 6 and all("/news/world/" in entry.link for entry in news.entries)
    assert news.feed.title.startswith("أخبار")
    _, world = fetch(client, f"{prefix}section/news/world/")
    assert len(world.entries) == 6
    _, sport = fetch(client, f"{prefix}section/sport/")
    assert len(sport.entries) == 2
    _, tag = fetch(client, f"{prefix}tag/{dated_tree['newest'][0].tags.first().slug}/")
    assert len(tag.entries) == 6
    _, author = fetch(client, f"{prefix}author/layla/")
    assert [entry.title for entry in author.entries] == ["خبر العالم 1", "خبر العالم 2", "خبر العالم 3"]
    assert author.entries[0].author == "ليلى حداد"


@pytest.mark.parametrize("url", ["/feed/section/nowhere/", "/feed/tag/nothing/", "/feed/author/nobody/", "/feed/atom/section/news/x/"])
def test_unknown_feed_is_a_404(client, news_tree, url):
    assert client.get(url).status_code == 404


def test_guid_does_not_change_when_an_article_is_edited(client, dated_tree):
    article = dated_tree["newest"][0]
    _, before = fetch(client, "/feed/")
    guid = before.entries[0].id
    assert guid.startswith(f"tag:localhost,{article.first_published_at.astimezone(dt.UTC).date().isoformat()}:article-{article.pk}")
    article.title = "عنوان جديد بعد التعديل"
    article.slug = "renamed"
    article.save_revision().publish()
    _, after = fetch(client, "/feed/")
    assert after.entries[0].title == "عنوان جديد بعد التعديل"
    assert after.entries[0].id == guid
    assert after.entries[0].link.endswith("/renamed/")
    _, atom = fetch(client, "/feed/atom/")
    assert atom.entries[0].id == guid


def test_rss_guid_is_not_a_permalink(client, dated_tree):
    response = client.get("/feed/")
    item = ET.fromstring(response.content).find("channel/item")
    assert item.find("guid").get("isPermaLink") == "false"


def test_full_text_on_request(client, dated_tree):
    _, summary = fetch(client, "/feed/")
    assert "content" not in summary.entries[0]
    for url in ["/feed/", "/feed/atom/"]:
        _, full = fetch(client, url, full="1")
        assert "نص الخبر الأول" in full.entries[0].content[0].value


def test_full_text_by_site_setting(client, dated_tree):
    from wagtail.models import Site

    from akhbar.syndication.models import SyndicationSettings

    SyndicationSettings.objects.update_or_create(site=Site.objects.get(is_default_site=True), defaults={"full_text_feeds": True})
    _, full = fetch(client, "/feed/")
    assert "نص الخبر الأول" in full.entries[0].content[0].value


def test_featured_image_as_enclosure_and_media_content(client, news_tree):
    from wagtail.images.tests.utils import get_test_image_file

    from wagtail.images.models import Image

    image = Image.objects.create(title="صورة", file=get_test_image_file(size=(1600, 900)))
    article = make_article(news_tree["sport"], "خبر بصورة", featured_image=image, published_at=timezone.now())
    _, parsed = fetch(client, "/feed/")
    entry = parsed.entries[0]
    assert entry.title == article.title
    enclosure = entry.enclosures[0]
    assert enclosure.href.startswith(f"http://{HOST}/media/") and enclosure.type == "image/webp"
    assert int(enclosure.length) > 0
    root = ET.fromstring(client.get("/feed/", HTTP_HOST=HOST).content)
    media = root.find("channel/item").find(f"{{{MEDIA_NS}}}content")
    assert (media.get("width"), media.get("height")) == ("1280", "720")
    atom = ET.fromstring(client.get("/feed/atom/", HTTP_HOST=HOST).content)
    entry = atom.find("{http://www.w3.org/2005/Atom}entry")
    assert entry.find(f"{{{MEDIA_NS}}}content").get("width") == "1280"


def test_dates_are_right(client, dated_tree):
    article = dated_tree["newest"][0]
    _, rss = fetch(client, "/feed/")
    published = dt.datetime(*rss.entries[0].published_parsed[:6], tzinfo=dt.UTC)
    assert abs(published - article.published_at) < dt.timedelta(seconds=1)
    _, atom = fetch(client, "/feed/atom/")
    updated = dt.datetime(*atom.entries[0].updated_parsed[:6], tzinfo=dt.UTC)
    assert abs(updated - article.last_published_at) < dt.timedelta(seconds=1)


def test_hostile_text_still_makes_a_valid_feed(client, news_tree):
    make_article(news_tree["sport"], "عنوان <script>alert(1)</script> \u202e & \x07", lede="ملخص\x01 <b>", published_at=timezone.now())
    _, parsed = fetch(client, "/feed/")
    assert "<script>" in parsed.entries[0].title  # text, escaped in the XML
    _, atom = fetch(client, "/feed/atom/", full="1")
    assert atom.entries


def _count(client, url):
    client.get(url)  # warm per-process memos (site, settings, the tree's generation) as a running server has them
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feed_queries_do_not_grow_with_items(client, news_tree):
    urls = ["/feed/", "/feed/atom/", "/feed/section/news/", "/feed/tag/" + news_tree["articles"][0].tags.first().slug + "/"]
    small = {url: _count(client, url) for url in urls}
    author = make_author("كاتب", slug="writer")
    for n in range(12):
        make_article(news_tree["world"], tags=["تونس", f"وسم {n}"], authors=[author])
    large = {url: _count(client, url) for url in urls}
    assert large == small
    assert max(large.values()) <= 12, large
