"""ArabicAnalyzer: the one entry point the search backends use, at index and at query time."""

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from akhbar.arabic.analysis.normalize import IGNORABLE, fold_final, light_normalize, normalize
from akhbar.arabic.analysis.protected import SEED_PROTECTED
from akhbar.arabic.analysis.stemmer import stem_readings
from akhbar.arabic.analysis.stopwords import STOP_WORDS, is_stop_word

# A word in the original text: letters/digits (\w) glued by diacritics, tatweel and
# invisible format characters, which never split a word. "_" is split off afterwards.
_WORD_IN_TEXT = re.compile("[\\w" + re.escape(IGNORABLE) + "]+")
# After normalising: runs of letters/digits, Arabic apart from other scripts (الـBBC → ال, bbc).
_PIECES = re.compile("[\u0621-\u064a\u0671-\u06ff0-9]+|[^\\W_\u0621-\u064a\u0671-\u06ff]+")

MAX_TERM_LENGTH = 40  # longer "words" (URLs, hostile input) are cut: no Arabic word comes close
MAX_QUERY_WORDS = 32  # a query longer than this is a paste, not a search; the rest is ignored
MAX_QUERY_CHARS = 2000
_FOLDED_STOP_WORDS = frozenset(fold_final(w) for w in STOP_WORDS)


@dataclass(frozen=True, slots=True)
class Token:
    surface: str  # the original slice of the text (for highlighting)
    start: int
    end: int
    norm: str  # normalised: letters and digits only
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
    """(normalised piece, is stop word) for each piece of one word of the original text."""
    light = light_normalize(original)
    if light.isalpha() or light.isdigit():
        pieces = [light] if _is_single_script(light) else _PIECES.findall(light)
    else:
        pieces = _PIECES.findall(light)
    return tuple((fold_final(piece)[:MAX_TERM_LENGTH], is_stop_word(piece)) for piece in pieces)


def _is_single_script(word: str) -> bool:
    return word.isascii() or all("\u0621" <= ch <= "\u06ff" for ch in word)


class ArabicAnalyzer:
    """Normalisation, tokens, stop words and ambiguity-keeping light stems.

    Thread-safe: the only mutable state is the protected-word set, replaced as a whole
    under a lock together with the stem cache that depends on it.
    """

    def __init__(self, protected: frozenset[str] = SEED_PROTECTED):
        self._lock = threading.Lock()
        self._set_protected(frozenset(protected))

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
        self._protected = protected
        self._stems = lru_cache(maxsize=200_000)(lambda word: stem_readings(word, protected, _FOLDED_STOP_WORDS))

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
        stem = self._stems
        for match in _WORD_IN_TEXT.finditer(text):
            for piece, stop in _analyse_word(match.group()):
                if stop:
                    stems.append(piece)
                else:
                    surface.append(piece)
                    stems.extend(stem(piece))
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
