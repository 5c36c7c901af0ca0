"""Broken plurals (akhbar/arabic/analysis/plurals.py): pattern pairs, filtered by the vocabulary."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.arabic.analysis.plurals import known_plurals, plural_candidates

SHOULD_MATCH = [
    ("مدينه", "مدن"), ("صاروخ", "صواريخ"), ("حرب", "حروب"), ("سجن", "سجون"), ("سعر", "اسعار"),
    ("وزير", "وزراء"), ("زعيم", "زعماء"), ("صديق", "اصدقاء"), ("جريح", "جرحي"), ("قضيه", "قضايا"),
    ("رساله", "رسايل"), ("جزيره", "جزاير"), ("شارع", "شوارع"), ("عاصمه", "عواصم"), ("قانون", "قوانين"),
    ("مكتب", "مكاتب"), ("مدرسه", "مدارس"), ("مشروع", "مشاريع"), ("تقرير", "تقارير"), ("تجربه", "تجارب"),
    ("سلاح", "اسلحه"), ("كتاب", "كتب"),
]  # fmt: skip

MUST_NOT_MATCH = [
    ("مكتب", "كتاب"), ("كتاب", "مكتب"), ("كاتب", "كتب"), ("طريق", "طرق"), ("مكتبه", "كتب"),
    ("ضابط", "ضباط"), ("مدرسه", "دروس"), ("قرار", "قرارات"), ("ترمب", "ترامب"), ("فندق", "فنادق"),
]  # fmt: skip


@pytest.mark.parametrize(("singular", "plural"), SHOULD_MATCH)
def test_singular_and_plural_find_each_other(singular, plural):
    assert plural_candidates(singular).get(plural) == "plural"
    assert plural_candidates(plural).get(singular) == "singular"


@pytest.mark.parametrize(("word", "other"), MUST_NOT_MATCH)
def test_unrelated_words_and_left_out_patterns_are_not_proposed(word, other):
    assert other not in plural_candidates(word)


def test_particles_and_the_article_are_set_apart():
    assert "صواريخ" in plural_candidates("بالصاروخ")
    assert "وزير" in plural_candidates("الوزراء")
    assert "وزير" in plural_candidates("وزراء")  # و is the first root letter here, not «and»


def test_only_words_of_the_index_are_offered_with_or_without_the_article():
    vocabulary = {"الصواريخ": 40, "صاروخ": 30, "مداين": 0}
    known = lambda words: {w: vocabulary[w] for w in words if vocabulary.get(w)}  # noqa: E731
    assert known_plurals("صاروخ", known) == {"الصواريخ": pytest.approx(0.8)}
    assert known_plurals("مدينه", known) == {}


def test_sound_plurals_and_odd_input_are_left_to_the_stemmer():
    assert plural_candidates("قرارات") == {} or "قرار" not in plural_candidates("قرارات")
    assert plural_candidates("") == {}
    assert plural_candidates("Putin") == {}
    assert plural_candidates("123") == {}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ابتجحدرزسشصعغفقكلمنهويء ـ1a"), max_size=20))
def test_any_word_gives_candidates_without_failing(word):
    for candidate, kind in plural_candidates(word).items():
        assert kind in ("plural", "singular") and candidate != word
    assert isinstance(known_plurals(word, lambda words: dict.fromkeys(words, 1)), dict)
