"""Scoring for `bench.search_eval`: ranking metrics and the relevant set of Latin-name queries.

Pure Python with no Django, so the rules can be unit-tested on hand-made data
(tests/test_search_eval_metrics.py). A ranking is the list of `external_id`s the search
returned, best first; an entry may be None (a page with no external id) and still takes
its place in the ranking.
"""

import math
import re
import statistics
from collections.abc import Iterable, Sequence

CUTOFF = 10


def _first_hit_rank(ranking: Sequence[str | None], relevant: Iterable[str], k: int) -> int | None:
    wanted = set(relevant)
    for position, item in enumerate(ranking[:k], start=1):
        if item is not None and item in wanted:
            return position
    return None


def reciprocal_rank(ranking: Sequence[str | None], relevant: Iterable[str], k: int = CUTOFF) -> float:
    """1/rank of the first relevant result within the first k, 0.0 when none is there (MRR@k per query)."""
    rank = _first_hit_rank(ranking, relevant, k)
    return 1.0 / rank if rank else 0.0


def success(ranking: Sequence[str | None], relevant: Iterable[str], k: int = CUTOFF) -> float:
    """1.0 when a relevant result is within the first k, else 0.0 (success@k per query)."""
    return 1.0 if _first_hit_rank(ranking, relevant, k) else 0.0


def precision(ranking: Sequence[str | None], relevant: Iterable[str], k: int = CUTOFF) -> float:
    """Share of the first k places holding a distinct relevant result (precision@k, always over k).

    Fewer than k results leave empty places that count as misses, and an id returned twice
    counts once: a system cannot score by returning little or by repeating itself.
    """
    wanted = set(relevant)
    hits = {item for item in ranking[:k] if item is not None and item in wanted}
    return len(hits) / k


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (share in 0..1): a value that was actually observed."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(share * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


# --- relevant set of Latin-name queries ------------------------------------------------------
#
# README: "relevant = every indexed article containing the Arabic name (key `arabic`)". The
# rule below is what "containing" means in the shipped `relevant` lists (it reproduces all of
# them on dev_queries.jsonl): title and body are folded (alef forms → ا, ة → ه, ى → ي, tatweel
# dropped; diacritics are NOT removed), cut into words = maximal runs of letters and digits
# (so `_` and any diacritic end a word), and every word of the name must occur as a word,
# optionally preceded by و/ف, then ب/ل/ك, then (when the name word has no article) ال.
# Nothing else counts: no stemming, no suffixes, no لل contraction (للحديدة is not «الحديدة»).

_ALEF_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "\u0640": None})
_WORD = re.compile(r"[^\W_]+")
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
PROCLITICS = tuple(c + p for c in _CONJUNCTIONS for p in _PREPOSITIONS)


def fold(text: str) -> str:
    return text.translate(_ALEF_FORMS)


def words(text: str) -> set[str]:
    """The distinct folded words of a text, as the relevance rule sees them."""
    return set(_WORD.findall(fold(text)))


def name_word_forms(word: str) -> frozenset[str]:
    """Every written form under which one word of a name counts as present."""
    word = fold(word)
    forms = {clitic + word for clitic in PROCLITICS}
    if not word.startswith("ال"):
        forms |= {clitic + "ال" + word for clitic in PROCLITICS}
    return frozenset(forms)


class NameMatcher:
    """Does a text contain an Arabic name (every word of it, anywhere in the text)?"""

    def __init__(self, name: str):
        self.name = name
        self.word_forms = [name_word_forms(word) for word in _WORD.findall(fold(name))]

    def matches_words(self, text_words: set[str]) -> bool:
        return bool(self.word_forms) and all(not forms.isdisjoint(text_words) for forms in self.word_forms)

    def matches(self, text: str) -> bool:
        return self.matches_words(words(text))


def article_text(record: dict) -> str:
    """What the rule reads of an indexed record: title and body (the README: "title + body")."""
    return f"{record.get('title') or ''}\n{record.get('body') or ''}"


def relevant_for_names(records: Iterable[dict], names: Iterable[str]) -> dict[str, set[str]]:
    """{Arabic name: ids of the records containing it}, reading the records once."""
    matchers = {name: NameMatcher(name) for name in set(names)}
    found: dict[str, set[str]] = {name: set() for name in matchers}
    for record in records:
        text_words = words(article_text(record))
        for name, matcher in matchers.items():
            if matcher.matches_words(text_words):
                found[name].add(str(record["id"]))
    return found
