"""Tokenisation: diacritics and tatweel never split a word; Latin, numbers and offsets."""

from akhbar.arabic.analysis import ANALYZER


def norms(text: str) -> list[str]:
    return [t.norm for t in ANALYZER.tokens(text)]


def test_a_diacritic_or_tatweel_never_splits_a_word():
    assert norms("فلادِيمِير") == ["فلاديمير"]
    assert norms("الــولايــات") == ["الولايات"]
    assert norms("مُـحَـمَّـدٌ") == ["محمد"]
    assert norms("ِ مدرسة") == ["مدرسه"]  # a stray mark before a word is no word


def test_invisible_controls_inside_a_word_are_dropped_not_split():
    tokens = ANALYZER.tokens("قال مد\u200fر\u200dسة")
    assert [t.norm for t in tokens] == ["قال", "مدرسه"]
    assert tokens[1].surface == "مد\u200fر\u200dسة"


def test_punctuation_separates_and_disappears():
    assert norms("قال:«السلام»،(وداعاً)!؟ ...") == ["قال", "السلام", "وداعا"]
    assert norms("snake_case a-b") == ["snake", "case", "a", "b"]


def test_latin_words_and_numbers_are_kept():
    assert norms("قال Putin إن BBC نشرت 3 تقارير في 2018") == [
        "قال", "putin", "ان", "bbc", "نشرت", "3", "تقارير", "في", "2018",
    ]  # fmt: skip


def test_scripts_and_digits_glued_together_are_separate_words():
    assert norms("الـBBC") == ["ال", "bbc"]
    assert norms("٢٠١٨م كوفيد19") == ["2018", "م", "كوفيد", "19"]


def test_offsets_point_at_the_original_text():
    text = "  وزيرُ الخارجيّة،  يزور\tتونس  "
    for token in ANALYZER.tokens(text):
        assert text[token.start : token.end] == token.surface
    assert [t.surface for t in ANALYZER.tokens(text)] == ["وزيرُ", "الخارجيّة", "يزور", "تونس"]


def test_stop_words_are_marked_not_removed_from_tokens():
    tokens = ANALYZER.tokens("ذهب إلى المدرسة")
    assert [(t.norm, t.stop) for t in tokens] == [("ذهب", False), ("الى", True), ("المدرسه", False)]


def test_tokens_limit():
    assert len(ANALYZER.tokens("كلمة " * 100, limit=7)) == 7


def test_overlong_words_are_cut():
    (token,) = ANALYZER.tokens("ب" * 5000)
    assert token.norm == "ب" * 40 and token.end == 5000
