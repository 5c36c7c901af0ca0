"""OpenSearch/Elasticsearch analysis settings generated from Akhbar's own tables.

The letter foldings, ignorable characters, hamza-seat rule, stop words and protected names
come from akhbar.arabic.analysis, so the JSON in deploy/opensearch/ is never edited by hand:
`manage.py opensearch_settings --write` regenerates it and a test checks that it is in sync.
No Django and no OpenSearch client here: plain data.

Two analysers, used by akhbar.search.opensearch on every full-text field:

    akhbar_surface   normalised words, stop words dropped     (the field itself, full weight)
    akhbar_stems     the same, plus one light stem per word   (subfield "stems", lower weight)

What OpenSearch cannot mirror is listed in docs/search.md (one Lucene stem instead of every
reading, no learned variants, a tokenizer that does not split الـBBC or 2018م).
"""

import json
import unicodedata

from akhbar.arabic.analysis import STOP_WORDS, ArabicAnalyzer
from akhbar.arabic.analysis.analyzer import MAX_TERM_LENGTH
from akhbar.arabic.analysis.normalize import _HAMZA_BEFORE_PRONOUN, _LIGHT_TABLE, IGNORABLE, light_normalize
from akhbar.search.bm25 import TEXT_STEMS, TEXT_SURFACE

SURFACE_ANALYZER = "akhbar_surface"
STEMS_ANALYZER = "akhbar_stems"
AUTOCOMPLETE_SEARCH_ANALYZER = "akhbar_autocomplete"
STEMS_SUBFIELD = "stems"
# A stem-only match counts this much of an exact-word match (the database backends' text weights).
STEMS_BOOST = TEXT_STEMS / TEXT_SURFACE
INDEX_PATTERNS = ["akhbar_*"]  # with WAGTAILSEARCH_BACKENDS INDEX_PREFIX "akhbar_"

SPACE = "\\u0020"  # how a mapping rule writes a space (rules are trimmed)
# Code points whose spelling Akhbar folds: Arabic, its supplements and presentation forms, digits.
_FOLDED_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x06F0, 0x06F9))
# In Akhbar's order (normalize.light_normalize): marks and controls, letters, hamza seat, carriers.
COMMON_CHAR_FILTERS = ["akhbar_ignorable", "akhbar_letters", "akhbar_hamza_seat", "akhbar_hamza_carriers"]
FOLDING_FILTERS = ["cjk_width", "lowercase", "asciifolding", "arabic_normalization", "akhbar_max_length"]
# Stop words are checked before arabic_normalization folds ى/ة (على is a stop word, علي is a name).
COMMON_FILTERS = ["cjk_width", "lowercase", "asciifolding", "akhbar_stop", "arabic_normalization", "akhbar_max_length"]


def _java_class(chars: str) -> str:
    """A Java regex character class for `chars`, as \\uXXXX ranges."""
    codes = sorted({ord(ch) for ch in chars})
    ranges, start = [], None
    for index, code in enumerate(codes):
        if start is None:
            start = code
        if index + 1 == len(codes) or codes[index + 1] != code + 1:
            ranges.append(f"\\u{start:04X}" if start == code else f"\\u{start:04X}-\\u{code:04X}")
            start = None
    return "[" + "".join(ranges) + "]"


def letter_mappings() -> tuple[list[str], str]:
    """("from => to" lines of the mapping char filter, characters to delete with the marks).

    Every word character of the folded blocks that Akhbar's letter table (after NFKC) turns
    into something else. Isolated-harakat presentation forms become a space, as NFKC makes
    them in Akhbar (where they split the word); medial ones (tatweel + haraka) are deleted. The hamza carriers ئ/ؤ are left for after
    the hamza-seat rule (carrier_mappings), and ى/ة for after the stop-word check
    (arabic_normalization folds them), as in Akhbar.
    """
    lines, deleted = [], ""
    for low, high in _FOLDED_BLOCKS:
        for code in range(low, high + 1):
            ch = chr(code)
            if ch in IGNORABLE or not ch.isalnum():
                continue
            folded = unicodedata.normalize("NFKC", ch).casefold().translate(_LIGHT_TABLE)
            if not folded:
                deleted += ch
            elif folded != ch:
                lines.append(f"{ch} => {folded.strip() or SPACE}")
    return sorted(set(lines)), deleted


