"""Highlighted titles and snippets for search results.

A word of a text is marked when the index would have matched it to a query word: its
normalised form is the query word, or one of its stem readings is one of the query word's
readings (the same analysis, akhbar.search.analysis.query_terms, as the backends). So a
search for الولايات marks بالولايات, and a query's stop word marks only itself.

Everything is escaped here; only the <mark> elements this module writes are HTML.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from akhbar.arabic.analysis import ANALYZER

from .analysis import QueryTerm, clean_term, query_terms

SNIPPET_WORDS = 32  # words in a snippet: two lines on a phone, one and a half on a desktop
LEAD_WORDS = 6  # words of context kept before the first marked word
MAX_SOURCE_CHARS = 30_000  # a snippet is looked for in the first pages of a very long article
ELLIPSIS = "…"

_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|br|hr|figure|figcaption|table|tr|td|th)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Highlighter:
    """Which words of a text match the analysed words of one query."""

    terms: tuple[QueryTerm, ...]
    _seen: dict = field(default_factory=dict, compare=False, repr=False)  # (norm, stop) → matched term indexes

    @classmethod
    def for_query(cls, query: str, extra_terms=()) -> "Highlighter":
        """`extra_terms`: more QueryTerms the search matched through (e.g. expansion alternatives)."""
        return cls(tuple(query_terms(query)) + tuple(extra_terms))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matched_terms(self, norm: str, stop: bool) -> frozenset[int]:
        """Indexes of the query terms that the text word (normalised as `norm`) matches."""
        known = self._seen.get((norm, stop))
        if known is not None:
            return known
        word = clean_term(norm)
        # Stem readings are parts of the word (prefixes and suffixes taken off), so a word none of
        # whose parts is a query reading cannot match: most words of a text are ruled out
        # without computing their stems.
        candidates = [index for index, term in enumerate(self.terms) if any(reading in word for reading in term.readings)]
        if not candidates or not word:
            matched = frozenset()
        else:
            # The index keeps a stop word among the stems as itself only; other words with every reading.
            forms = {word} if stop else {word, *(clean_term(stem) for stem in ANALYZER.stems(word))}
            matched = frozenset(index for index in candidates if not forms.isdisjoint(self.terms[index].readings))
        self._seen[(norm, stop)] = matched
        return matched

    def words(self, text: str) -> list[tuple[int, int, frozenset[int]]]:
        """(start, end, matched term indexes) for each word of `text`, pieces of one word merged."""
        merged: dict[tuple[int, int], frozenset[int]] = {}
        for token in ANALYZER.tokens(text):
            key = (token.start, token.end)
            merged[key] = merged.get(key, frozenset()) | self.matched_terms(token.norm, token.stop)
        return [(start, end, matched) for (start, end), matched in merged.items()]

    def highlight(self, text: str) -> SafeString:
        """The whole of `text`, escaped, with every matching word in <mark>."""
        return _render(text, self.words(text) if self.terms else [], 0, len(text))

    def snippet(self, text: str, size: int = SNIPPET_WORDS) -> SafeString:
        """About `size` words of `text` around the best cluster of matching words, escaped and marked.

        The best window holds the most different query words, then the most matching words,
        then comes first. Without any match, the start of the text. In a long text only the
        stretch around the passage that best matches (region()) is analysed word by word.
        """
        text = _SPACES.sub(" ", text[:MAX_SOURCE_CHARS]).strip()
        if not text:
            return mark_safe("")
        region_start, region_end = self.region(text, size) if self.terms else (0, len(text))
        if self.terms:
            words = [(start + region_start, end + region_start, matched) for start, end, matched in self.words(text[region_start:region_end])]
        else:
            words = [(m.start(), m.end(), frozenset()) for m in re.finditer(r"\S+", text)]
        if not words:
            return mark_safe(escape(text[:300]))
        first = _sentence_start(text, words, _best_window_start(words, size))
        last = min(len(words), first + size)
        start = 0 if first == 0 and region_start == 0 else words[first][0]
        end = len(text) if last == len(words) and region_end == len(text) else words[last - 1][1]
        html = _render(text, words[first:last], start, end)
        prefix = ELLIPSIS + " " if start > 0 else ""
        suffix = " " + ELLIPSIS if end < len(text) else ""
        return mark_safe(f"{prefix}{html}{suffix}")

    def region(self, text: str, size: int) -> tuple[int, int]:
        """(start, end) of the part of `text` worth analysing for a snippet of `size` words.

        Analysing every word of a long article for twenty results made the search page cost
        several times the search itself. Passages of 2 × `size` words, one starting every
        `size` words (so every window lies inside one), are normalised as a whole and tested
        for the query words' readings as substrings (which every matching word passes, as in
        matched_terms); the passage with the most different query words, the first of equals,
        is analysed with the words a window around it can reach.
        """
        spans = [match.span() for match in _WORD.finditer(text)]
        if len(spans) <= 3 * size:
            return 0, len(text)
        # Normalised once as a whole; when that keeps every word (it may drop one made only of
        # marks), its words line up with the text's and passages are slices of it.
        normalised = ANALYZER.normalize(text).split(" ")
        aligned = len(normalised) == len(spans)
        best_key, best_first = (0,), 0
        for first in range(0, len(spans), size):
            last = min(len(spans), first + 2 * size) - 1
            if aligned:
                passage = " ".join(normalised[first : last + 1])
            else:
                passage = ANALYZER.normalize(text[spans[first][0] : spans[last][1]])
            found = sum(1 for term in self.terms if any(reading in passage for reading in term.readings))
            if (found,) > best_key:
                best_key, best_first = (found,), first
        # A window starts at most LEAD_WORDS before a marked word and holds `size` words.
        first = max(0, best_first - LEAD_WORDS)
        last = min(len(spans), best_first + 3 * size) - 1
        return (0 if first == 0 else spans[first][0]), (len(text) if last == len(spans) - 1 else spans[last][1])


def _best_window_start(words, size: int) -> int:
    matched_positions = [index for index, (_s, _e, matched) in enumerate(words) if matched]
    if not matched_positions:
        return 0
    best_key, best_start = None, 0
    for anchor in matched_positions:
        first = max(0, min(anchor - LEAD_WORDS, len(words) - size))
        window = words[first : first + size]
        distinct = frozenset().union(*(matched for _s, _e, matched in window))
        key = (len(distinct), sum(1 for _s, _e, matched in window if matched), -first)
        if best_key is None or key > best_key:
            best_key, best_start = key, first
    return best_start


def _sentence_start(text: str, words, first: int) -> int:
    """Move the window's start to the latest sentence start before its first marked word, if one
    is within the lead words: a snippet reads better from the beginning of a sentence."""
    marked = next((index for index in range(first, len(words)) if words[index][2]), first)
    for index in range(marked, max(first, marked - LEAD_WORDS) - 1, -1):
        if index > 0:
            gap = text[words[index - 1][1] : words[index][0]]
        else:  # the text's first word, or the first of the analysed region (what precedes it)
            gap = text[max(0, words[0][0] - 2) : words[0][0]] if words[0][0] else "."
        if any(mark in gap for mark in ".!?؟;؛"):
            return index
    return first


def _render(text: str, words, start: int, end: int) -> SafeString:
    parts: list[str] = []
    position = start
    for word_start, word_end, matched in words:
        if word_end <= position or word_start >= end:
            continue
        if not matched:
            continue
        parts.append(escape(text[position:word_start]))
        parts.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        position = word_end
    parts.append(escape(text[position:end]))
    return mark_safe("".join(parts))


def prefix_parts(text: str, typed: list[str]) -> list[dict]:
    """`text` cut into parts, {"text", "mark"}, marking the words that begin with a typed word
    (normalised): what a suggestion list shows as you type. Plain data: the page builds it with
    textContent, never as HTML."""
    typed = [word for word in typed if word]
    parts: list[dict] = []
    position = 0
    seen: set[tuple[int, int]] = set()
    for token in ANALYZER.tokens(text) if typed else []:
        key = (token.start, token.end)
        word = clean_term(token.norm)
        if key in seen or token.start < position or not any(word.startswith(prefix) for prefix in typed):
            continue
        seen.add(key)
        if token.start > position:
            parts.append({"text": text[position : token.start], "mark": False})
        parts.append({"text": text[token.start : token.end], "mark": True})
        position = token.end
    if position < len(text):
        parts.append({"text": text[position:], "mark": False})
    return parts


def html_to_text(html: str) -> str:
    """Plain text of rich-text HTML: block boundaries become spaces, inline tags vanish (بـ<b>الولايات</b> stays one word)."""
    return unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", html or "")))


def article_text(article) -> str:
    """The lede and the body's words, read from the stored JSON (no query for images or other blocks)."""
    parts = [article.lede or ""]
    body = getattr(article, "body", None)
    raw = getattr(body, "raw_data", None) or []
    for block in raw:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            parts.append(html_to_text(value))
        elif kind == "subheading" and isinstance(value, str):
            parts.append(value)
        elif kind == "quotation" and isinstance(value, dict):
            parts.append(str(value.get("text") or ""))
    return " ".join(part for part in parts if part)
