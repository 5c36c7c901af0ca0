"""From one JSON record of the corpus format to the values of an article page.

Everything that can be decided without the database happens here (validation, cleaning,
body HTML, slugs), so batches spend their short write transactions on writing only.
"""

import datetime as dt
import hashlib
import json
import re
import unicodedata
import uuid
import zoneinfo
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.translation import gettext as _

from akhbar.arabic.text import BIDI_CONTROLS, arabic_slug, clean_line, strip_bidi_controls

from .jsonl import JsonLine, shown

# Bump when the mapping from record to page changes, so a re-run rewrites every article.
FORMAT_VERSION = 1

TITLE_MAX = 255
SLUG_MAX = 80
ID_MAX = 255
SOURCE_NAME_MAX = 200
SOURCE_URL_MAX = 1000
AUTHOR_NAME_MAX = 200
AUTHOR_SLUG_MAX = 100
TAG_MAX = 100
MAX_TAGS = 50
CATEGORY_MAX = 100

_TEXT_FIELDS = ("title", "body", "category", "date", "summary", "author", "source_url", "publisher")
# Al Arabiya marks keywords inline as #كلمة_كلمة; readers should see plain words.
# An Arabic prefix may stick to it (و#كلمة); after ASCII letters, '/' or '&' a '#' is a URL fragment or an entity.
_HASHTAG = re.compile(r"(?<![A-Za-z0-9_/&])#([^\W\d_]\w*)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_BIDI = re.compile("[" + BIDI_CONTROLS + "]")
_SPACES = re.compile(r"[ \t]+")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters other than tab and newline: invisible, and PostgreSQL refuses NUL.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class RecordError(ValueError):
    """The record cannot become an article; the message says why, for the user."""


@dataclass
class ArticleData:
    """What an import writes for one record (section and checksum are filled in by the importer)."""

    line_no: int
    external_id: str
    title: str
    slug_base: str
    paragraphs: list[str]
    lede: str
    category: str
    published_at: dt.datetime
    tags: list[str]
    author_name: str
    source_name: str
    source_url: str
    section_id: int | None = None
    checksum: str = ""
    path: Path | None = field(default=None, repr=False)
    featured_image_id: int | None = None
    # Whether the import decides the featured image (else an editor's choice survives re-runs).
    sets_featured_image = False
    # Escaped text with no links or images: reference extraction can skip it.
    body_is_plain_text = True

    def body_blocks(self) -> list[dict]:
        """StreamField data in its stored (JSON) form: Wagtail reads it lazily, with no conversion cost."""
        return [{"type": "paragraph", "value": html, "id": str(uuid.uuid4())} for html in self.paragraphs]

    def search_blocks(self) -> list[dict]:
        """The body as one tag-free paragraph, for the search index only.

        The index extracts text from rich text with an HTML parser, three times per block
        (once per indexed field group); one block of plain text gives the same words at a
        fraction of the cost. Text containing angle brackets keeps its escaped HTML form.
        """
        texts = []
        for html in self.paragraphs:
            escaped = html.removeprefix("<p>").removesuffix("</p>").replace("<br/>", " ")
            text = unescape(escaped)
            texts.append(escaped if "<" in text else text)
        return [{"type": "paragraph", "value": " ".join(texts), "id": ""}] if texts else []

    def compute_checksum(self) -> str:
        """Fingerprint of everything written to the page, so unchanged records are skipped on re-runs."""
        payload = [
            FORMAT_VERSION,
            self.title,
            self.paragraphs,
            self.lede,
            self.published_at.isoformat(),
            self.tags,
            self.author_name,
            self.source_name,
            self.source_url,
            self.section_id,
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def clean_text(value: str) -> str:
    """Multi-line text: NFC, no invisible controls, tidy line ends; paragraphs and line breaks kept."""
    value = unicodedata.normalize("NFC", value)
    if _BIDI.search(value):  # str.translate is slow on long text; most bodies have nothing to strip
        value = strip_bidi_controls(value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(" ", value).replace("\u00a0", " ").strip()


def plain_hashtags(text: str) -> str:
    """#كلمة_كلمة → كلمة كلمة (the tags themselves come in the record's own `tags` list)."""
    return _HASHTAG.sub(lambda match: match.group(1).replace("_", " "), text)


def paragraphs_html(body: str) -> list[str]:
    """Plain text → escaped <p> paragraphs: the body is text, so markup in it is shown, never run."""
    body = _SPACES.sub(" ", clean_text(body))
    if "#" in body:
        body = plain_hashtags(body)
    result = []
    for chunk in _PARAGRAPH_BREAK.split(body):
        lines = [escape(line.strip()) for line in chunk.split("\n") if line.strip()]
        if lines:
            result.append("<p>" + "<br/>".join(lines) + "</p>")
    return result


def one_line(text: str) -> str:
    """`clean_line`, with a fast path for the usual case of text that has nothing to clean."""
    if text.isprintable() and unicodedata.is_normalized("NFC", text):
        return " ".join(text.split())
    return clean_line(text)


def _text(data: dict, key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(_("the “%(field)s” field must be text") % {"field": key})
    if required and not value.strip():
        raise RecordError(_("the “%(field)s” field is missing or empty") % {"field": key})
    return value


def _limited(value: str, key: str, limit: int) -> str:
    if len(value) > limit:
        raise RecordError(
            _("the “%(field)s” field is longer than %(limit)s characters") % {"field": key, "limit": limit}
        )
    return value


def parse_date(value: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """ISO 8601 with or without offset; a date alone means noon in the site's time zone.

    Noon rather than midnight: the calendar day then stays the same when shown in any time
    zone from UTC−11 to UTC+12, and the article sorts in the middle of its day.
    """
    text = value.strip()
    try:
        if _DATE_ONLY.match(text):
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(12, 0), tzinfo=zone)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(_("the date “%(value)s” is not a valid ISO 8601 date") % {"value": shown(value)}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


def clean_source_url(value: str) -> str:
    """Only plain web addresses become links; spaces left by percent-decoding are re-encoded."""
    url = one_line(value).replace(" ", "%20")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or len(url) > SOURCE_URL_MAX:
        raise RecordError(_("the source address “%(value)s” is not a valid http(s) address") % {"value": shown(value)})
    return url


def clean_tags(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RecordError(_("the “tags” field must be a list of texts"))
    tags, seen = [], set()
    for item in value:
        name = one_line(item.replace("_", " ").lstrip("#"))[:TAG_MAX].strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            tags.append(name)
    return tags[:MAX_TAGS]


def author_slug(name: str) -> str:
    return arabic_slug(name, max_length=AUTHOR_SLUG_MAX)


def article_from_line(line: JsonLine, zone: zoneinfo.ZoneInfo) -> ArticleData:
    """Validate one record and derive the article's values; raises RecordError with a user message."""
    data = line.data
    external_id = one_line(_text(data, "id", required=True))
    if not external_id:
        raise RecordError(_("the “%(field)s” field is missing or empty") % {"field": "id"})
    _limited(external_id, "id", ID_MAX)
    for key in _TEXT_FIELDS:
        _text(data, key)
    title = one_line(_text(data, "title", required=True))
    if not title:
        raise RecordError(_("the “%(field)s” field is missing or empty") % {"field": "title"})
    _limited(title, "title", TITLE_MAX)
    category = _limited(one_line(_text(data, "category", required=True)), "category", CATEGORY_MAX)
    if not category:
        raise RecordError(_("the “%(field)s” field is missing or empty") % {"field": "category"})
    date_text = _text(data, "date", required=True)
    paragraphs = paragraphs_html(_text(data, "body"))
    lede = plain_hashtags(re.sub(r"\s+", " ", clean_text(_text(data, "summary"))))
    # Many outlets repeat the standfirst as the first paragraph; show it once.
    if lede and len(paragraphs) > 1 and paragraphs[0] == f"<p>{escape(lede)}</p>":
        paragraphs = paragraphs[1:]
    author_name = one_line(_text(data, "author"))[:AUTHOR_NAME_MAX].strip()
    if author_name and not author_slug(author_name):
        author_name = ""
    return ArticleData(
        line_no=line.line_no,
        external_id=external_id,
        title=title,
        slug_base=arabic_slug(title, max_length=SLUG_MAX) or arabic_slug(external_id, max_length=SLUG_MAX) or "article",
        paragraphs=paragraphs,
        lede=lede,
        category=category,
        published_at=parse_date(date_text, zone),
        tags=clean_tags(data.get("tags")),
        author_name=author_name,
        source_name=one_line(_text(data, "publisher"))[:SOURCE_NAME_MAX].strip(),
        source_url=clean_source_url(_text(data, "source_url")),
        path=line.path,
    )
