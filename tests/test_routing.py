"""Reader URLs find their pages in one lookup by URL path (HomePage.route); what that lookup
does not find goes Wagtail's usual way, with the same answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def lookups(queries, column: str) -> int:
    """Queries that look pages up by `column` (url_path: this routing; slug: Wagtail's, per segment)."""
    return sum(1 for query in queries if f'"wagtailcore_page"."{column}" = ' in query["sql"] or f"WHERE {column} = " in query["sql"])


def test_articles_in_nested_sections_are_served(client, home):
    news = make_section(home, "أخبار", slug="news")
    world = make_section(news, "أخبار حول العالم", slug="world")
    article = make_article(world, "قمة في جنيف")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response.status_code == 200
    assert "قمة في جنيف" in response.content.decode()
    assert lookups(queries, "url_path") == 1  # one lookup, however deep the page
    assert lookups(queries, "slug") == 0
    assert client.get(world.url).status_code == 200
    assert client.get("/news/world/").status_code == 200


@pytest.mark.parametrize("taken_offline", ["article", "section"])
def test_what_is_taken_offline_answers_as_wagtail_does(client, home, taken_offline):
    """An unpublished article is not found; a live article in a section taken offline still is
    (Wagtail routes through pages that are not live); unknown paths are not found."""
    news = make_section(home, "أخبار", slug="news")
    article = make_article(news, "خبر")
    url = article.url
    (article if taken_offline == "article" else news).unpublish()
    assert client.get(url).status_code == (404 if taken_offline == "article" else 200)
    assert client.get("/news/no-such-article/").status_code == 404
    assert client.get("/no-such-section/deeper/").status_code == 404
