"""The normalised forms aliases are stored and looked up by: the search analysis's own words,
so an alias typed "Al-Hodeidah" meets the query "al hodeidah" and "الحديدة" meets الحديده."""

from akhbar.arabic.analysis import ANALYZER

MAX_KEY_WORDS = 6


def name_words(text: str) -> list[str]:
    """Normalised letters/digits words of a name, in order (lower-case, no accents, no hamza seats)."""
    words = []
    for token in ANALYZER.tokens(text or "", limit=MAX_KEY_WORDS):
        word = "".join(ch for ch in token.norm if ch.isalnum()).lower()
        if word:
            words.append(ANALYZER.normalize_word(word))
    return [word for word in words if word]


def name_key(text: str) -> str:
    return " ".join(name_words(text))