def carrier_mappings() -> list[str]:
    """ئ → ي and ؤ → و, and ئو → وو first (مسئول = مسؤول; the longest match wins)."""
    return [f"{source} => {light_normalize(source)}" for source in ("ئو", "ئ", "ؤ")]


def hamza_seat_pattern() -> str:
    """Akhbar's rule for ئ/ؤ after ا before a pronoun (زملائه = زملاءه), in Java regex syntax."""
    return _HAMZA_BEFORE_PRONOUN.pattern.replace("(?!\\w)", "(?![\\p{L}\\p{N}_])")


def stop_words() -> list[str]:
    """Akhbar's stop words in their light form (ى and ة kept: على is one, علي is not)."""
    return sorted(STOP_WORDS)


def protected_words() -> list[str]:
    """The seed of names never stemmed (normalised as the index holds them)."""
    return sorted(ArabicAnalyzer().protected)


def analysis_settings() -> dict:
    mappings, deleted = letter_mappings()
    return {
        "char_filter": {
            "akhbar_ignorable": {
                "type": "pattern_replace",
                "pattern": _java_class(IGNORABLE + deleted),
                "replacement": "",
            },
            "akhbar_letters": {"type": "mapping", "mappings": mappings},
            "akhbar_hamza_seat": {"type": "pattern_replace", "pattern": hamza_seat_pattern(), "replacement": "ء"},
            "akhbar_hamza_carriers": {"type": "mapping", "mappings": carrier_mappings()},
        },
        "filter": {
            "akhbar_stop": {"type": "stop", "stopwords": stop_words()},
            "akhbar_max_length": {"type": "truncate", "length": MAX_TERM_LENGTH},
            "akhbar_protected": {"type": "keyword_marker", "keywords": protected_words()},
            # Lucene's Arabic light stemmer (one stem; keyword_repeat keeps the whole word beside it).
            "akhbar_light_stem": {"type": "stemmer", "language": "arabic"},
        },
        "analyzer": {
            SURFACE_ANALYZER: {
                "type": "custom",
                "char_filter": COMMON_CHAR_FILTERS,
                "tokenizer": "standard",
                "filter": COMMON_FILTERS,
            },
            STEMS_ANALYZER: {
                "type": "custom",
                "char_filter": COMMON_CHAR_FILTERS,
                "tokenizer": "standard",
                # keyword_repeat emits each word twice, the second copy not a keyword: the protected
                # names are marked after it, so neither copy of a name is stemmed.
                "filter": [*COMMON_FILTERS, "keyword_repeat", "akhbar_protected", "akhbar_light_stem", "remove_duplicates"],
            },
            # What a reader has typed so far, folded like the index but with stop words kept (ال…).
            AUTOCOMPLETE_SEARCH_ANALYZER: {
                "type": "custom",
                "char_filter": COMMON_CHAR_FILTERS,
                "tokenizer": "standard",
                "filter": FOLDING_FILTERS,
            },
        },
    }


def modelsearch_overrides() -> dict:
    """Index settings that fold the words modelsearch's autocomplete (edge n-gram) analyser indexes."""
    return {
        "analysis": {
            "analyzer": {
                "edgengram_analyzer": {
                    "type": "custom",
                    "char_filter": COMMON_CHAR_FILTERS,
                    "tokenizer": "standard",
                    "filter": [*FOLDING_FILTERS, "edgengram"],
                }
            }
        }
    }


def index_settings() -> dict:
    """The `settings` body for an index (WAGTAILSEARCH_BACKENDS INDEX_SETTINGS["settings"])."""
    analysis = analysis_settings()
    # Any text field nobody mapped explicitly gets Akhbar's surface analysis too.
    analysis["analyzer"]["default"] = dict(analysis["analyzer"][SURFACE_ANALYZER])
    return {"analysis": analysis}


def index_template() -> dict:
    """A composable index template: every index named akhbar_* gets Akhbar's analysis."""
    return {
        "index_patterns": INDEX_PATTERNS,
        "priority": 100,
        "template": {"settings": index_settings()},
    }


def to_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"

