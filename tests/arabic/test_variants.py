"""Loanword spelling variants (akhbar/arabic/analysis/variants.py).

The variants are learned from the index vocabulary, so each test gives a small vocabulary
({word: documents}) shaped like the one the site's articles produce: foreign names without
inflections, ordinary words with their inflected forms and the article.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.arabic.analysis.variants import core_variants, known_variants, looks_foreign, strip_proclitics, variant_candidates

# A vocabulary as articles give it: the common spelling of each name, a rarer one, and
# ordinary words with the forms Arabic gives them (article, pronoun suffixes, plurals).
VOCABULARY = {
    # names, in the spelling most articles use
    "ترامب": 1166, "وترامب": 47, "غوغل": 110, "الكونغرس": 120, "سامسونغ": 49, "مانشستر": 299,
    "انستغرام": 107, "اردوغان": 336, "غوارديولا": 50, "ميركل": 103, "البنتاغون": 76,
    # rarer spellings, present too
    "ترمب": 148, "الكونجرس": 7, "جوجل": 4,
    # ordinary words with their families
    "كتاب": 66, "الكتاب": 90, "كتابه": 20, "كتابها": 5, "كتب": 153, "الكتب": 24, "كتبه": 8, "كتبها": 3,
    "كاتب": 17, "الكاتب": 94, "كاتبه": 6, "كتيب": 3,
    "قريب": 80, "القريب": 40, "قريبه": 20, "قريبا": 60, "غريب": 40, "الغريب": 10, "غريبه": 59, "غريبا": 22,
    "حاكم": 77, "الحاكم": 60, "حاكمه": 3, "حكام": 30, "الحكام": 12,
    "القرض": 9, "قرض": 10, "قروض": 18, "القروض": 18, "الغرض": 36, "غرض": 5, "اغراض": 10, "لاغراض": 4,
    "الرقم": 20, "رقم": 200, "ارقام": 40, "الارقام": 117, "الرغم": 412, "رغم": 900,
    "جامعه": 306, "الجامعه": 400, "جامعات": 50, "الجمعه": 1351, "جمعه": 46,
    "سلام": 118, "السلام": 500, "سالم": 48, "سلم": 45, "السلم": 20, "سليم": 35,
}  # fmt: skip


def known(words):
    return {word: VOCABULARY[word] for word in words if word in VOCABULARY}


SHOULD_MATCH = [
    ("ترمب", "ترامب"),  # a long vowel left out
    ("جوجل", "غوغل"),  # ج for g, twice, the first letter included
    ("الكونجرس", "الكونغرس"),  # with the article
    ("سامسونج", "سامسونغ"),  # a final g
    ("مانشيستر", "مانشستر"),  # a long vowel added
    ("انستجرام", "انستغرام"),
    ("اردوجان", "اردوغان"),
    ("جوارديولا", "غوارديولا"),
    ("ميركيل", "ميركل"),
    ("البنتاجون", "البنتاغون"),
]

MUST_NOT_MATCH = [
    ("كتاب", "كتب"), ("كتب", "كتاب"), ("كاتب", "كتاب"), ("الكتب", "الكاتب"),
    ("قريب", "غريب"), ("غريب", "قريب"),
    ("حاكم", "حكام"), ("القرض", "الغرض"), ("الرقم", "الرغم"),
    ("جامعه", "الجمعه"), ("سلم", "سلام"), ("سالم", "سلام"),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "written"), SHOULD_MATCH)
def test_another_spelling_of_a_name_is_found_in_the_vocabulary(typed, written):
    variants = known_variants(typed, known)
    assert written in variants
    assert 0 < variants[written] < 1


@pytest.mark.parametrize(("typed", "other"), MUST_NOT_MATCH)
def test_ordinary_words_are_never_variants_of_each_other(typed, other):
    assert other not in known_variants(typed, known)


def test_the_candidates_are_what_the_rules_allow_before_the_vocabulary_filters_them():
    assert "ترامب" in variant_candidates("ترمب")
    assert "غوغل" in variant_candidates("جوجل")
    assert "تشيلسي" in variant_candidates("تشلسي")  # a vowel added
    assert "شيلسي" in variant_candidates("تشيلسي")  # تش → ش


def test_the_less_likely_spelling_weighs_less():
    candidates = core_variants("جوجل")
    assert candidates["غوجل"] > candidates["غوغل"]  # one edit > two edits


def test_short_words_and_latin_get_no_variants():
    assert variant_candidates("حكم") == {}
    assert variant_candidates("google") == {}
    assert variant_candidates("") == {}
    assert variant_candidates("ب" * 40) == {}


def test_particles_are_set_apart_and_never_edited():
    assert strip_proclitics("وترمب") == ("و", "ترمب")
    assert strip_proclitics("بوتن") == ("", "بوتن")  # ب would leave 3 letters: part of the word
    assert "ترامب" in known_variants("وترمب", known)
    assert all(not candidate.startswith("ت") or candidate[1] != "ش" for candidate in variant_candidates("بوتن"))


def test_a_spelling_in_a_single_article_is_not_offered():
    assert known_variants("ترمب", lambda words: {"ترامب": 1} if "ترامب" in words else {}) == {}


def test_a_rarer_spelling_is_offered_only_between_names_both_common_and_weighs_less():
    # ترامب typed: ترمب is rarer, but both are in 20+ articles and never inflected
    assert 0 < known_variants("ترامب", known)["ترمب"] < known_variants("ترمب", known)["ترامب"]
    # الكونغرس typed: الكونجرس is in 7 articles only
    assert "الكونجرس" not in known_variants("الكونغرس", known)


def test_foreign_looking_words():
    assert looks_foreign("تشيلسي") and looks_foreign("مورينيو") and looks_foreign("بوينغ")
    assert not looks_foreign("كتاب") and not looks_foreign("مدرسه")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("اأبتثجحخدذرزسشصضطظعغفقكلمنهويىةءئؤ ـَ1a"), max_size=30))
def test_any_word_gives_candidates_without_failing(word):
    for candidate, weight in variant_candidates(word).items():
        assert 0 < weight < 1 and candidate != word and len(candidate) >= 4
    assert known_variants(word, lambda words: dict.fromkeys(list(words)[:50], 25)) is not None
