"""Expanders for spellings light stemming cannot join: loanword variants, broken plurals and
names written as one word or two (expansion.Expander contract).

- "variant": another spelling of a foreign name or word (ترمب → ترامب, جوجل → غوغل), from
  akhbar.arabic.analysis.variants, kept only when the index has it and neither word behaves
  like an ordinary Arabic word there (see variants.known_variants for the rule).
- "plural": the singular or broken plural of the word (صاروخ ↔ صواريخ, مدينه ↔ مدن), from
  akhbar.arabic.analysis.plurals, kept only when the index has it.
- "variant" for compounds: two query words the articles write as one (فيس بوك → فيسبوك, on
  both positions), or one query word they write as two (فيسبوك → فيس + بوك, both needed).

Every candidate is checked against the site's own vocabulary (`known`), so what is proposed
follows the articles as they are indexed; nothing is kept in a table of its own.
"""

from collections.abc import Callable, Iterable

from akhbar.arabic.analysis import STOP_WORDS
from akhbar.arabic.analysis.plurals import known_plurals, plural_lookups
from akhbar.arabic.analysis.variants import known_variants, variant_lookups

Known = Callable[[Iterable[str]], dict[str, int]]

WEIGHT_JOINED = 0.9  # فيس بوك → فيسبوك: the same word, spaced differently
WEIGHT_SPLIT = 0.8  # فيسبوك → فيس + بوك (both words needed, anywhere in the document)
MIN_PART = 3  # a part of a split word: shorter pieces are particles and letters
MIN_DOCUMENTS = 2
MAX_PLURALS = 2  # per word: the likeliest patterns, then the forms most articles use
MAX_QUERY_WORDS = 8  # beyond this a query is a pasted sentence: no variants


def _arabic(word: str) -> bool:
    return word.isalpha() and not word.isascii()


def _joined_alternatives(words: list[str], known: Known, add) -> None:
    """Adjacent query words that the articles write as one word: an alternative on both positions."""
    pairs = {
        i: words[i] + words[i + 1]
        for i in range(len(words) - 1)
        if _arabic(words[i]) and _arabic(words[i + 1]) and words[i] not in STOP_WORDS and words[i + 1] not in STOP_WORDS
    }
    if not pairs:
        return
    documents = known(pairs.values())
    for i, joined in pairs.items():
        if documents.get(joined, 0) >= MIN_DOCUMENTS:
            add(i, (joined,), WEIGHT_JOINED, "variant")
            add(i + 1, (joined,), WEIGHT_JOINED, "variant")


def _split_alternatives(words: list[str], known: Known, add) -> None:
    """A query word the articles write only as two words (فيسبوك → فيس بوك)."""
    splits: dict[int, list[tuple[str, str]]] = {}
    for i, word in enumerate(words):
        if not _arabic(word) or len(word) < 2 * MIN_PART:
            continue
        splits[i] = [
            (word[:cut], word[cut:])
            for cut in range(MIN_PART, len(word) - MIN_PART + 1)
            if word[:cut] not in STOP_WORDS and word[cut:] not in STOP_WORDS and not word[cut:].startswith("ال")
        ]
    if not splits:
        return
    documents = known([word for i in splits for pair in splits[i] for word in (words[i], *pair)])
    for i, pairs in splits.items():
        word = words[i]
        own = documents.get(word, 0)
        for first, second in pairs:
            if min(documents.get(first, 0), documents.get(second, 0)) < MIN_DOCUMENTS:
                continue
            # Only a word the articles (nearly) never write joined: a known word is cut into
            # two known pieces far too easily (مورينيو → موري + نيو).
            if own < MIN_DOCUMENTS:
                add(i, (first, second), WEIGHT_SPLIT, "variant")


def variant_alternatives(words: list[str], known: Known) -> dict[int, list]:
    """{position: [Alternative, …]}: loanword spellings, broken plurals and compounds."""
    from .expansion import Alternative  # expansion.py lists this expander

    result: dict[int, list[Alternative]] = {}

    def add(position: int, parts: tuple[str, ...], weight: float, reason: str) -> None:
        if parts != (words[position],):
            result.setdefault(position, []).append(Alternative(parts, weight, reason))

    if len(words) > MAX_QUERY_WORDS:
        return result
    candidates = [word for word in words if _arabic(word) and word not in STOP_WORDS]
    # One vocabulary query for every word's first questions (`known` caches the answers).
    known(set().union(*(variant_lookups(word) | plural_lookups(word) for word in candidates)))
    for i, word in enumerate(words):
        if word not in candidates:
            continue
        for form, weight in known_variants(word, known).items():
            add(i, (form,), weight, "variant")
        plurals = known_plurals(word, known)
        documents = known(plurals)
        best = sorted(plurals, key=lambda form: (-plurals[form], -documents.get(form, 0), form))[:MAX_PLURALS]
        for form in best:
            add(i, (form,), plurals[form], "plural")
    _joined_alternatives(words, known, add)
    _split_alternatives(words, known, add)
    return result
