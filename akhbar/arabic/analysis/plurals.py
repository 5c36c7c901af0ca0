"""Broken plurals: singular ↔ plural candidates from pattern templates, for query expansion.

Arabic forms many plurals inside the word (مدينة/مدن, صاروخ/صواريخ, حرب/حروب, وزير/وزراء),
which no suffix-stripping stemmer can join: the letters between the root consonants change.
Here each common singular pattern is paired with its usual plural patterns; a word matching
one side gives the words of the other side with the same root letters. Both directions are
used (the reader may type either). The candidates are many and most are not words, so the
search side keeps only those in the site's index vocabulary (with or without the article):
what the articles really use decides, not the table.

Patterns that would pair almost any short word with another (فَعْل ↔ فِعال as in جبل/جبال,
فَعيل ↔ فُعُل as in طريق/طرق, فاعل ↔ فُعّال) are left out: in the shared corpus they joined
more unrelated words (نطق/نطاق) than plurals.

Pairs one of whose sides is also a common pattern of other words (فُعول and إفعال are verbal
nouns too: هجوم, إعلان) weigh less than the distinctive ones (مَفاعل, فَواعل, فُعَلاء …).
Not handled: plurals whose hamza changes its seat (رئيس/رؤساء: رييس/روساء after folding;
swapping و/ي in the root to cover them joined رئيس with روسي «Russian»), irregular plurals
(امراه/نساء), and 4-letter roots (فندق/فنادق: the pattern fits every 4-letter word).

Templates are written on normalised words (ة→ه, ى→ي, hamza on a seat folded: رؤساء → روساء,
رسائل → رسايل); digits 1–4 stand for root letters, any other letter must be there as written.

How this differs from the usual stemmers:
- Snowball's Arabic stemmer and Lucene's ArabicStemmer (Elasticsearch's `arabic`) only strip
  prefixes and suffixes: صواريخ and صاروخ, مدن and مدينة stay apart (sound plurals such as
  قرارات/قرار do meet).
- ISRI (NLTK) goes to a 3-letter root, which joins broken plurals but also unrelated words of
  the same root (كتاب «book», مكتب «office», كاتب «writer», مكتبة «library» all → كتب), and
  its output is often no word at all, so it cannot be shown or weighted.
- Akhbar keeps whole words: it pairs specific patterns (so مكتب ↔ مكاتب, but مكتب never meets
  كتاب), only offers words its own articles contain, and weighs them below the word typed.
"""

import re
from functools import lru_cache

from akhbar.arabic.analysis.variants import PROCLITICS

WEIGHT_PLURAL = 0.8
# Pairs whose sides are also common patterns of other kinds of words (فُعول and إفعال are verbal
# nouns too: هجوم, إعلان; فِعال/فعّال: رسام; a bare 3-letter word is anything) weigh less.
WEIGHT_AMBIGUOUS = 0.65
AMBIGUOUS_PAIRS = frozenset({("123", "12و3"), ("123", "ا12ا3"), ("12ي3ه", "123"), ("12ي3", "123ي"), ("12ا3", "123")})
MIN_LENGTH = 3

# (singular, plural) pattern pairs, common in news text. 1 2 3 4: root letters.
PATTERN_PAIRS: tuple[tuple[str, str], ...] = (
    # 3-letter singular فَعْل / فَعَل
    ("123", "12و3"),  # حرب/حروب, سجن/سجون, جيش/جيوش
    ("123", "ا12ا3"),  # سعر/اسعار, شخص/اشخاص, سبب/اسباب
    # فِعالة / فَعيلة (دوله/دول need no table: the stemmer reads دوله as دول + ه)
    ("12ا3ه", "12اي3"),  # رساله/رسايل, خساره/خساير
    ("12ي3ه", "12اي3"),  # جزيره/جزاير, قبيله/قبايل, كنيسه/كنايس
    ("12ي3ه", "123"),  # مدينه/مدن, سفينه/سفن
    ("12يه", "12ايا"),  # قضيه/قضايا, ضحيه/ضحايا, هديه/هدايا
    # فَعيل
    ("12ي3", "123اء"),  # وزير/وزراء, زعيم/زعماء, سفير/سفراء, امير/امراء
    ("12ي3", "ا123اء"),  # صديق/اصدقاء
    ("12ي3", "123ي"),  # جريح/جرحي, قتيل/قتلي, اسير/اسري, مريض/مرضي
    ("12ي3", "12اي3"),  # فصيل/فصايل
    # فِعال
    ("12ا3", "123"),  # كتاب/كتب
    ("12ا3", "ا123ه"),  # سلاح/اسلحه
    # فاعِل, فاعِلة
    ("1ا23", "1وا23"),  # شارع/شوارع, جانب/جوانب, حادث/حوادث
    ("1ا23ه", "1وا23"),  # عاصمه/عواصم, حادثه/حوادث
    ("1ا23", "123اء"),  # شاعر/شعراء
    # فاعول, فَعْلول
    ("1ا2و3", "1وا2ي3"),  # صاروخ/صواريخ, قانون/قوانين
    ("12و34", "1ا23ي4"),  # عصفور/عصافير
    ("123ي4", "1ا23ي4"),  # قنديل/قناديل
    # مَفْعَل, مَفْعَلة, مَفْعول, مِفْعال
    ("م123", "م1ا23"),  # مكتب/مكاتب, مصنع/مصانع, منزل/منازل, موقف/مواقف
    ("م123ه", "م1ا23"),  # مدرسه/مدارس, منطقه/مناطق, معركه/معارك, مشكله/مشاكل
    ("م12و3", "م1ا2ي3"),  # مشروع/مشاريع
    ("م12ا3", "م1ا2ي3"),  # مفتاح/مفاتيح
    # تَفْعيل, تَفْعِلة
    ("ت12ي3", "ت1ا2ي3"),  # تقرير/تقارير
    ("ت123ه", "ت1ا23"),  # تجربه/تجارب
)


