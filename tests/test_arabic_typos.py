"""Typo candidates (akhbar.arabic.analysis.typos, pure Python) and the rules that pick among them
(akhbar.search.typos.corrections, given the vocabulary's counts): no database needed."""

import pytest

from akhbar.arabic.analysis import ANALYZER
from akhbar.arabic.analysis.typos import edits1, scored_edits, splits
from akhbar.search import typos
from akhbar.search.expansion import Alternative, CachedKnown, expand


def norm(word: str) -> str:
    return ANALYZER.normalize_word(word)


# (typed, meant): one deletion, insertion, substitution or transposition apart, after normalising.
ONE_EDIT = [
    ("مماجهة", "مواجهة"),  # substitution
    ("المتهة", "المتجهة"),  # deletion
    ("الحكوومة", "الحكومة"),  # insertion
    ("السعدوية", "السعودية"),  # transposition
    ("للخاجرية", "للخارجية"),  # deletion inside a word with particles
    ("ترانب", "ترامب"),
    ("putn", "putin"),
]


@pytest.mark.parametrize(("typed", "meant"), ONE_EDIT)
def test_one_edit_reaches_the_word_meant(typed, meant):
    assert norm(meant) in edits1(norm(typed))


@pytest.mark.parametrize(("typed", "far"), [("مماجهة", "مجابهة"), ("الحكومة", "المحكمة"), ("ترامب", "ترمبا")])
def test_two_edits_are_not_candidates(typed, far):
    assert norm(far) not in edits1(norm(typed))


def test_edits_stay_in_the_folded_alphabet_and_leave_short_words_alone():
    candidates = edits1(norm("مواجهة"))
    assert not any(letter in word for word in candidates for letter in "أإآةىؤئ")
    assert edits1("من") == set() and edits1("") == set() and edits1("12345") == set()
    assert all(word.isascii() for word in edits1("putin"))


def test_a_missing_space_is_read_as_two_words():
    assert ("اعدام", "مغتصبي") in splits(norm("اعداممغتصبي"))
    assert ("في", "المدينه") in splits(norm("فيالمدينة"))
    assert splits("بيت") == []


def counts_for(**documents) -> dict[str, int]:
    return {norm(word): n for word, n in documents.items()}


def test_an_unknown_word_gets_the_known_words_one_edit_away_most_common_first():
    counts = {norm("مواجهة"): 40, norm("مجابهة"): 3, norm("مماجه"): 2}
    found = typos.corrections(norm("مماجهة"), counts)
    assert found[0] == ((norm("مواجهة"),), 40)
    assert norm("مجابهة") not in [words[0] for words, _n in found]  # two edits away


def test_a_common_word_is_never_corrected():
    counts = {norm("قمح"): 12, norm("قمة"): 900}
    assert typos.corrections(norm("قمح"), counts) == []


def test_a_correct_rare_word_keeps_its_meaning_unless_the_neighbour_is_far_more_common():
    assert typos.corrections(norm("قمح"), {norm("قمح"): 2, norm("قمة"): 45}) == []
    assert typos.corrections(norm("قمح"), {norm("قمح"): 1, norm("قمة"): 900}) == [((norm("قمة"),), 900)]


def test_an_inflected_form_with_common_stems_is_not_a_typo():
    word = norm("وبمدينتهم")  # not in the articles as such, but مدينتهم is, and وبمدينتهن is one edit away
    counts = {norm("مدينتهم"): 30, norm("وبمدينتهن"): 2}
    assert norm("مدينتهم") in ANALYZER.stems(word)
    assert typos.corrections(word, counts) == []


def test_a_split_needs_both_words_known_and_a_stop_word_is_put_aside():
    counts = {norm("اعدام"): 9, norm("مغتصبي"): 2, norm("المدينة"): 50}
    assert ((norm("اعدام"), norm("مغتصبي")), 2) in typos.corrections(norm("اعداممغتصبي"), counts)
    assert typos.corrections(norm("فيالمدينة"), counts) == [((norm("المدينة"),), 50)]
    assert typos.corrections(norm("اعدامكرة"), counts) == []


def test_the_typo_expander_asks_the_vocabulary_twice_at_most_and_once_for_common_words():
    vocabulary = {norm("مواجهة"): 40, norm("حاسمة"): 10}
    asked = []

    def lookup(words):
        words = list(words)
        asked.append(words)
        return {word: vocabulary[word] for word in words if word in vocabulary}

    known = CachedKnown(lookup)
    found = expand([norm("مماجهة"), norm("حاسمة")], known, expanders=[typos.typo_alternatives])
    assert found == {0: [Alternative((norm("مواجهة"),), typos.TYPO_WEIGHT, "typo")]}
    assert len(asked) == 2 and norm("حاسمة") + "ا" not in asked[1]  # a common word's neighbours are not asked for
    asked.clear()
    assert expand([norm("مواجهة"), norm("حاسمة")], CachedKnown(lookup), expanders=[typos.typo_alternatives]) == {}
    assert len(asked) == 1
    assert 0 < typos.TYPO_WEIGHT < 1


def test_expand_keeps_the_best_weight_drops_invalid_and_survives_a_failing_expander():
    def proposer(words, known):
        return {
            0: [Alternative(("ب",), 0.5, "variant"), Alternative(("ب",), 0.8, "variant"), Alternative((words[0],), 0.9, "variant")],
            1: [Alternative(("ج",), 1.5, "variant")],
            7: [Alternative(("د",), 0.5, "variant")],
        }

    def broken(words, known):
        raise RuntimeError("bug in an expander")

    found = expand(["ا", "ه"], lambda words: {}, expanders=[proposer, broken])
    assert found == {0: [Alternative(("ب",), 0.8, "variant")]}


def test_a_neighbouring_key_is_a_likelier_typo_than_a_far_one():
    scores = scored_edits(norm("مماجهة"))
    assert scores[norm("مواجهة")] == 1.0  # و and م are neighbours on the Arabic keyboard
    assert scores[norm("مماجلة")] < 1.0  # ل is far from ه
    assert set(scores) == edits1(norm("مماجهة"))
    assert scored_edits(norm("المتهة"))[norm("المتجهة")] == 1.0  # any dropped letter is likely


def test_among_known_candidates_the_likeliest_typo_wins_over_a_slightly_commoner_far_one():
    counts = {norm("مواجهة"): 40, norm("مماجلة"): 60}
    assert typos.corrections(norm("مماجهة"), counts)[0] == ((norm("مواجهة"),), 40)


def test_a_stop_word_is_not_a_typo_although_the_vocabulary_leaves_it_out():
    assert typos.corrections("على", {"علي": 500}) == []
    assert typos.corrections("الذي", {"الذين": 500}) == []
