"""Folding Arabic spellings that readers use interchangeably into one form.

Two stages, because a few stop words differ from content words only by ى/ي (على «on» vs
علي «Ali», إلى «to» vs آلي «automatic»): `light_normalize` keeps ى and ة so the stop-word
check can tell them apart; `fold_final` then maps ى→ي and ة→ه for the terms.

Decisions (see docs in __init__):
- أ إ آ ٱ → ا, and the hamza carriers ؤ → و, ئ → ي: readers drop hamza on every carrier
  (مؤقت/موقت, تؤدي/تودي, قائد/قايد, الهادئ/الهادي are all in the corpus). Measured on the
  shared corpus, these folds merge almost no distinct common words (مؤن/مون is the
  worst). Two spelling conventions are unified before that: ئو → وو (مسئول = مسؤول) and a
  hamza seated on ئ/ؤ after ا before a pronoun suffix → ء (زملائه = زملاؤه = زملاءه).
  The stand-alone ء is kept: deleting it merges common distinct words (ماء «water» →
  ما «what», انهاء «ending» → انها «that it», علماء → علما).
- Diacritics (harakat, shadda, sukun, tanween, dagger alef, Quranic marks), tatweel and
  invisible format characters (bidi controls, zero-width joiners, soft hyphen) are deleted,
  so they never split or change a word.
- NFKC first: Arabic presentation forms (ﻻ, ﷲ, isolated/final letter shapes), full-width
  Latin and digits, and decomposed hamza/madda sequences become ordinary letters.
- Arabic-Indic and Persian digits → 0-9; Persian/Urdu letter shapes → Arabic
  (ی→ي, ک→ك, ە/ۀ/ھ→ه); letters used for foreign sounds → the closest Arabic letter
  (پ→ب, چ→ج, ژ→ز, ڤ→ف, گ/ڭ→ك, ڨ→ق), which is how most Arabic news sites spell them.
- Latin is lower-cased (casefold) and loses its accents (Müller = Muller, São = Sao), as
  readers type names without them.
"""

import re
import unicodedata

from akhbar.arabic.digits import ARABIC_INDIC, EASTERN_ARABIC_INDIC
from akhbar.arabic.text import BIDI_CONTROLS, TATWEEL

# Combining marks that occur inside Arabic (and Latin) words: deleted, never separators.
MARK_RANGES = (
    (0x0300, 0x036F),  # combining diacritics (Latin accents after casefold, e.g. the dot of İ)
    (0x0610, 0x061A),  # Arabic honorific/Quranic signs
    (0x064B, 0x065F),  # harakat, tanween, shadda, sukun, hamza/madda above and below
    (0x0670, 0x0670),  # dagger (superscript) alef
    (0x06D6, 0x06DC),  # Quranic annotation signs
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
    (0x08D3, 0x08E1),  # Arabic Extended-A marks
    (0x08E3, 0x08FF),
    (0xFE20, 0xFE2F),  # combining half marks
)
# Invisible format characters: bidi overrides/isolates, zero-width space/joiners, soft
# hyphen, Arabic letter mark, word joiner and friends, BOM.
FORMAT_CHARS = BIDI_CONTROLS + "\u00ad\u061c\u180e\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f"

IGNORABLE = "".join(chr(c) for lo, hi in MARK_RANGES for c in range(lo, hi + 1)) + FORMAT_CHARS + TATWEEL

_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ٶ": "ؤ", "ٸ": "ئ",
    "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي",
    "ک": "ك", "ڪ": "ك", "گ": "ك", "ڭ": "ك",
    "ە": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه", "ۃ": "ة",
    "ڤ": "ف", "ڥ": "ف", "پ": "ب", "چ": "ج", "ژ": "ز", "ڨ": "ق", "ٹ": "ت", "ڈ": "د", "ڑ": "ر",
    "ۆ": "و", "ۇ": "و", "ۉ": "و", "ۋ": "و", "ڵ": "ل", "ڕ": "ر",
}  # fmt: skip
_LIGHT_TABLE = str.maketrans(
    {
        **{ord(k): v for k, v in _LETTERS.items()},
        **{ord(d): str(i) for i, d in enumerate(ARABIC_INDIC)},
        **{ord(d): str(i) for i, d in enumerate(EASTERN_ARABIC_INDIC)},
        **{ord(ch): None for ch in IGNORABLE},
    }
)
_CARRIERS_TABLE = str.maketrans({"ؤ": "و", "ئ": "ي"})
_FINAL_TABLE = str.maketrans({"ى": "ي", "ة": "ه"})
# ئ/ؤ after ا before a pronoun suffix at the end of a word: the seat only follows the case
# ending (زملائه, زملاؤه, زملاءه are one word).
_HAMZA_BEFORE_PRONOUN = re.compile("(?<=ا)[ئؤ](?=(?:ه|ها|هم|هما|هن|ك|كم|كما|كن|نا)(?!\\w))")


_ACCENTED_LATIN = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")


def _without_accent(match: re.Match) -> str:
    return unicodedata.normalize("NFKD", match.group())  # the marks go with _LIGHT_TABLE


def light_normalize(text: str) -> str:
    """Everything except ى→ي and ة→ه (kept for the stop-word check)."""
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    if _ACCENTED_LATIN.search(text):
        text = _ACCENTED_LATIN.sub(_without_accent, text)
    text = text.translate(_LIGHT_TABLE)
    if "ئ" in text or "ؤ" in text:
        text = _HAMZA_BEFORE_PRONOUN.sub("ء", text.replace("ئو", "وو")).translate(_CARRIERS_TABLE)
    return text


def fold_final(text: str) -> str:
    return text.translate(_FINAL_TABLE)


def normalize(text: str) -> str:
    """The folded form of `text`; punctuation and spaces are kept (tokenising is separate)."""
    return fold_final(light_normalize(text))