def _compile(template: str) -> re.Pattern:
    parts = []
    for ch in template:
        parts.append(f"(?P<r{ch}>[\u0621-\u064a])" if ch.isdigit() else re.escape(ch))
    return re.compile("".join(parts) + r"\Z")


def _fill(template: str, roots: dict[str, str]) -> str:
    return "".join(roots[f"r{ch}"] if ch.isdigit() else ch for ch in template)


_COMPILED = tuple(
    (_compile(singular), singular, _compile(plural), plural, WEIGHT_AMBIGUOUS if (singular, plural) in AMBIGUOUS_PAIRS else WEIGHT_PLURAL)
    for singular, plural in PATTERN_PAIRS
)


@lru_cache(maxsize=50_000)
def _core_candidates(core: str) -> tuple[tuple[str, str, float], ...]:
    """(candidate, "plural" | "singular", weight) for a word without particles."""
    found: dict[str, tuple[str, float]] = {}
    for singular_re, singular, plural_re, plural, weight in _COMPILED:
        for pattern, other, kind in ((singular_re, plural, "plural"), (plural_re, singular, "singular")):
            match = pattern.match(core)
            if match:
                candidate = _fill(other, match.groupdict())
                if candidate != core and len(candidate) >= MIN_LENGTH and weight > found.get(candidate, ("", 0.0))[1]:
                    found[candidate] = (kind, weight)
    return tuple((candidate, kind, weight) for candidate, (kind, weight) in found.items())


def _candidates(word: str) -> dict[str, tuple[str, float]]:
    if not word.isalpha() or word.isascii() or len(word) > 14:
        return {}
    # وزراء: و may be a particle or the first root letter; both readings are tried.
    cores = [word] + [word[len(p) :] for p in PROCLITICS if word.startswith(p) and len(word) - len(p) >= MIN_LENGTH]
    found: dict[str, tuple[str, float]] = {}
    for core in cores:
        for candidate, kind, weight in _core_candidates(core):
            if weight > found.get(candidate, ("", 0.0))[1]:
                found[candidate] = (kind, weight)
    return found


def plural_candidates(word: str) -> dict[str, str]:
    """{candidate: "plural" | "singular"} for a normalised word (particles and article set apart).

    Filter by the index vocabulary: most candidates are not words.
    """
    return {candidate: kind for candidate, (kind, _weight) in _candidates(word).items()}


def plural_lookups(word: str) -> set[str]:
    """The words known_plurals asks the vocabulary about (to ask for many words at once)."""
    return {form for candidate in _candidates(word) for form in (candidate, "ال" + candidate)}


def known_plurals(word: str, known) -> dict[str, float]:
    """Singular/plural forms of `word` found in the index (bare or with the article), with weights.

    `known(words) -> {word: documents}` is the index vocabulary; one call.
    """
    candidates = _candidates(word)
    if not candidates:
        return {}
    forms = {candidate: (candidate, "ال" + candidate) for candidate in candidates}
    documents = known(plural_lookups(word))
    result = {}
    for candidate, pair in forms.items():
        best = max(pair, key=lambda form: documents.get(form, 0))
        if documents.get(best, 0) >= 1:
            result[best] = max(result.get(best, 0.0), candidates[candidate][1])
    return result
