"""The request's Site, its settings, its view restrictions and breadcrumbs are kept between
requests (akhbar/core/sites.py, tree_cache.py) without a reader ever seeing an old value after
an editor's change."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from akhbar.core.models import RegionalSettings
from akhbar.navigation.models import NavigationSettings
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def article(home):
    news = make_section(home, "أخبار", slug="news")
    return make_article(news, "خبر عن المطر", published_at=dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC))


def warm(client, url: str):
    client.get(url)
    return client.get(url)


def test_a_warm_article_asks_nothing_about_the_site_its_settings_or_restrictions(client, article):
    warm(client, article.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url).status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("wagtailcore_site", "wagtailcore_pageviewrestriction", "core_regionalsettings", "navigation_navigationsettings"):
        assert table not in tables
    assert len(queries) <= 8  # six for the article, two for its comments


def test_a_new_site_name_shows_on_the_next_page(client, article):
    assert "أخبار" in soup(warm(client, article.url)).title.get_text()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "إذاعة الصباح"
    site.save()
    assert "إذاعة الصباح" in soup(client.get(article.url)).title.get_text()


def test_changed_regional_settings_show_on_the_next_page(client, article):
    assert "14" in soup(warm(client, article.url)).select_one(".article__meta").get_text()
    settings = RegionalSettings.objects.get(site__is_default_site=True)
    settings.digits = RegionalSettings.DIGITS_ARABIC
    settings.save()
    meta = soup(client.get(article.url)).select_one(".article__meta").get_text()
    assert "١٤" in meta and "14" not in meta


def test_a_new_footer_link_shows_on_the_next_page(client, home, article):
    warm(client, article.url)
    about = make_section(home, "من نحن", slug="about", show_in_menus=False)
    navigation = NavigationSettings.objects.get(site__is_default_site=True)
    navigation.about_page = about
    navigation.save()
    footer = soup(client.get(article.url)).select_one("footer")
    assert "من نحن" in footer.get_text()


def test_a_restriction_added_to_a_section_protects_its_articles_at_once(client, article):
    assert warm(client, article.url).status_code == 200
    section = article.get_parent()
    restriction = PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert client.get(article.url).status_code == 200


def test_breadcrumbs_follow_a_renamed_section(client, article):
    crumbs = [a.get_text(strip=True) for a in soup(warm(client, article.url)).select("nav.breadcrumb a")]
    assert crumbs[-1] == "أخبار"
    section = article.get_parent().specific
    section.title = "آخر الأخبار"
    section.save_revision().publish()
    crumbs = [a.get_text(strip=True) for a in soup(client.get(article.url)).select("nav.breadcrumb a")]
    assert crumbs[-1] == "آخر الأخبار"


def test_a_new_home_page_for_the_site_is_served_at_once(client, article):
    from tests.factories import make_home

    warm(client, "/")
    make_home("واجهة جديدة")
    assert "واجهة جديدة" in soup(client.get("/")).title.get_text()
