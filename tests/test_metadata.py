"""Metadata on reader pages: description, canonical, Open Graph, Twitter card, feeds, JSON-LD."""

import json
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from akhbar.syndication.metadata import json_ld
from akhbar.syndication.models import SyndicationSettings
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
HOST = "127.0.0.1:8123"
BASE = f"http://{HOST}"


def get_page(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def meta(page, name: str) -> str | None:
    element = page.select_one(f'meta[property="{name}"]') or page.select_one(f'meta[name="{name}"]')
    return element["content"] if element else None


def structured(page) -> dict[str, dict]:
    found = {}
    for script in page.select('script[type="application/ld+json"]'):
        data = json.loads(script.get_text())
        assert data["@context"] == "https://schema.org"
        found[data["@type"]] = data
    return found


def feeds(page) -> dict[str, str]:
    return {unquote(link["href"]): link["type"] for link in page.select('link[rel="alternate"]')}


@pytest.fixture
def publisher(db, home):
    logo = Image.objects.create(title="الشعار", file=get_test_image_file(size=(800, 200)))
    return SyndicationSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        publisher_name="صحيفة أخبار اليوم",
        logo=logo,
        twitter_handle="@akhbar",
        facebook_url="https://facebook.com/akhbar",
    )


@pytest.fixture
def story(news_tree, publisher):
    image = Image.objects.create(title="صورة الخبر", file=get_test_image_file(size=(1600, 900)))
    author = make_author("ليلى حداد", slug="layla")
    return make_article(
        news_tree["world"],
        "اتفاق جديد بين البلدين",
        lede="وقّع البلدان اتفاقًا للتعاون الاقتصادي.",
        tags=["اقتصاد", "تونس"],
        authors=[author],
        featured_image=image,
        published_at=timezone.now(),
    )


def test_article_metadata(client, story):
    page = get_page(client, story.url)
    url = BASE + story.url
    assert page.select_one('link[rel="canonical"]')["href"] == url
    assert meta(page, "description") == story.lede
    assert meta(page, "og:description") == story.lede
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:image").startswith(f"{BASE}/media/images/")
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1280", "720")
    assert meta(page, "article:published_time") == story.published_at.isoformat(timespec="seconds")
    assert meta(page, "article:modified_time")
    assert meta(page, "article:section") == "أخبار حول العالم"
    assert sorted(tag["content"] for tag in page.select('meta[property="article:tag"]')) == ["اقتصاد", "تونس"]
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:site") == "@akhbar"
    assert feeds(page) == {f"{BASE}/feed/": "application/rss+xml", f"{BASE}/feed/atom/": "application/atom+xml"}

    data = structured(page)
    article = data["NewsArticle"]
    assert article["headline"] == story.title
    assert article["mainEntityOfPage"]["@id"] == url
    assert article["datePublished"] == story.published_at.isoformat(timespec="seconds")
    assert article["dateModified"]
    assert article["author"] == [{"@type": "Person", "name": "ليلى حداد", "url": f"{BASE}/authors/layla/"}]
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "صحيفة أخبار اليوم"
    assert publisher["logo"]["url"].startswith(f"{BASE}/media/images/") and publisher["logo"]["height"] <= 60
    assert publisher["sameAs"] == ["https://x.com/akhbar", "https://facebook.com/akhbar"]
    assert article["image"][0]["url"] == meta(page, "og:image") and article["image"][0]["width"] == 1280
    assert article["articleSection"] == "أخبار حول العالم"
    assert sorted(article["keywords"]) == ["اقتصاد", "تونس"]
    assert article["inLanguage"] == "ar" and article["isAccessibleForFree"] is True
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"]) for c in crumbs] == [
        (1, "الرئيسية"),
        (2, "أخبار"),
        (3, "أخبار حول العالم"),
        (4, story.title),
    ]
    assert crumbs[0]["item"] == f"{BASE}/" and crumbs[-1]["item"] == url


