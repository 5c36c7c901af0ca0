"""Typo correction against the index vocabulary: which of the one-edit candidates
(akhbar.arabic.analysis.typos) a query word may stand for.

Spelling correction, not blind fuzziness:
- a word the articles use is left alone, unless it is very rare (at most RARE_KNOWN
  documents, often itself a typo in one article) and the candidate is far more common
  (CLEARLY_MORE times, and in at least MIN_FOR_KNOWN documents);
- a word the articles never use gets the candidates they do use, the most common first;
  candidates far rarer than the best one are dropped;
- a word counts as used when, without its leading particles, it is a common word (وبمدينتهم
  need not occur as such: مدينتهم does): then it is not a typo either;
- a missing space is a split into two words the articles use, the first one possibly with
  particles they do not use with it (وبمنعللحديده → وبمنع للحديده); a stop word on one side
  leaves the other word alone (فيالمدينه → المدينه).
Each candidate becomes an Alternative with a weight below 1, so a document with the word as
typed still outranks one with the correction.
"""

from akhbar.arabic.analysis import ANALYZER, STOP_WORDS
from akhbar.arabic.analysis.normalize import fold_final
from akhbar.arabic.analysis.typos import edits1, scored_edits, splits

TYPO_WEIGHT = 0.7
SPLIT_WEIGHT = 0.7
RARE_KNOWN = 3
CLEARLY_MORE = 30
MIN_FOR_KNOWN = 20
# A candidate of an unknown word must be at least this share of the most common one.
MIN_SHARE_OF_BEST = 0.01
MAX_CORRECTIONS = 3
# A stem reading this common makes an unknown surface form a real (inflected) word.
COMMON_READING = 5
_STOP = frozenset(fold_final(word) for word in STOP_WORDS) | frozenset(STOP_WORDS)


def particle_readings(word: str) -> list[str]:
    """The readings of `word` that only drop leading particles (وبمدينتهم → مدينتهم)."""
    return [reading for reading in ANALYZER.stems(word) if reading != word and len(reading) >= 3 and word.endswith(reading)]


def candidates(word: str) -> set[str]:
    """Every word to look up in the vocabulary for `word`: its readings, its edits, its split parts."""
    words = set(edits1(word))
    for left, right in splits(word):
        words.update((left, right))
        words.update(particle_readings(left))
    words.update(particle_readings(word))
    return words


def _documents(part: str, counts: dict[str, int]) -> int:
    """How common a word is, or, not written as such in the articles, the word without its particles."""
    return counts.get(part, 0) or max((counts.get(reading, 0) for reading in particle_readings(part)), default=0)


def corrections(word: str, counts: dict[str, int]) -> list[tuple[tuple[str, ...], int]]:
    """(correction, documents) for `word`, the likeliest first; [] when `word` needs none.

    Likeliest: documents × how plausible the edit is as a typing error (a neighbouring key
    rather than a far one, see akhbar.arabic.analysis.typos.scored_edits), as a noisy-channel
    speller weighs a word's frequency by the chance of the mistake.
    `counts` is the vocabulary's answer for at least candidates(word) and `word`.
    """
    if not needs_correction(word, counts):
        return []
    own = counts.get(word, 0)
    threshold = max(MIN_FOR_KNOWN, CLEARLY_MORE * own) if own else 1
    found: dict[tuple[str, ...], tuple[int, float]] = {}

    def propose(correction: tuple[str, ...], documents: int, plausibility: float = 1.0) -> None:
        if documents >= threshold and documents * plausibility > _likelihood(found.get(correction)):
            found[correction] = (documents, plausibility)

    for candidate, plausibility in scored_edits(word).items():
        propose((candidate,), counts.get(candidate, 0), plausibility)
    for left, right in splits(word):
        if left in _STOP and right in _STOP:
            continue
        if left in _STOP or right in _STOP:
            content = right if left in _STOP else left
            if len(content) >= 3:
                propose((content,), counts.get(content, 0))
            continue
        propose((left, right), min(_documents(left, counts), counts.get(right, 0)))
    if not found:
        return []
    best = max(map(_likelihood, found.values()))
    ranked = sorted(found.items(), key=lambda item: (-_likelihood(item[1]), item[0]))
    return [(words, documents) for words, (documents, plausibility) in ranked if documents * plausibility >= best * MIN_SHARE_OF_BEST][
        :MAX_CORRECTIONS
    ]


def _likelihood(found: tuple[int, float] | None) -> float:
    return found[0] * found[1] if found else 0.0


def needs_correction(word: str, counts: dict[str, int]) -> bool:
    """Whether `word` may be a typo at all, from its own count and its particle-free readings'."""
    own = counts.get(word, 0)
    if own > RARE_KNOWN or len(word) < 3 or not word.isalpha() or word in _STOP:
        return False  # stop words are not in the vocabulary (not indexed as surface words), yet not typos
    return bool(own) or not any(counts.get(reading, 0) >= COMMON_READING for reading in particle_readings(word))


def vocabulary_counts(words: list[str], known) -> dict[str, int]:
    """Counts for `words` and, for those that may be typos, all their candidates: at most two
    vocabulary queries, and only one for a query whose words are all in common use."""
    counts = known([*words, *(reading for word in words for reading in particle_readings(word))])
    doubtful = [word for word in words if needs_correction(word, counts)]
    if doubtful:
        counts = {**counts, **known([candidate for word in doubtful for candidate in candidates(word)])}
    return counts


def typo_alternatives(words: list[str], known) -> dict:
    """The expander (expansion.EXPANDERS): corrections of each query word."""
    from .expansion import Alternative

    counts = vocabulary_counts(words, known)
    result = {}
    for position, word in enumerate(words):
        found = corrections(word, counts) if needs_correction(word, counts) else []
        if found:
            result[position] = [
                Alternative(correction, SPLIT_WEIGHT if len(correction) == 2 else TYPO_WEIGHT, "typo") for correction, _documents in found
            ]
    return result
