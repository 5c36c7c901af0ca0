"""Normalisation: what readers type differently folds to one form; distinct words stay apart."""

import pytest

from akhbar.arabic.analysis import ANALYZER


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("أحمد إبراهيم آدم ٱلله", "احمد ابراهيم ادم الله"),  # alef forms
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مدرسة", "مدرسه"),  # taa marbuta
        ("مؤتمر مسئول مسؤول شئون", "موتمر مسوول مسوول شوون"),  # hamza carriers
        ("زملائه زملاؤه", "زملاءه زملاءه"),  # seat that only follows the case ending
        ("ماء سماء", "ماء سماء"),  # stand-alone hamza kept
        ("فَلَادِيمِير بُوتِينْ", "فلاديمير بوتين"),  # harakat, sukun
        ("مُحَمَّدٌ", "محمد"),  # shadda, tanween
        ("هٰذا", "هذا"),  # dagger alef
        ("كـــرة", "كره"),  # tatweel
        ("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹", "0123456789 0123456789"),  # Arabic-Indic and Persian digits
        ("ﻻ ﺍﻟﺴﻼﻡ", "لا السلام"),  # presentation forms
        ("یک کتاب", "يك كتاب"),  # Persian ی ک
        ("ڤيروس پاريس", "فيروس باريس"),  # letters for foreign sounds
        ("Putin ＢＢＣ İstanbul", "putin bbc istanbul"),  # Latin: case, full width, dotted I
        ("Müller São Paulo Łódź Ørsted", "muller sao paulo łodz ørsted"),  # accents (not letters of their own)
        ("ڕێکخراوی", "ريكخراوي"),  # Kurdish letters
        ("مد\u200bر\u200cسة\u202e", "مدرسه"),  # zero-width and bidi controls
    ],
)
def test_reader_variants_fold(typed, folded):
    assert ANALYZER.normalize(typed) == folded


def test_punctuation_and_spaces_are_kept_by_normalize():
    assert ANALYZER.normalize("قالت: «نعم»، غداً!") == "قالت: «نعم»، غدا!"


def test_normalize_is_idempotent_on_arabic_text():
    text = "إنّ الولاياتِ المتّحدة ـ وروسيا ـ اتفقتا على ٣ بنود في «مؤتمرٍ» صحفيّ"
    once = ANALYZER.normalize(text)
    assert ANALYZER.normalize(once) == once
