"""Values derived from the page tree are cached in the shared cache and replaced as soon as a
page is published, unpublished, moved or deleted (akhbar/core/tree_cache.py)."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def card_titles(client, url: str) -> list[str]:
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [link.get_text(strip=True) for link in page.select("main article h2 a, main article h3 a")]


def test_a_section_lists_its_new_and_moved_subsections_articles_at_once(client, home):
    news = make_section(home, "أخبار", slug="news")
    sport = make_section(home, "رياضة", slug="sport")
    make_article(news, "خبر عام")
    assert card_titles(client, news.url) == ["خبر عام"]  # now cached: news has no subsections
    world = make_section(news, "العالم", slug="world")
    make_article(world, "خبر من العالم")
    assert set(card_titles(client, news.url)) == {"خبر عام", "خبر من العالم"}
    assert card_titles(client, sport.url) == []
    world.move(sport, pos="last-child")
    assert card_titles(client, news.url) == ["خبر عام"]
    assert card_titles(client, sport.url) == ["خبر من العالم"]
