"""A title made of the query's words comes first (ranking.heading_bonus: BM25F-like title length)."""

import pytest

from akhbar.news.models import ArticlePage
from akhbar.search import ranking
from tests.factories import make_article, make_section
from tests.test_search_backend import FILLER, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def threats(home):
    news = make_section(home, "أخبار", slug="news")
    for title, text in FILLER:
        make_article(news, title, body=paragraph(text))
    long_title = make_article(
        news,
        "إسرائيل تهدد بضرب مواقع في سوريا ولبنان إذا استمرت إيران في نقل الأسلحة",
        body=paragraph("قالت إسرائيل إنها تهدد إيران. وكررت إسرائيل أن إيران تنقل الأسلحة، وأن التهديد قائم ضد إيران."),
    )
    report = " ".join(["صدر البيان الرسمي صباح اليوم بعد اجتماع مطول للحكومة في العاصمة."] * 5)
    exact_title = make_article(news, "إسرائيل تهدد إيران", body=paragraph(report))
    return {"long": long_title, "exact": exact_title}


def titles(query: str) -> list[str]:
    return [page.title for page in ArticlePage.objects.live().search(query)[:5]]


def test_a_title_made_of_the_query_words_comes_first(threats):
    assert titles("تهدد إسرائيل إيران")[:2] == [threats["exact"].title, threats["long"].title]


def test_without_the_heading_bonus_the_longer_text_wins(threats, monkeypatch):
    """What the bonus changes: BM25 over the whole row prefers the article repeating the words."""
    monkeypatch.setattr(ranking, "HEADING_BONUS", 0.0)
    assert titles("تهدد إسرائيل إيران")[:2] == [threats["long"].title, threats["exact"].title]


def test_the_bonus_follows_spelling_variants_and_particles(threats):
    assert titles("تهدد اسرائيل ايران")[0] == threats["exact"].title
