"""The pure-Python Arabic text helpers (no Django)."""

from akhbar.arabic.digits import localize_digits, to_western
from akhbar.arabic.text import arabic_slug, clean_line, has_bidi_controls, reading_minutes, strip_bidi_controls


def test_slug_keeps_arabic_and_drops_diacritics_and_punctuation():
    assert arabic_slug("وزيرُ الخارجيّة يزور تونس!") == "وزير-الخارجية-يزور-تونس"
    assert arabic_slug("كـــرة القدم: الترجي 2-1 الإفريقي") == "كرة-القدم-الترجي-2-1-الإفريقي"


def test_slug_is_trimmed_at_a_word_boundary():
    title = " ".join(["كلمة"] * 60)
    slug = arabic_slug(title, max_length=80)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"كلمة"}


def test_slug_of_punctuation_only_is_empty():
    assert arabic_slug("!!! ؟؟؟ ...") == ""


def test_bidi_controls_are_removed_from_lines():
    hostile = "عنوان\u202e مقلوب\u200f\u2066 هنا\u2069"
    assert has_bidi_controls(hostile)
    assert clean_line(hostile) == "عنوان مقلوب هنا"
    assert not has_bidi_controls(strip_bidi_controls(hostile))


def test_clean_line_folds_whitespace_and_newlines():
    assert clean_line("  سطر\nثان\t\tوثالث  ") == "سطر ثان وثالث"


def test_reading_minutes_rounds_up_and_is_at_least_one():
    assert reading_minutes("") == 1
    assert reading_minutes(" ".join(["كلمة"] * 181)) == 2


def test_digits_both_ways():
    assert localize_digits("2026/11/29", "arab") == "٢٠٢٦/١١/٢٩"
    assert to_western("٢٠٢٦ و۱۲") == "2026 و12"
