"""Stop words: function words leave the surface index; a query of only stop words still searches."""

import pytest

from akhbar.arabic.analysis import ANALYZER, STOP_WORDS


@pytest.mark.parametrize("word", ["في", "من", "إلى", "على", "عن", "هذا", "هذه", "التي", "الذي", "هو", "هي", "أن", "إن", "لا", "لم", "لن", "قد", "وفي", "ومن", "فإن", "بهذا", "لذلك", "عليه", "منها", "لها"])
def test_function_words_are_stop_words(word):
    assert ANALYZER.index_terms(word).surface == []


@pytest.mark.parametrize("word", ["علي", "آلي", "قال", "اليوم", "عام", "رئيس", "الولايات", "وزير", "ماء"])
def test_content_words_are_not(word):
    assert ANALYZER.index_terms(word).surface != []


def test_the_list_is_in_normal_form_and_keeps_alef_maqsura():
    assert "على" in STOP_WORDS and "الى" in STOP_WORDS
    assert "علي" not in STOP_WORDS and "الي" not in STOP_WORDS
    assert not any(ch in word for word in STOP_WORDS for ch in "أإآؤئ")


def test_query_keeps_only_content_words():
    assert [w.surface for w in ANALYZER.query_words("ما هي أسباب الحرب في اليمن؟")] == ["اسباب", "الحرب", "اليمن"]


def test_query_of_only_stop_words_searches_for_them_and_finds_them():
    words = ANALYZER.query_words("إلى متى")
    assert [w.surface for w in words] == ["الى", "متى"]
    document = ANALYZER.index_terms("سافر إلى بيروت")
    assert words[0].stems <= set(document.stems)
    assert not words[1].stems & set(document.stems)


def test_the_name_ali_does_not_match_the_preposition():
    (ali,) = ANALYZER.query_words("علي")
    assert not ali.stems & set(ANALYZER.index_terms("جلس على الكرسي").stems)
    assert ali.stems & set(ANALYZER.index_terms("قال علي حسن").stems)


def test_stem_readings_are_never_stop_words():
    # ولاية → ولا («and not») would match nearly every article
    (word,) = ANALYZER.query_words("ولاية")
    assert not word.stems & STOP_WORDS