def test_home_metadata_has_website_with_search_and_organization(client, news_tree, publisher):
    page = get_page(client, "/")
    assert page.select_one('link[rel="canonical"]')["href"] == f"{BASE}/"
    assert meta(page, "description")
    assert meta(page, "og:type") == "website" and meta(page, "twitter:card") == "summary"
    data = structured(page)
    website = data["WebSite"]
    assert website["url"] == f"{BASE}/" and website["name"] == "صحيفة أخبار اليوم"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{BASE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert data["Organization"]["logo"]["url"].startswith(BASE)
    assert f"{BASE}/feed/" in feeds(page)


def assert_social_tags(page, url: str, title: str, description: str, og_type: str = "website", card: str = "summary"):
    """Canonical, Open Graph and Twitter card tags as a crawler reads them."""
    assert page.select_one('link[rel="canonical"]')["href"] == url
    assert meta(page, "og:url") == url
    assert meta(page, "og:type") == og_type
    assert meta(page, "og:title") == title
    assert meta(page, "description") == description and meta(page, "og:description") == description
    assert meta(page, "og:locale") == "ar_AR"
    assert meta(page, "twitter:card") == card


def test_section_metadata_and_its_feeds(client, news_tree, publisher):
    page = get_page(client, news_tree["world"].url)
    assert meta(page, "description") == "آخر أخبار أخبار حول العالم."
    assert_social_tags(page, BASE + news_tree["world"].url, "أخبار حول العالم", "آخر أخبار أخبار حول العالم.")
    assert meta(page, "twitter:site") == "@akhbar"
    assert meta(page, "og:site_name") == "صحيفة أخبار اليوم"
    assert meta(page, "og:image") is None  # no default share image set
    assert feeds(page) == {
        f"{BASE}/feed/": "application/rss+xml",
        f"{BASE}/feed/atom/": "application/atom+xml",
        f"{BASE}/feed/section/news/world/": "application/rss+xml",
        f"{BASE}/feed/atom/section/news/world/": "application/atom+xml",
    }
    for href in feeds(page):
        assert client.get(href, HTTP_HOST=HOST).status_code == 200
    data = structured(page)
    assert data["CollectionPage"]["url"] == BASE + news_tree["world"].url
    assert [c["name"] for c in data["BreadcrumbList"]["itemListElement"]] == ["الرئيسية", "أخبار", "أخبار حول العالم"]


def test_tag_metadata_and_its_feeds(client, news_tree, publisher):
    slug = news_tree["articles"][0].tags.first().slug
    page = get_page(client, f"/tags/{slug}/")
    assert meta(page, "description") == "آخر الأخبار عن تونس."
    assert slug == "تونس"
    assert_social_tags(page, f"{BASE}/tags/%D8%AA%D9%88%D9%86%D8%B3/", "تونس", "آخر الأخبار عن تونس.")
    assert meta(page, "twitter:site") == "@akhbar"
    assert meta(page, "og:site_name") == "صحيفة أخبار اليوم"
    assert f"{BASE}/feed/tag/{slug}/" in feeds(page) and f"{BASE}/feed/atom/tag/{slug}/" in feeds(page)
    for href in feeds(page):
        assert client.get(href, HTTP_HOST=HOST).status_code == 200
    data = structured(page)
    assert data["CollectionPage"]["name"] == "تونس"
    assert len(data["BreadcrumbList"]["itemListElement"]) == 2


def test_author_metadata_and_its_feeds(client, story):
    page = get_page(client, "/authors/layla/")
    assert meta(page, "description") == "مقالات ليلى حداد."
    assert f"{BASE}/feed/author/layla/" in feeds(page)
    profile = structured(page)["ProfilePage"]
    assert profile["mainEntity"] == {"@type": "Person", "name": "ليلى حداد", "url": f"{BASE}/authors/layla/"}


def test_article_without_image_author_or_settings(client, news_tree):
    article = news_tree["articles"][0]
    page = get_page(client, article.url)
    assert meta(page, "twitter:card") == "summary" and meta(page, "og:image") is None
    assert meta(page, "twitter:image") is None
    assert meta(page, "og:site_name") == "أخبار"  # the site's name when no publisher name is set
    data = structured(page)["NewsArticle"]
    assert data["author"][0]["@type"] == "Organization" and data["publisher"]["name"] == "أخبار"
    assert "image" not in data


def test_json_ld_cannot_close_its_script_element(client, news_tree):
    article = make_article(news_tree["sport"], "</script><script>alert(1)</script> & <!--", lede="</SCRIPT> \u2028")
    html = client.get(article.url).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == article.title
    assert json_ld({"a": "</script>"}) == '<script type="application/ld+json">{"a":"\\u003C/script\\u003E"}</script>'


def test_metadata_does_not_depend_on_who_asks(client, admin_client, story):
    """Anonymous pages are cached and shared: the head must be the same for everyone."""
    anonymous = get_page(client, story.url).head
    editor = get_page(admin_client, story.url).head
    assert str(anonymous) == str(editor)


@pytest.fixture
def share_image(publisher):
    image = Image.objects.create(title="صورة الموقع", file=get_test_image_file(size=(1600, 1000)))
    publisher.share_image = image
    publisher.save()
    return image


def image_tags(page) -> dict:
    return {
        name: meta(page, name)
        for name in ("og:image", "og:image:width", "og:image:height", "og:image:alt", "twitter:card", "twitter:image", "twitter:image:alt")
    }


def test_default_share_image_on_pages_without_their_own(client, news_tree, share_image):
    slug = news_tree["articles"][0].tags.first().slug
    found = {}
    for name, url in {
        "home": "/",
        "section": news_tree["world"].url,
        "tag": f"/tags/{slug}/",
        "article without image": news_tree["articles"][0].url,
    }.items():
        tags = found[name] = image_tags(get_page(client, url))
        assert tags["og:image"].startswith(f"{BASE}/media/images/"), name
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1280", "720"), name
        assert tags["og:image:alt"] == "صورة الموقع", name
        assert tags["twitter:card"] == "summary_large_image", name
        assert (tags["twitter:image"], tags["twitter:image:alt"]) == (tags["og:image"], "صورة الموقع"), name
    assert len({tags["og:image"] for tags in found.values()}) == 1
    image_url = found["home"]["og:image"]
    assert client.get(image_url.removeprefix(BASE)).status_code == 200
    # Structured data keeps to the article's own image: the site's picture does not depict the story.
    assert "image" not in structured(get_page(client, news_tree["articles"][0].url))["NewsArticle"]


def test_an_article_image_wins_over_the_default(client, story, share_image):
    page = get_page(client, story.url)
    own = structured(page)["NewsArticle"]["image"][0]["url"]
    assert meta(page, "og:image") == own and meta(page, "twitter:image") == own
    assert meta(page, "og:image:alt") == "صورة الخبر"
    home = get_page(client, "/")
    assert meta(home, "og:image") != own


def test_default_share_image_costs_no_query_once_warm(client, news_tree, share_image, publisher):
    """Its rendition is kept with the site's settings: a page with it costs what a page without it does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url) -> int:
        for _ in range(2):  # warm the per-process memos, as a running server has them
            get_page(client, url)
        with CaptureQueriesContext(connection) as captured:
            page = get_page(client, url)
        return len(captured), meta(page, "og:image")

    urls = ["/", news_tree["world"].url, news_tree["articles"][0].url]
    with_image = {url: queries(url) for url in urls}
    assert all(image for _, image in with_image.values())
    publisher.share_image = None
    publisher.save()
    without_image = {url: queries(url) for url in urls}
    assert all(image is None for _, image in without_image.values())
    assert {url: n for url, (n, _) in with_image.items()} == {url: n for url, (n, _) in without_image.items()}
