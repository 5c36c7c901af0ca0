"""Query expansion: other words that may stand for a query word (a typo's correction, another
spelling of a name, a broken plural, an alias …), each found in the index like the word itself.

    expand(words, known=None) -> {position: [Alternative, …]}

An expander sees the whole query (normalised surface words, in order, as
analysis.query_terms gives them) and proposes alternatives per position; `known` is
vocabulary.known_words (documents per word). Only words that occur in the site's own
articles are worth proposing, so expanders filter their candidates through `known`.

Ranking (ranking.py) lets a query word match a document through its own forms or through any
alternative: its score there is max(own score, weight × the alternative's score), where the
alternative's score is that of its word(s) as if they had been typed (with all their stem
readings); a two-word alternative counts only in documents that have both words. A weight
below 1 keeps documents with the word as typed ahead of those with a substitute.

Expanders are listed in EXPANDERS; add one with an import and a list entry. A failing
expander is logged and skipped: a search never fails because of one.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from akhbar.arabic.analysis import ANALYZER

from .analysis import MAX_READINGS, QueryTerm, clean_term
from .expanders_latin import latin_alternatives
from .expanders_variants import variant_alternatives
from .typos import typo_alternatives
from .vocabulary import known_words

logger = logging.getLogger(__name__)

REASONS = ("typo", "variant", "plural", "latin", "alias")
# At most this many alternatives per query word, and distinct alternative words per query: each
# is one more index lookup (SQLite: one more FTS query), so the cost of a search stays bounded.
MAX_ALTERNATIVES_PER_WORD = 4
MAX_ALTERNATIVE_WORDS = 16


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # normalised surface word(s) that stand for the query word; 2 for a split compound
    weight: float  # 0 < weight <= 1: multiplies the BM25 score of this alternative
    reason: str  # "typo" | "variant" | "plural" | "latin" | "alias"


Known = Callable[[Iterable[str]], dict[str, int]]
Expander = Callable[[list[str], Known], dict[int, list[Alternative]]]

EXPANDERS: list[Expander] = [
    typo_alternatives,
    variant_alternatives,
    latin_alternatives,
]


class CachedKnown:
    """known_words answering each word once: expanders asking again cost no query."""

    def __init__(self, lookup: Known = known_words):
        self.lookup = lookup
        self.answers: dict[str, int] = {}
        self.asked: set[str] = set()
        self.queries = 0

    def __call__(self, words: Iterable[str]) -> dict[str, int]:
        words = list(dict.fromkeys(words))
        missing = [word for word in words if word not in self.asked]
        if missing:
            self.queries += 1
            self.answers.update(self.lookup(missing))
            self.asked.update(missing)
        return {word: self.answers[word] for word in words if word in self.answers}


def expand(words: list[str], known: Known | None = None, expanders: list[Expander] | None = None) -> dict[int, list[Alternative]]:
    """Alternatives per position of `words`, best weight first, within the limits above."""
    if not words:
        return {}
    known = known if isinstance(known, CachedKnown) else CachedKnown(known or known_words)
    proposed: dict[int, dict[tuple[str, ...], Alternative]] = {}
    for expander in EXPANDERS if expanders is None else expanders:
        try:
            found = expander(list(words), known)
        except Exception:
            logger.exception("Query expander %s failed on %r", getattr(expander, "__name__", expander), words)
            continue
        for position, alternatives in (found or {}).items():
            if not 0 <= position < len(words):
                continue
            for alternative in alternatives:
                if not _valid(alternative, words[position]):
                    continue
                best = proposed.setdefault(position, {}).get(alternative.words)
                if best is None or alternative.weight > best.weight:
                    proposed[position][alternative.words] = alternative
    result: dict[int, list[Alternative]] = {}
    budget = MAX_ALTERNATIVE_WORDS
    seen: set[str] = set(words)
    for position in sorted(proposed):
        ranked = sorted(proposed[position].values(), key=lambda a: (-a.weight, a.words))[:MAX_ALTERNATIVES_PER_WORD]
        kept = []
        for alternative in ranked:
            new = set(alternative.words) - seen
            if len(new) > budget:
                continue
            budget -= len(new)
            seen |= new
            kept.append(alternative)
        if kept:
            result[position] = kept
    return result


def alternative_term(word: str) -> QueryTerm | None:
    """An alternative word as a query word, as if the reader had typed it: its surface form and
    all its stem readings (so a correction also finds the word with particles and suffixes)."""
    surface = clean_term(word)
    if not surface:
        return None
    readings = sorted({clean_term(stem) for stem in ANALYZER.stems(surface)} - {""} | {surface}, key=lambda s: (-len(s), s))
    return QueryTerm(surface, tuple(readings[:MAX_READINGS]))


def _valid(alternative: Alternative, word: str) -> bool:
    return (
        isinstance(alternative, Alternative)
        and 0 < alternative.weight <= 1
        and 0 < len(alternative.words) <= 2
        and all(isinstance(part, str) and part for part in alternative.words)
        and alternative.words != (word,)
    )
