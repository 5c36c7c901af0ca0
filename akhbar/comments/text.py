"""Readers' comment text: cleaned on the way in, rendered inert on the way out.

A comment is plain text. On input it is normalised (NFC), stripped of bidi overrides and
isolates, zero-width tricks and control characters, and refused when the browser sent bytes
that were not UTF-8 (Django decodes them to U+FFFD). On output everything is escaped; only
http(s) addresses become links, with rel="nofollow ugc noopener", and nh3 checks the result.
"""

import re
import unicodedata

import nh3
from django.utils.html import escape

# Bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069) reorder the text
# around them ("Trojan source" tricks); zero-width spaces, word joiners, invisible operators and
# byte-order marks hide words from blocklists. Joiners U+200C/U+200D stay: Arabic, Persian and
# emoji need them.
INVISIBLE = (
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
    "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"
)
_STRIP = str.maketrans("", "", INVISIBLE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
URL = re.compile(r"(?i)\b((?:https?://|www\.)[^\s<>\"'\u00ab\u00bb]+)")
_TRAILING = ".,;:!?)]}\u060c\u061b\u061f"  # also the Arabic comma, semicolon and question mark
REPLACEMENT_CHARACTER = "\ufffd"


class BadEncoding(ValueError):
    """The text held bytes that were not UTF-8."""


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Normalised plain text, or BadEncoding. The caller checks emptiness and length."""
    if REPLACEMENT_CHARACTER in value:
        raise BadEncoding
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.translate(_STRIP)
    value = _CONTROL.sub("", value)
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
        value = _BLANK_LINES.sub("\n\n", "\n".join(lines))
    else:
        value = _SPACES.sub(" ", value.replace("\n", " "))
    return value.strip()


def had_invisible(value: str) -> bool:
    return any(char in INVISIBLE for char in value)


def find_urls(text: str) -> list[str]:
    return [match.rstrip(_TRAILING) for match in URL.findall(text)]


def link_hosts(text: str) -> list[str]:
    hosts = []
    for url in find_urls(text):
        rest = re.sub(r"(?i)^https?://", "", url)
        host = re.split(r"[/?#:]", rest, maxsplit=1)[0].lower().removeprefix("www.")
        if host:
            hosts.append(host)
    return hosts


def _linked(line: str) -> str:
    out, position = [], 0
    for match in URL.finditer(line):
        url = match.group(1).rstrip(_TRAILING)
        start, end = match.start(1), match.start(1) + len(url)
        out.append(escape(line[position:start]))
        href = url if url.lower().startswith("http") else "http://" + url
        out.append(f'<a href="{escape(href)}">{escape(url)}</a>')
        position = end
    out.append(escape(line[position:]))
    return "".join(out)


def render_html(text: str) -> str:
    """Paragraphs and line breaks, links for http(s) addresses; everything else escaped."""
    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    html = "".join("<p>" + "<br>".join(_linked(line) for line in part.split("\n")) + "</p>" for part in paragraphs)
    return nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
