"""«Did you mean»: the query with its unknown or very rare words replaced by the most common
word of the site's articles one edit away, or split in two where a space is missing.

    suggest_spelling(query) -> str | None     (None: nothing to correct)

The rules are the typo expander's (typos.py): a word the articles use is left alone unless it
is very rare and the correction far more common. The suggestion keeps the reader's own text
around each correction and the reader's own letters inside it (ة stays ة, أ stays أ); only the
edited letters come from the normalised vocabulary. One or two vocabulary queries per call.
"""

from difflib import SequenceMatcher

from akhbar.arabic.analysis import ANALYZER, STOP_WORDS
from akhbar.arabic.analysis.normalize import normalize

from .analysis import clean_term
from .typos import corrections, vocabulary_counts
from .vocabulary import known_words

MAX_QUERY_CHARS = 500
MAX_WORDS = 12


def suggest_spelling(query: str, known=known_words) -> str | None:
    """The corrected query, or None when every word is fine (or nothing better is known)."""
    if not isinstance(query, str) or not query.strip():
        return None
    query = query[:MAX_QUERY_CHARS]
    tokens = [token for token in ANALYZER.tokens(query, limit=4 * MAX_WORDS) if not token.stop and clean_term(token.norm)][:MAX_WORDS]
    words = list(dict.fromkeys(clean_term(token.norm) for token in tokens))
    if not words:
        return None
    counts = vocabulary_counts(words, known)
    replacements: dict[str, str] = {}
    for word in words:
        found = corrections(word, counts)
        if found:
            replacements[word] = _target(word, found[0][0])
    if not replacements:
        return None
    pieces, position, changed = [], 0, False
    seen_spans = set()
    for token in tokens:
        word = clean_term(token.norm)
        if word not in replacements or (token.start, token.end) in seen_spans or token.start < position:
            continue
        seen_spans.add((token.start, token.end))
        corrected = _respell(token.surface, word, replacements[word])
        pieces.append(query[position : token.start])
        pieces.append(corrected)
        position = token.end
        changed = changed or corrected != token.surface
    pieces.append(query[position:])
    suggestion = " ".join("".join(pieces).split())
    return suggestion if changed and suggestion != " ".join(query.split()) else None


def _target(word: str, correction: tuple[str, ...]) -> str:
    """The normalised text replacing `word`: one word, two words, or a stop word put back apart."""
    if len(correction) == 2:
        return " ".join(correction)
    (content,) = correction
    for stop in STOP_WORDS:
        folded = normalize(stop)
        if word == folded + content:
            return f"{stop} {content}"
        if word == content + folded:
            return f"{content} {stop}"
    return content


def _respell(original: str, word: str, target: str) -> str:
    """`target` written with the reader's own letters wherever it agrees with `word`."""
    letters = [(normalize(char), char) for char in original]
    letters = [(folded, char) for folded, char in letters if folded]
    if "".join(folded for folded, _char in letters) != word or any(len(folded) != 1 for folded, _char in letters):
        return target  # contextual folding (ئو, hamza seats, NFKC): no letter-by-letter match
    result = []
    for operation, a1, a2, b1, b2 in SequenceMatcher(None, word, target, autojunk=False).get_opcodes():
        if operation == "equal":
            result.extend(char for _folded, char in letters[a1:a2])
        elif operation in ("replace", "insert"):
            result.append(target[b1:b2])
    return "".join(result)
