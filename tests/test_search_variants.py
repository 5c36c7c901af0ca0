"""Loanword spellings, broken plurals and compounds through the real search backend
(akhbar/search/expanders_variants.py): what a reader notices.

Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one.
"""

import pytest

from akhbar.arabic.analysis.variants import RELIABLE_DOCUMENTS
from akhbar.search.expanders_variants import variant_alternatives
from akhbar.search.expansion import CachedKnown, expand
from tests.factories import make_article
from tests.test_search_backend import found, paragraph, section  # noqa: F401 (section: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(section):
    """test_search_backend's section: a few unrelated articles, so query words are rare (BM25's IDF)."""
    return section


def write_often(section, name: str) -> None:
    """Articles mentioning `name` often enough that its lack of Arabic inflections is evidence."""
    for n in range(RELIABLE_DOCUMENTS):
        make_article(section, f"تصريح رقم {n}", body=paragraph(f"قال {name} في التصريح {n}."), lede="")


def test_a_name_spelled_another_way_finds_the_article_first(news):
    write_often(news, "ترامب")
    make_article(news, "ترامب يلتقي زعماء أوروبا", body=paragraph("التقى الرئيس الأمريكي دونالد ترامب بالقادة."))
    make_article(news, "قمة اقتصادية في برلين", body=paragraph("ناقش زعماء أوروبا التجارة والرسوم."))
    results = found("ترمب زعماء أوروبا")
    assert results[0] == "ترامب يلتقي زعماء أوروبا"
    assert results.index("ترامب يلتقي زعماء أوروبا") < results.index("قمة اقتصادية في برلين")
    assert "ترامب" in {w for a in variant_alternatives(["ترمب"], CachedKnown())[0] for w in a.words}


def test_g_written_with_jim_finds_the_ghain_spelling(news):
    write_often(news, "غوغل")
    make_article(news, "غوغل تطلق هاتفا جديدا", body=paragraph("أعلنت غوغل عن هاتفها."))
    make_article(news, "غوغل تغرم في أوروبا", body=paragraph("غرامة على غوغل."))
    assert set(found("جوجل هاتفا أوروبا")[:2]) == {"غوغل تطلق هاتفا جديدا", "غوغل تغرم في أوروبا"}
    assert "هطول أمطار غزيرة" not in found("جوجل")


def test_the_singular_finds_the_broken_plural(news):
    make_article(news, "سقوط صواريخ على المدينة", body=paragraph("سقطت صواريخ قرب الحدود."))
    assert "سقوط صواريخ على المدينة" in found("صاروخ")
    assert found("صاروخ الحدود")[:1] == ["سقوط صواريخ على المدينة"]


def test_the_plural_finds_the_singular(news):
    make_article(news, "افتتاح مدينة جديدة للمعارض", body=paragraph("افتتحت المدينة أبوابها."))
    assert found("مدن المعارض")[:1] == ["افتتاح مدينة جديدة للمعارض"]


def test_two_words_the_articles_write_as_one(news):
    make_article(news, "فيسبوك تحذف حسابات", body=paragraph("حذفت فيسبوك حسابات مزيفة."))
    make_article(news, "فيسبوك والخصوصية", body=paragraph("قالت فيسبوك إنها تحمي البيانات."))
    assert "فيسبوك تحذف حسابات" in found("فيس بوك حسابات")[:1]


def test_the_word_as_typed_stays_ahead_of_its_variant(news):
    make_article(news, "ترمب في البيت الأبيض", body=paragraph("قال ترمب إن الاجتماع كان جيدا."))
    make_article(news, "ترامب في البيت الأبيض", body=paragraph("قال ترامب إن الاجتماع كان جيدا."))
    make_article(news, "ترامب يغادر البيت الأبيض", body=paragraph("غادر ترامب."))
    assert found("ترمب")[0] == "ترمب في البيت الأبيض"


def test_ordinary_words_are_not_taken_for_spellings_of_each_other(news):
    make_article(news, "قريب من الحل", body=paragraph("الحل قريب والاتفاق قريبا."))
    make_article(news, "حادث غريب في المدينة", body=paragraph("وقع حادث غريب وأمر غريبا."))
    make_article(news, "كاتب يوقع روايته", body=paragraph("وقع الكاتب روايته للقراء."))
    assert found("غريب") == ["حادث غريب في المدينة"]
    assert "حادث غريب في المدينة" not in found("قريب")
    known = CachedKnown()
    for query in (["كتب"], ["كاتب"], ["قريب"], ["غريب"], ["الكتاب"]):
        proposed = [a for options in variant_alternatives(query, known).values() for a in options]
        assert all(a.reason == "plural" for a in proposed), query  # كتب ↔ الكتاب is a plural, not a spelling
        assert not {"كاتب", "الكاتب", "قريب", "غريب"} & {w for a in proposed for w in a.words}, query


def test_the_expander_proposes_only_words_of_the_index(news):
    make_article(news, "ترامب يلتقي زعماء أوروبا", body=paragraph("التقى ترامب بالقادة."))
    assert variant_alternatives(["ترمب"], CachedKnown()) == {}  # one article: maybe a typo, not a spelling
    write_often(news, "ترامب")
    alternatives = variant_alternatives(["ترمب", "زعيم"], CachedKnown())
    assert [(a.words, a.reason) for a in alternatives[0]] == [(("ترامب",), "variant")]
    assert [(a.words, a.reason) for a in alternatives[1]] == [(("زعماء",), "plural")]
    assert all(0 < a.weight < 1 for options in alternatives.values() for a in options)
    assert variant_alternatives(["كلمةمجهولة", "Putin"], CachedKnown()) == {}
    assert variant_alternatives([], CachedKnown()) == {}


def test_registered_with_the_query_expansion(news):
    from akhbar.search.expansion import EXPANDERS

    assert variant_alternatives in EXPANDERS
    make_article(news, "فيسبوك تحذف حسابات", body=paragraph("حذفت فيسبوك حسابات مزيفة."))
    make_article(news, "فيسبوك والخصوصية", body=paragraph("قالت فيسبوك إنها تحمي البيانات."))
    alternatives = expand(["فيس", "بوك"], CachedKnown())
    assert alternatives[0][0].words == alternatives[1][0].words == ("فيسبوك",)


def stub_known(vocabulary: dict[str, int]):
    return lambda words: {word: vocabulary[word] for word in words if word in vocabulary}


def test_a_word_the_articles_write_as_two_is_split_only_when_never_written_joined():
    known = stub_known({"فيس": 30, "بوك": 25})
    assert [a.words for a in variant_alternatives(["فيسبوك"], known)[0]] == [("فيس", "بوك")]
    written_joined = stub_known({"فيس": 30, "بوك": 25, "فيسبوك": 300})
    assert variant_alternatives(["فيسبوك"], written_joined) == {}
    # never a split into a stop word or an article: في + سبوك, فيس + الكتاب
    assert variant_alternatives(["فيسبوك"], stub_known({"في": 900, "سبوك": 3})) == {}


def test_two_words_are_joined_only_when_the_articles_write_them_joined():
    assert variant_alternatives(["بيونغ", "يانغ"], stub_known({"بيونغ": 50, "يانغ": 40})) == {}
    joined = variant_alternatives(["بيونغ", "يانغ"], stub_known({"بيونغ": 50, "يانغ": 40, "بيونغيانغ": 12}))
    assert joined[0][0].words == joined[1][0].words == ("بيونغيانغ",)
