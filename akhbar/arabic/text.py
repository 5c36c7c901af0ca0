"""Cleaning, slugs and reading time for Arabic text."""

import math
import re
import unicodedata

# Invisible direction and zero-width controls: they let hostile input reorder what a reader
# sees (e.g. «Trojan Source» spoofing) and break slugs and search; we strip them from
# titles, slugs and single-line fields.
BIDI_CONTROLS = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_BIDI_TABLE = {ord(ch): None for ch in BIDI_CONTROLS if ch not in "\u200c\u200d"}
HARAKAT = re.compile("[\u064b-\u0652\u0670]")
TATWEEL = "\u0640"

# Arabic readers read roughly 150-200 words a minute; news copy is dense, so take the lower end.
WORDS_PER_MINUTE = 180


def strip_bidi_controls(text: str) -> str:
    """Remove direction overrides and zero-width spaces (keeps ZWJ/ZWNJ, which shape Persian text)."""
    return text.translate(_BIDI_TABLE)


def clean_line(text: str) -> str:
    """One-line field (title, name): no controls, spaces folded, trimmed."""
    text = strip_bidi_controls(unicodedata.normalize("NFC", text))
    text = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def has_bidi_controls(text: str) -> bool:
    return any(ch in BIDI_CONTROLS and ch not in "\u200c\u200d" for ch in text)


def arabic_slug(text: str, max_length: int = 80) -> str:
    """A readable URL slug that keeps Arabic letters: «وزير الخارجية يزور تونس» → «وزير-الخارجية-يزور-تونس».

    Diacritics and tatweel go (they make URLs that readers cannot retype), punctuation becomes
    hyphens, and long titles are cut at a word boundary so URLs stay shareable.
    """
    text = HARAKAT.sub("", clean_line(text)).replace(TATWEEL, "")
    text = "".join(ch if (ch.isalnum() or ch in " -_") else " " for ch in text.lower())
    words = [w for w in re.split(r"[\s_\-]+", text) if w]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def reading_minutes(text: str) -> int:
    """Whole minutes to read `text`; at least one."""
    return max(1, math.ceil(word_count(text) / WORDS_PER_MINUTE))
