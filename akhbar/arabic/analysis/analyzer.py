"""ArabicAnalyzer: the one entry point the search backends use, at index and at query time."""

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from akhbar.arabic.analysis.normalize import IGNORABLE, fold_final, light_normalize, normalize
from akhbar.arabic.analysis.protected import SEED_PROTECTED_NAMES
from akhbar.arabic.analysis.stemmer import stem_readings
from akhbar.arabic.analysis.stopwords import STOP_WORDS, is_stop_word

# A word in the original text: letters/digits (\w) glued by diacritics, tatweel and
# invisible format characters, which never split a word. "_" is split off afterwards.
_WORD_IN_TEXT = re.compile("[\\w" + re.escape(IGNORABLE) + "]+")
# After normalising, a word splits into runs of Arabic letters, of digits and of other letters:
# الـBBC → ال, bbc; 2018م → 2018, م; كوفيد19 → كوفيد, 19 (as كوفيد-19 is read).
_ARABIC_LETTERS = "\u0621-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_PIECES = re.compile(f"[{_ARABIC_LETTERS}]+|\\d+|[^\\W\\d_{_ARABIC_LETTERS}]+")
_ARABIC_WORD = re.compile(f"[{_ARABIC_LETTERS}]+")

MAX_TERM_LENGTH = 40  # longer "words" (URLs, hostile input) are cut: no Arabic word comes close
MAX_QUERY_WORDS = 32  # a query longer than this is a paste, not a search; the rest is ignored
MAX_QUERY_CHARS = 2000
MAX_INDEX_CHARS = 2_000_000  # per text (a novel is about 600,000 characters): beyond that is hostile
# Stem readings that are stop words are dropped (ولايه → ولا would match every «and not»);
# only those whose folded form is itself a stop word: علي (Ali) stays, على is the stop word.
_EXCLUDED_READINGS = frozenset(w for w in STOP_WORDS if fold_final(w) == w)


class Token(NamedTuple):
    surface: str  # the original slice of the text (for highlighting)
    start: int
    end: int
    norm: str  # normalised: letters and digits only (a stop word keeps ى/ة: على, not علي)
    stop: bool = False


@dataclass(frozen=True, slots=True)
class IndexTerms:
    surface: list[str]  # normalised words in order, stop words dropped (high weight)
    stems: list[str]  # every stem reading of every word, stop words kept as they are (low weight)


@dataclass(frozen=True, slots=True)
class QueryWord:
    surface: str  # normalised
    stems: frozenset[str] = field(default_factory=frozenset)  # all readings, `surface` included


@lru_cache(maxsize=200_000)
def _analyse_word(original: str) -> tuple[tuple[str, bool], ...]:
    """(term, is stop word) for each piece of one word of the original text.

    A stop word keeps its light form (على stays على, not علي): stop words are indexed
    among the stems only for queries made of nothing else, and must not meet the name علي.
    """
    light = light_normalize(original)
    if light.isdecimal() or (light.isalpha() and (light.isascii() or _ARABIC_WORD.fullmatch(light))):
        pieces = [light]
    else:
        pieces = _PIECES.findall(light)
    result = []
    for piece in pieces:
        piece = piece[:MAX_TERM_LENGTH]
        stop = is_stop_word(piece)
        result.append((piece if stop else fold_final(piece), stop))
    return tuple(result)


class ArabicAnalyzer:
    """Normalisation, tokens, stop words and ambiguity-keeping light stems.

    Thread-safe: the only mutable state is the protected-word set, replaced as a whole
    under a lock together with the stem cache that depends on it.
    """

    def __init__(self, protected=None):
        self._lock = threading.Lock()
        self._set_protected(frozenset())
        self.protect(SEED_PROTECTED_NAMES.split() if protected is None else protected)

    # -- configuration -----------------------------------------------------------------

    @property
    def protected(self) -> frozenset[str]:
        return self._protected

    def protect(self, words) -> None:
        """Add words never to be stemmed (names). Terms already indexed keep their old stems."""
        new = frozenset(self.normalize_word(w) for w in words) - {""}
        with self._lock:
            if not new <= self._protected:
                self._set_protected(self._protected | new)

    def _set_protected(self, protected: frozenset[str]) -> None:
        stems = lru_cache(maxsize=200_000)(lambda word: stem_readings(word, protected, _EXCLUDED_READINGS))

        @lru_cache(maxsize=200_000)
        def word_terms(original: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
            """(surface terms, stem terms) of one word of the original text."""
            surface: list[str] = []
            readings: list[str] = []
            for piece, stop in _analyse_word(original):
                if stop:
                    readings.append(piece)
                else:
                    surface.append(piece)
                    readings.extend(stems(piece))
            return tuple(surface), tuple(readings)

        self._protected, self._stems, self._word_terms = protected, stems, word_terms

    # -- public API ----------------------------------------------------------------------

    def normalize(self, text: str) -> str:
        return normalize(text)

    def normalize_word(self, word: str) -> str:
        """The normalised letters/digits of `word` joined (for lists of names)."""
        return "".join(piece for piece, _ in _analyse_word(word))

    def tokens(self, text: str, limit: int | None = None) -> list[Token]:
        result: list[Token] = []
        for match in _WORD_IN_TEXT.finditer(text):
            original = match.group()
            for piece, stop in _analyse_word(original):
                result.append(Token(original, match.start(), match.end(), piece, stop))
            if limit is not None and len(result) >= limit:
                return result[:limit]
        return result

    def stems(self, norm_word: str) -> frozenset[str]:
        return self._stems(norm_word)

    def index_terms(self, text: str) -> IndexTerms:
        surface: list[str] = []
        stems: list[str] = []
        word_terms = self._word_terms
        for word in _WORD_IN_TEXT.findall(text[:MAX_INDEX_CHARS]):
            word_surface, word_stems = word_terms(word)
            surface.extend(word_surface)
            stems.extend(word_stems)
        return IndexTerms(surface, stems)

    def query_words(self, text: str) -> list[QueryWord]:
        """Words of a query; stop words dropped unless there is nothing else."""
        tokens = self.tokens(text[:MAX_QUERY_CHARS], limit=4 * MAX_QUERY_WORDS)
        seen: set[str] = set()
        content: list[Token] = []
        stops: list[Token] = []
        for token in tokens:
            if token.norm in seen:
                continue
            seen.add(token.norm)
            (stops if token.stop else content).append(token)
        if content:
            return [QueryWord(t.norm, self._stems(t.norm)) for t in content[:MAX_QUERY_WORDS]]
        return [QueryWord(t.norm, frozenset((t.norm,))) for t in stops[:MAX_QUERY_WORDS]]
