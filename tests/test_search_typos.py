"""Typing errors in a search: corrected against the words of the site's own articles.

What a reader notices: one wrong, missing, extra or swapped letter, or a missing space, still
finds the article; a correct word, however rare, is never swapped for a commoner neighbour;
articles with the word as typed come before those found through a correction; "did you mean"
offers the corrected query. Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from akhbar.news.models import ArticlePage
from akhbar.search import typos
from akhbar.search.expansion import MAX_ALTERNATIVE_WORDS
from akhbar.search.spelling import suggest_spelling
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def paragraph(text: str):
    return [("paragraph", f"<p>{text}</p>")]


def found(query: str) -> list[str]:
    return [page.title for page in ArticlePage.objects.live().search(query)[:20]]


ARTICLES = [
    ("مواجهة حاسمة بين الهلال والنصر", "تقام المباراة مساء الجمعة في الرياض."),
    ("الحكومة تقر الموازنة العامة", "أقر مجلس الوزراء الموازنة بعد نقاش طويل."),
    ("السفن المتجهة إلى الحديدة", "قال التحالف إن السفن تحمل مساعدات."),
    ("القضاء يطالب بإعدام مغتصبي الأطفال", "طالبت النيابة بأقصى العقوبات."),
    ("ارتفاع أسعار القمح عالميا", "ارتفعت أسعار الحبوب في الأسواق."),
    ("قمة عربية في الرياض", "يشارك القادة العرب في القمة."),
    ("افتتاح معرض الكتاب", "يستمر المعرض أسبوعين."),
    ("هطول أمطار غزيرة", "توقعت الأرصاد أمطارا على السواحل."),
]


@pytest.fixture
def news(home):
    section = make_section(home, "أخبار", slug="news")
    for title, text in ARTICLES:
        make_article(section, title, body=paragraph(text), lede="")
    return section


# (query with one typing error, the article it means)
SHOULD_MATCH = [
    ("مماجهة حاسمة", "مواجهة حاسمة بين الهلال والنصر"),  # substitution
    ("الحكوومة تقر", "الحكومة تقر الموازنة العامة"),  # insertion
    ("السفن المتهة", "السفن المتجهة إلى الحديدة"),  # deletion
    ("الموازنة العماة", "الحكومة تقر الموازنة العامة"),  # transposition
    ("معرض الكتاي", "افتتاح معرض الكتاب"),  # substitution in the last letter
    ("بإعداممغتصبي", "القضاء يطالب بإعدام مغتصبي الأطفال"),  # missing space
]


@pytest.mark.parametrize(("query", "title"), SHOULD_MATCH)
def test_one_typing_error_still_finds_the_article_first(news, query, title):
    assert found(query)[:1] == [title]


def test_a_misspelt_word_alone_finds_the_article_through_its_correction(news):
    assert found("مماجهة") == ["مواجهة حاسمة بين الهلال والنصر"]


# A correct word the articles use is never replaced by a neighbour one edit away.
MUST_NOT_MATCH = [
    ("القمح", "قمة عربية في الرياض"),  # قمح (wheat) is not قمة (summit)
    ("القمة", "ارتفاع أسعار القمح عالميا"),
    ("الكتاب", "هطول أمطار غزيرة"),
]


@pytest.mark.parametrize(("query", "wrong"), MUST_NOT_MATCH)
def test_a_correct_word_is_not_corrected_into_its_neighbour(news, query, wrong):
    results = found(query)
    assert results and wrong not in results
    assert suggest_spelling(query) is None


def test_a_split_needs_both_words_in_the_article(news):
    make_article(news, "حكم بالإعدام في قضية قديمة", body=paragraph("صدر الحكم أمس."), lede="")
    assert found("بإعداممغتصبي") == ["القضاء يطالب بإعدام مغتصبي الأطفال"]


def test_the_word_as_typed_outranks_its_correction(news, monkeypatch):
    # مماجهة is itself in one article here (a rare word); make مواجهة count as far more common.
    monkeypatch.setattr(typos, "CLEARLY_MORE", 1)
    monkeypatch.setattr(typos, "MIN_FOR_KNOWN", 1)
    make_article(news, "مماجهة في الملعب", body=paragraph("تفاصيل أخرى."), lede="")
    make_article(news, "مواجهة جديدة", body=paragraph("تفاصيل."), lede="")
    results = found("مماجهة")
    assert results[0] == "مماجهة في الملعب"
    assert set(results[1:]) == {"مواجهة حاسمة بين الهلال والنصر", "مواجهة جديدة"}


def test_did_you_mean_keeps_the_readers_text_and_corrects_only_the_typo(news):
    assert suggest_spelling("مماجهة حاسمة") == "مواجهة حاسمة"
    assert suggest_spelling("الموازنة العماة") == "الموازنة العامة"
    assert suggest_spelling("بإعداممغتصبي") == "بإعدام مغتصبي"
    assert suggest_spelling("مواجهة حاسمة") is None
    assert suggest_spelling("كلمات لا يعرفها أحد إطلاقا") is None
    assert suggest_spelling("") is None and suggest_spelling("   ") is None


def test_did_you_mean_costs_two_vocabulary_queries_at_most(news, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        suggest_spelling("مماجهة حاسمة في الرياض والحكوومة")


def test_a_typo_costs_a_bounded_number_of_extra_queries(news):
    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            found(query)
        return len(captured)

    plain, with_typo = queries("مواجهة حاسمة"), queries("مماجهة حاسمة")
    per_word = 1 if connection.vendor == "sqlite" else 0  # SQLite: one FTS query per looked-up word
    assert with_typo - plain <= 1 + per_word * MAX_ALTERNATIVE_WORDS
