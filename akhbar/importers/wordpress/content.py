"""A WordPress post's HTML → Akhbar's article body blocks (and a page's rich text).

WordPress keeps three layers in one field: Gutenberg block comments, classic-editor text
that only becomes paragraphs when WordPress displays it (wpautop), and shortcodes. The
comments and shortcodes are resolved first, on the raw text, into placeholder elements
(<wp-block>, <wp-shortcode>), so that a single parse (BeautifulSoup, "html.parser") sees the
whole structure; the tree is then walked once, building blocks.

Nothing of the source markup is copied: every tag and attribute in the output is written
here, and nh3 checks each piece of rich text against the editor's features, so hostile
input can at worst lose its markup. Deep nesting is read as flat text rather than
recursed into, and every scan is linear, so any input converts, whatever its size.
"""

import html as html_lib
import json
import re
import unicodedata
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from bs4.element import PreformattedString

from akhbar.arabic.text import BIDI_CONTROLS, strip_bidi_controls
from akhbar.news.blocks import embed_frame_url

ImageLookup = Callable[[int | None, str], int | None]

SUBHEADING_MAX = 200
SPEAKER_MAX = 200
CAPTION_MAX = 500
EMBED_TITLE_MAX = 200

# What each kind of rich text may hold (the editors' features: bold, italic, link, lists, headings).
_ARTICLE_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li", "h4"}
_PAGE_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li", "h2", "h3"}
_LINK_SCHEMES = {"http", "https", "mailto"}

# Removed with everything inside: code, styling, forms and foreign vocabularies, never text for readers.
_DROPPED = frozenset(
    "script style object embed form input button svg math noscript template link meta "
    "head title textarea select option applet frame frameset base param canvas".split()
)
_FORMATTING = frozenset({"b", "strong", "i", "em", "a"})
# Block-level wrappers: their content, in paragraphs of its own.
_CONTAINERS = frozenset(
    "div section article header footer main aside nav address center dl dt dd li td th tr "
    "thead tbody tfoot caption figcaption details summary hgroup body html fieldset legend menu".split()
)
# Elements that end a line when read as inline text (a list item, a quotation, a table cell).
_BREAKING = _CONTAINERS | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "pre"}
# Elements that become blocks of their own even when found inside inline text.
_MEDIA = frozenset({"img", "figure", "iframe", "video", "audio", "wp-shortcode"})
# A list holding any of these is a gallery or a layout, not a list of sentences.
_NOT_A_TEXT_LIST = frozenset(
    {"img", "figure", "iframe", "video", "audio", "table", "blockquote", "wp-shortcode", "h1", "h2", "h3"}
)
# A figure holding any of these is a layout (a gallery, an embed, a table), not one image.
_NOT_A_SIMPLE_FIGURE = frozenset({"iframe", "video", "audio", "table", "blockquote", "figure", "ul", "ol", "wp-shortcode"})
# Self-closing Gutenberg blocks that never hold content.
_EMPTY_BLOCKS = frozenset({"more", "nextpage", "separator", "spacer"})

_MAX_DEPTH = 64  # nesting read as structure; deeper markup is read as flat text
_SCAN_LIMIT = 4000  # elements looked at when a handler searches inside its element
_MAX_LIST_DEPTH = 4

# Zero-width characters the project's bidi list lacks (word joiner, invisible operators, Mongolian separator).
_MORE_INVISIBLE = re.compile("[\u2060-\u2064\u180e]")
_BIDI = re.compile("[" + BIDI_CONTROLS.replace("\u200c", "").replace("\u200d", "") + "]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_URL_JUNK = re.compile(r"[\t\n\r]")  # browsers drop these inside addresses: "java\tscript:" is javascript:
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_BARE_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_ATTACHMENT_CLASS = re.compile(r"wp-image-(\d{1,18})")
_ATTACHMENT_ID = re.compile(r"attachment_(\d{1,18})")
_DIGITS = re.compile(r"\d{1,18}")
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_BLOCK_NAME = re.compile(r"[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?")

# A shortcode tag: [name attrs], [/name], with WordPress's doubled brackets for escaping.
_SHORTCODE = re.compile(r"\[(\[?)(/?)([A-Za-z][A-Za-z0-9_-]*)(?![A-Za-z0-9_-])([^\[\]]{0,2000})\](\]?)")
# Unknown names must look like a shortcode (lower case, two letters or more), so "[AFP]" or "[x]" stay text.
_PLAIN_SHORTCODE_NAME = re.compile(r"[a-z][a-z0-9_-]+")
_SHORTCODE_ATTR = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|'([^']*)'|(\S+)"""
)
_EMBED_SHORTCODES = frozenset({"embed", "youtube", "vimeo", "video", "audio", "soundcloud"})
_CAPTION_SHORTCODES = frozenset({"caption", "wp_caption"})
_KNOWN_SHORTCODES = _EMBED_SHORTCODES | _CAPTION_SHORTCODES | {"gallery"}
_MEDIA_SOURCE_KEYS = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "m4a", "ogg", "wav", "wma")

# Posts WordPress embeds from a bare address, besides the videos Akhbar can frame.
_SOCIAL_POSTS = {
    "twitter.com": re.compile(r"/[^/]+/status(?:es)?/\d+"),
    "x.com": re.compile(r"/[^/]+/status(?:es)?/\d+"),
    "instagram.com": re.compile(r"/(?:p|reel|tv)/[\w-]+"),
    "facebook.com": re.compile(r"/.+/(?:posts|videos|photos)/|/(?:watch|permalink\.php|story\.php|photo\.php)"),
    "soundcloud.com": re.compile(r"/[^/]+/[^/]+"),
}
_SOCIAL_QUOTE_CLASSES = {"twitter-tweet", "twitter-video", "instagram-media"}


@dataclass
class Converted:
    blocks: list[dict] = field(default_factory=list)  # StreamField stored form, ready for ArticlePage.body
    text: str = ""  # the plain text of the whole body (search index, excerpts)
    dropped: list[str] = field(default_factory=list)  # what was removed and why, for the import summary
    missing_images: list[str] = field(default_factory=list)  # image URLs the lookup did not know


def convert(html: str, images: ImageLookup) -> Converted:
    """A post's content as article body blocks; never refuses, whatever the input."""
    converter = _Converter(images, page=False)
    converter.run(html or "")
    return Converted(
        blocks=converter.blocks,
        text="\n".join(converter.texts),
        dropped=list(converter.notes),
        missing_images=converter.missing,
    )


def rich_text(html: str) -> str:
    """A WordPress page's content as one rich text (bold, italic, link, lists, h2, h3).

    Same cleaning as `convert`; a page has no image or embed blocks, so images and embeds
    become links and quotations plain paragraphs.
    """
    converter = _Converter(lambda _attachment_id, _url: None, page=True)
    converter.run(html or "")
    return "".join(block["value"] for block in converter.blocks)


def _clean(text: str) -> str:
    """NFC, no bidi controls, zero-width tricks or control characters; no-break spaces as spaces."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if _BIDI.search(text):
            text = strip_bidi_controls(text)
        text = _MORE_INVISIBLE.sub("", text).replace("\u00a0", " ")
    return _CONTROLS.sub("", text)


def _web_url(value: str | None) -> str:
    """An http(s) address with a host, or ""; protocol-relative addresses get https."""
    if not isinstance(value, str):
        return ""
    url = _URL_JUNK.sub("", _clean(value).strip()).replace(" ", "%20")
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    return url


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _is_social_post(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    pattern = _SOCIAL_POSTS.get(host)
    return bool(pattern and pattern.match(parts.path))


def _is_embeddable(url: str) -> bool:
    return bool(embed_frame_url(url)) or _is_social_post(url)


def _video_page_url(url: str) -> str:
    """A player address (what iframes load) → the video's page, which embed blocks store."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = parts.path.split("/")
    if host in {"youtube.com", "youtube-nocookie.com"} and parts.path.startswith("/embed/"):
        return f"https://www.youtube.com/watch?v={segments[2]}"
    if host == "player.vimeo.com" and parts.path.startswith("/video/"):
        return f"https://vimeo.com/{segments[2]}"
    if host == "dailymotion.com" and parts.path.startswith("/embed/video/"):
        return f"https://www.dailymotion.com/video/{segments[3]}"
    return url


def _as_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value)
    return None


def _classes(node: Tag) -> list[str]:
    value = node.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- inline content: tokens, then HTML -------------------------------------------------------


class _Break:
    """A line break (<br>) inside a paragraph."""

    __slots__ = ()


BR = _Break()


@dataclass(frozen=True, slots=True)
class _Open:
    name: str
    html: str


@dataclass(frozen=True, slots=True)
class _Close:
    name: str


_BOLD = _Open("b", "<b>")
_ITALIC = _Open("i", "<i>")
_BLOCK_END = object()  # marks, in the inline collector's stack, an element that ends a line


def _link(url: str) -> _Open:
    return _Open("a", f'<a href="{html_lib.escape(url, quote=True)}">')


class _Tokens(list):
    """The inline content of a paragraph to be: text (decoded), BR, _Open and _Close.

    Whitespace is only folded when rendering, so spaces between adjacent inline elements
    survive; the flags let callers apply wpautop's rules without looking back.
    """

    def __init__(self, items: Iterable = ()):
        super().__init__(items)
        self.has_text = False
        self.ends_with_break = False

    def text(self, value: str) -> None:
        if value:
            self.append(value)
            if not value.isspace():
                self.has_text = True
                self.ends_with_break = False

    def line_break(self) -> None:
        self.append(BR)
        self.ends_with_break = True

    def soft_break(self) -> None:
        """A break between two blocks read as lines: one only, and none before any text."""
        if self.has_text and not self.ends_with_break:
            self.line_break()

    def add(self, token) -> None:
        if isinstance(token, str):
            self.text(token)
        elif token is BR:
            self.line_break()
        else:
            self.append(token)


_TEXT, _LINE, _START, _END = range(4)


def _render(tokens: Iterable) -> tuple[str, str]:
    """Tokens → (inline HTML, plain text), with HTML's whitespace rules applied.

    Runs of whitespace become one space, kept between words even across tags (placed
    outside the tag, so a link is not underlined from a space), and dropped at line ends;
    breaks before the first or after the last text, and empty formatting, disappear.
    """
    pieces: list[tuple[int, str, str, str]] = []  # (kind, html, plain text, tag name)
    pending_space = False
    line_start = True
    seen_text = False
    for token in tokens:
        if isinstance(token, str):
            folded = _WHITESPACE.sub(" ", token)
            core = folded.strip(" ")
            if folded.startswith(" "):
                pending_space = True
            if not core:
                continue
            if pending_space and not line_start:
                pieces.append((_TEXT, " ", " ", ""))
            pieces.append((_TEXT, html_lib.escape(core, quote=False), core, ""))
            pending_space = folded.endswith(" ")
            line_start = False
            seen_text = True
        elif token is BR:
            pending_space = False
            if seen_text:
                pieces.append((_LINE, "<br>", "\n", ""))
            line_start = True
        elif isinstance(token, _Open):
            if pending_space and not line_start:
                pieces.append((_TEXT, " ", " ", ""))
                pending_space = False
            pieces.append((_START, token.html, "", token.name))
        elif isinstance(token, _Close):
            if pieces and pieces[-1][0] == _START and pieces[-1][3] == token.name:
                pieces.pop()
            else:
                pieces.append((_END, f"</{token.name}>", "", token.name))
    index = len(pieces) - 1
    while index >= 0 and pieces[index][0] in (_LINE, _END):
        if pieces[index][0] == _LINE:
            del pieces[index]
        index -= 1
    return "".join(piece[1] for piece in pieces), "".join(piece[2] for piece in pieces)


# --- the raw text: comments and shortcodes → placeholder elements ----------------------------

_TEXT_SEGMENT, _TAG_SEGMENT, _COMMENT_SEGMENT, _OTHER_SEGMENT = range(4)


def _segments(source: str) -> list[tuple[int, str]]:
    """The source cut into text, tags, comments and other markup (<!DOCTYPE>, <?xml>, <![CDATA[).

    Each character is looked at a bounded number of times, so hostile input such as
    thousands of unclosed "<a" costs no more than ordinary markup.
    """
    segments: list[tuple[int, str]] = []
    text_start = 0
    position = 0
    length = len(source)

    def close_text(end: int) -> None:
        if end > text_start:
            segments.append((_TEXT_SEGMENT, source[text_start:end]))

    while position < length:
        lt = source.find("<", position)
        if lt < 0:
            break
        following = source[lt + 1 : lt + 2]
        if source.startswith("<!--", lt):
            close_text(lt)
            if source.startswith(("<!-->", "<!--->"), lt):
                end = source.index(">", lt) + 1
            else:
                found = source.find("-->", lt + 4)
                end = length if found < 0 else found + 3
            segments.append((_COMMENT_SEGMENT, source[lt:end]))
            position = text_start = end
        elif following.isascii() and (following.isalpha() or following in "/!?"):
            close_text(lt)
            gt = source.find(">", lt)
            if gt < 0:  # a tag cut off by the end of the text (a truncated export): dropped, as browsers do
                position = text_start = length
                break
            kind = _OTHER_SEGMENT if following in "!?" else _TAG_SEGMENT
            segments.append((kind, source[lt : gt + 1]))
            position = text_start = gt + 1
        else:
            position = lt + 1
    close_text(length)
    return segments


_VOID_TAG = re.compile(r"<(?:area|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)(?=[\s/>])", re.IGNORECASE)


def _self_closed(tag: str) -> str:
    """<img …> → <img … />: BeautifulSoup's html.parser builder keeps a list of void tags written
    without the slash and searches it at every end tag, which is quadratic in a long post."""
    if tag.endswith("/>") or not _VOID_TAG.match(tag) or tag.count('"') % 2 or tag.count("'") % 2:
        return tag
    return tag[:-1] + " />"


@dataclass(eq=False)
class _ShortcodeTag:
    segment: int
    start: int
    end: int
    raw: str
    name: str
    closing: bool
    attrs: str
    extra_open: bool  # "[[name]": WordPress's escape, or a literal bracket before the tag
    extra_close: bool
    partner: "_ShortcodeTag | None" = None

    @property
    def escaped(self) -> bool:
        return self.extra_open and self.extra_close

    @property
    def self_closing(self) -> bool:
        return self.attrs.rstrip().endswith("/")


def _shortcode_attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """WordPress's shortcode_parse_atts: name="value", name='value', name=value and positional values."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _SHORTCODE_ATTR.finditer(text.rstrip().removesuffix("/")):
        groups = match.groups()
        if groups[0] is not None:
            named[groups[0].lower()] = groups[1]
        elif groups[2] is not None:
            named[groups[2].lower()] = groups[3]
        elif groups[4] is not None:
            named[groups[4].lower()] = groups[5]
        else:
            positional.append(next(value for value in groups[6:] if value is not None))
    clean = lambda value: _clean(html_lib.unescape(value)).strip()  # noqa: E731
    return {key: clean(value) for key, value in named.items()}, [clean(value) for value in positional]


def _shortcode_url(name: str, named: dict[str, str], positional: list[str]) -> str:
    """The address an embedding shortcode points at ("" when it is its enclosed text, as in [embed])."""
    if name in {"video", "audio"}:
        return next((named[key] for key in _MEDIA_SOURCE_KEYS if named.get(key)), "")
    if name == "soundcloud":
        return named.get("url", "")
    if name in {"youtube", "vimeo"}:
        value = (positional[0] if positional else named.get("url") or named.get("id") or "").lstrip("=").strip()
        if value.startswith(("http://", "https://", "//")):
            return value
        if name == "youtube" and _VIDEO_ID.fullmatch(value):
            return f"https://www.youtube.com/watch?v={value}"
        if name == "vimeo" and value.isdigit():
            return f"https://vimeo.com/{value}"
        return ""
    return named.get("url", "")


# --- the converter -------------------------------------------------------------------------


class _Converter:
    """One conversion: walks the parsed tree once, appending blocks and their plain text."""

    def __init__(self, images: ImageLookup, *, page: bool):
        self.lookup = images
        self.page = page
        self.allowed_tags = _PAGE_TAGS if page else _ARTICLE_TAGS
        self.blocks: list[dict] = []
        self.texts: list[str] = []
        self.notes: dict[str, None] = {}  # ordered and without repeats
        self.missing: list[str] = []
        self.refs: list[dict] = []  # what each placeholder element stands for
        self.gutenberg = False
        self.tokens = _Tokens()
        self.open_inline: list[_Open] = []  # formatting open around the current point of the walk
        self.autop = True
        self.depth = 0
        self.attachment_ids: list[int | None] = []  # ids from enclosing Gutenberg image blocks
        self.images_seen = 0
        self.deferred: deque | None = None
        self.handlers = {
            "p": self._paragraph,
            "h1": self._heading,
            "h2": self._heading,
            "h3": self._heading,
            "h4": self._heading,
            "h5": self._heading,
            "h6": self._heading,
            "blockquote": self._blockquote,
            "ul": self._list,
            "ol": self._list,
            "table": self._table,
            "pre": self._pre,
            "hr": lambda node: self._flush(),
            "br": self._line_break,
            "img": lambda node: self._image(node),
            "figure": self._figure,
            "iframe": self._iframe,
            "video": self._media_element,
            "audio": self._media_element,
            "wp-block": self._gutenberg_block,
            "wp-shortcode": self._shortcode,
        }

    def run(self, html: str) -> None:
        source = self._with_placeholders(_clean(html.replace("\r\n", "\n").replace("\r", "\n")))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(source, "html.parser")
        self._children(soup)
        self._flush()

    # notes and output

    def _note(self, text: str) -> None:
        self.notes[text] = None

    def _block(self, kind: str, value) -> None:
        self.blocks.append({"type": kind, "value": value, "id": str(uuid.uuid4())})

    def _shorten(self, text: str, limit: int, what: str) -> str:
        if len(text) <= limit:
            return text
        self._note(f"{what} shortened to {limit} characters")
        cut = text[: limit - 1]
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
        return cut.rstrip() + "…"

    def _add_rich(self, html: str, text: str) -> None:
        cleaned = nh3.clean(
            html,
            tags=self.allowed_tags,
            attributes={"a": {"href"}},
            url_schemes=_LINK_SCHEMES,
            link_rel=None,
            strip_comments=True,
        )
        self._block("paragraph", cleaned)
        self.texts.append(text)

    def _rich_block(self, tokens: Iterable, wrapper: str = "p") -> None:
        html, text = _render(tokens)
        if text.strip():
            self._add_rich(f"<{wrapper}>{html}</{wrapper}>", text)

    # the placeholders

    def _with_placeholders(self, source: str) -> str:
        """Gutenberg comments → <wp-block>, shortcodes → <wp-shortcode> or nothing, other comments removed.

        Shortcodes are looked for in text only, never inside tags, and paired like elements
        (a closing tag closes the nearest opening one of its name).
        """
        segments = _segments(source)
        tags: list[_ShortcodeTag] = []
        for index, (kind, text) in enumerate(segments):
            if kind == _TEXT_SEGMENT and "[" in text:
                for match in _SHORTCODE.finditer(text):
                    raw_name = match.group(3)
                    name = raw_name.lower()
                    if name not in _KNOWN_SHORTCODES and not _PLAIN_SHORTCODE_NAME.fullmatch(raw_name):
                        continue
                    tags.append(
                        _ShortcodeTag(
                            index, match.start(), match.end(), match.group(0), name, bool(match.group(2)),
                            match.group(4), bool(match.group(1)), bool(match.group(5)),
                        )
                    )
        self._pair(tags)
        replacements: dict[int, list[tuple[_ShortcodeTag, str]]] = {}
        for tag in tags:
            replacements.setdefault(tag.segment, []).append((tag, self._shortcode_markup(tag)))
        out: list[str] = []
        for index, (kind, text) in enumerate(segments):
            if kind == _COMMENT_SEGMENT:
                out.append(self._comment_markup(text))
            elif kind == _OTHER_SEGMENT:
                continue
            elif kind == _TAG_SEGMENT:
                out.append(_self_closed(text))
            elif index in replacements:
                position = 0
                for tag, markup in replacements[index]:
                    out.append(text[position : tag.start])
                    out.append(markup)
                    position = tag.end
                out.append(text[position:])
            else:
                out.append(text)
        return "".join(out)

    @staticmethod
    def _pair(tags: list[_ShortcodeTag]) -> None:
        """Match closing tags with opening ones, like HTML elements; linear (each tag is stacked once)."""
        stack: list[_ShortcodeTag] = []
        open_names: dict[str, int] = {}
        for tag in tags:
            if tag.escaped:
                continue
            if not tag.closing:
                if not tag.self_closing:
                    stack.append(tag)
                    open_names[tag.name] = open_names.get(tag.name, 0) + 1
                continue
            if not open_names.get(tag.name):
                continue
            while stack:
                opening = stack.pop()
                open_names[opening.name] -= 1
                if opening.name == tag.name:
                    opening.partner, tag.partner = tag, opening
                    break

    def _new_ref(self, ref: dict) -> int:
        self.refs.append(ref)
        return len(self.refs) - 1

    def _shortcode_markup(self, tag: _ShortcodeTag) -> str:
        if tag.escaped:
            return tag.raw[1:-1]  # [[caption]] is the text [caption]
        opening, closing = (tag.partner, tag) if tag.closing else (tag, tag.partner)
        if opening is not None and closing is not None and opening.extra_open and closing.extra_close:
            # [[caption]…[/caption]]: the whole enclosed shortcode is text
            return tag.raw[:-1] if tag.closing else tag.raw[1:]
        attrs = tag.attrs.strip().removesuffix("/").strip()
        is_shortcode = (
            tag.closing or tag.partner is not None or tag.name in _KNOWN_SHORTCODES or not attrs or "=" in attrs
        )
        if not is_shortcode:
            return tag.raw  # "[see note]": ordinary text in brackets
        before = "[" if tag.extra_open else ""
        after = "]" if tag.extra_close else ""
        return before + self._shortcode_element(tag) + after

    def _shortcode_element(self, tag: _ShortcodeTag) -> str:
        name = tag.name
        if tag.closing:
            paired = tag.partner is not None
            if paired and (name in _CAPTION_SHORTCODES or name in _EMBED_SHORTCODES):
                return "</wp-shortcode>"
            if not paired:
                self._note(f"shortcode {name}")
            return ""
        named, positional = _shortcode_attributes(tag.attrs)
        if name in _CAPTION_SHORTCODES:
            if tag.partner is None:
                return ""
            match = _ATTACHMENT_ID.search(named.get("id", ""))
            ref = {"kind": "caption", "attachment_id": int(match.group(1)) if match else None}
            ref["caption"] = named.get("caption", "")
            return f'<wp-shortcode data-ref="{self._new_ref(ref)}">'
        if name in _EMBED_SHORTCODES:
            ref = {"kind": "embed", "url": _shortcode_url(name, named, positional)}
            element = f'<wp-shortcode data-ref="{self._new_ref(ref)}">'
            return element if tag.partner is not None else element + "</wp-shortcode>"
        if name == "gallery":
            ids = [int(value) for value in _DIGITS.findall(named.get("ids") or named.get("include") or "")]
            if not ids:
                self._note("gallery without image ids")
            ref = {"kind": "gallery", "ids": ids[:500]}
            return f'<wp-shortcode data-ref="{self._new_ref(ref)}"></wp-shortcode>'
        self._note(f"shortcode {name}")
        return ""

    def _comment_markup(self, comment: str) -> str:
        """A Gutenberg block delimiter → a <wp-block> element; any other comment → nothing."""
        if not comment.endswith("-->"):
            self._note("unclosed HTML comment (what follows it was hidden on the old site too)")
        body = comment[4:].removesuffix("-->").strip()
        if body.startswith("/wp:"):
            return "</wp-block>"
        if not body.startswith("wp:"):
            return ""
        empty = body.endswith("/")
        parts = body[3:].removesuffix("/").split(None, 1)
        name = parts[0] if parts else ""
        if not _BLOCK_NAME.fullmatch(name):
            return ""
        attrs = {}
        if len(parts) > 1:
            try:
                value = json.loads(parts[1])
            except (ValueError, RecursionError):
                value = None
            attrs = value if isinstance(value, dict) else {}
        self.gutenberg = True
        ref = self._new_ref({"kind": "block", "name": name.removeprefix("core/"), "attrs": attrs, "empty": empty})
        return f'<wp-block data-ref="{ref}">' + ("</wp-block>" if empty else "")

    def _ref(self, node: Tag, kind: str | None = None) -> dict:
        index = node.get("data-ref")
        if isinstance(index, str) and index.isdigit() and int(index) < len(self.refs):
            ref = self.refs[int(index)]
            if kind is None or ref.get("kind") == kind:
                return ref
        return {}

    # the walk: block context

    def _children(self, node: Tag) -> None:
        if self.depth >= _MAX_DEPTH:
            self._flatten(node)
            return
        self.depth += 1
        try:
            for child in node.children:
                self._visit(child)
        finally:
            self.depth -= 1

    def _flatten(self, node: Tag) -> None:
        """Markup nested deeper than anything an editor makes: its text joins the current paragraph."""
        self._note(f"markup nested deeper than {_MAX_DEPTH} levels read as plain text")
        tokens, media, _ = self._collect(node.children, self._line_mode)
        for token in tokens:
            self.tokens.add(token)
        self._visit_later(media)

    def _visit_all(self, nodes: Iterable[Tag]) -> None:
        """Visit images and frames found in inline text, counting them as one level deeper."""
        if self.depth >= _MAX_DEPTH:
            self._visit_later(nodes)
            return
        self.depth += 1
        try:
            for node in nodes:
                self._visit(node)
        finally:
            self.depth -= 1

    def _visit_later(self, nodes: Iterable[Tag]) -> None:
        """At the depth limit, go no deeper: the first caller there works through a queue of what is found."""
        if self.deferred is not None:
            self.deferred.extend(nodes)
            return
        self.deferred = deque(nodes)
        try:
            while self.deferred:
                self._visit(self.deferred.popleft())
        finally:
            self.deferred = None

    def _visit(self, node) -> None:
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, CDATA, doctypes
                self._flow_text(_clean(str(node)))
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name in _DROPPED:
            self._note(name)
            return
        handler = self.handlers.get(name)
        if handler is not None:
            handler(node)
        elif name in _FORMATTING:
            self._formatted(node)
        elif name in _CONTAINERS:
            self._flush()
            self._children(node)
            self._flush()
        else:  # span, font, u, sup, code, custom tags…: their content
            self._children(node)

    @property
    def _line_mode(self) -> str:
        """How newlines read inside lists, quotations and cells: lines in classic text, spaces in Gutenberg's."""
        return "collapse" if self.gutenberg else "lines"

    def _flow_text(self, text: str) -> None:
        """wpautop: a blank line ends a paragraph, a single newline is a line break (not after a <br>)."""
        if not self.autop or "\n" not in text:
            self.tokens.text(text)
            return
        for number, piece in enumerate(_BLANK_LINE.split(text)):
            if number:
                self._flush()
            for line_number, line in enumerate(piece.split("\n")):
                if line_number and not self.tokens.ends_with_break:
                    self.tokens.line_break()
                self.tokens.text(line)

    def _line_break(self, node: Tag) -> None:
        if self.tokens.has_text and self.tokens.ends_with_break:
            self._flush()  # <br><br>, the old way of starting a paragraph
        else:
            self.tokens.line_break()

    def _flush(self) -> None:
        """End the current paragraph; formatting still open carries on into the next one."""
        tokens = self.tokens
        if tokens.has_text:
            for token in reversed(self.open_inline):
                tokens.append(_Close(token.name))
            self._emit_paragraph(tokens)
        self.tokens = _Tokens(self.open_inline)

    def _emit_paragraph(self, tokens: _Tokens) -> None:
        """A paragraph, with WordPress's auto-embed: a known post or video address alone on a line is an embed."""
        if not any(isinstance(token, str) and "://" in token for token in tokens):
            self._rich_block(tokens)
            return
        lines: list[list] = [[]]
        for token in tokens:
            if token is BR:
                lines.append([])
            else:
                lines[-1].append(token)
        current = _Tokens()
        for number, line in enumerate(lines):
            url = _bare_url(line)
            if url and not self.page and _is_embeddable(url):
                self._rich_block(current)
                current = _Tokens()
                self._embed(url, "")
                continue
            if number:
                current.line_break()
            if url and _web_url(url):
                line = [_link(_web_url(url)), url, _Close("a")]
            for token in line:
                current.add(token)
        self._rich_block(current)

    def _formatted(self, node: Tag) -> None:
        token = self._format_token(node)
        if token is None or (token.name == "a" and any(item.name == "a" for item in self.open_inline)):
            self._children(node)
            return
        self.tokens.append(token)
        self.open_inline.append(token)
        try:
            self._children(node)
        finally:
            self.open_inline.pop()
        self.tokens.append(_Close(token.name))

    def _format_token(self, node: Tag) -> _Open | None:
        """<b>/<strong> → <b>, <i>/<em> → <i>, <a> only to http(s) or mailto addresses."""
        name = node.name
        if name in {"b", "strong"}:
            return _BOLD
        if name in {"i", "em"}:
            return _ITALIC
        href = node.get("href")
        if not isinstance(href, str) or not href.strip():
            return None
        url = _URL_JUNK.sub("", _clean(href).strip())
        scheme = _SCHEME.match(url)
        if url.startswith("//") or (scheme and scheme.group(1).lower() in {"http", "https"}):
            safe = _web_url(url)
            return _link(safe) if safe else None
        if scheme and scheme.group(1).lower() == "mailto" and len(url) > len("mailto:"):
            return _link(url.replace(" ", "%20"))
        if scheme:
            self._note(f"link to a {scheme.group(1).lower()}: address (its text kept)")
        return None

    # the walk: inline context

    def _collect(
        self, nodes: Iterable, mode: str, *, split_at: frozenset = frozenset(), exclude: frozenset = frozenset()
    ) -> tuple[_Tokens, list[Tag], list[Tag]]:
        """The inline content of `nodes`, as tokens, without recursion (any depth is fine).

        Blocks inside become line breaks; images, figures, frames and embeds are returned
        apart, for the caller to turn into blocks after its own; elements named in
        `split_at` are returned apart unread. mode: "collapse" (newlines are spaces),
        "lines" (a newline is a break, as wpautop) or "pre" (every newline is a break).
        """
        tokens = _Tokens()
        media: list[Tag] = []
        splits: list[Tag] = []
        stack: list[tuple] = [(iter(nodes), None)]
        while stack:
            children, closing = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if closing is _BLOCK_END:
                    tokens.soft_break()
                elif closing is not None:
                    tokens.append(closing)
                continue
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):
                    _collect_text(tokens, _clean(str(child)), mode)
                continue
            if not isinstance(child, Tag) or id(child) in exclude:
                continue
            name = child.name
            if name in split_at:
                splits.append(child)
            elif name in _DROPPED:
                self._note(name)
            elif name in _MEDIA or (name == "wp-block" and self._is_embed_block(child)):
                media.append(child)
            elif name == "br":
                tokens.line_break()
            elif name == "hr":
                tokens.soft_break()
            elif name in _FORMATTING and (token := self._format_token(child)) is not None:
                tokens.append(token)
                stack.append((iter(child.children), _Close(token.name)))
            elif name in _BREAKING:
                tokens.soft_break()
                stack.append((iter(child.children), _BLOCK_END))
            else:
                stack.append((iter(child.children), None))
        return tokens, media, splits

    def _plain(self, node: Tag | None) -> str:
        if node is None:
            return ""
        tokens, _, _ = self._collect(node.children, "collapse")
        return _one_line(_render(tokens)[1])

    # block handlers

    def _paragraph(self, node: Tag) -> None:
        self._flush()
        autop = self.autop
        self.autop = not self.gutenberg  # Gutenberg's <p> is final; a newline in it is a space
        try:
            self._children(node)
            self._flush()
        finally:
            self.autop = autop

    def _heading(self, node: Tag) -> None:
        """h1–h3 → subheading (plain text); h4–h6 → a paragraph holding <h4>. Pages keep h2 and h3."""
        self._flush()
        level = int(node.name[1])
        tokens, media, _ = self._collect(node.children, "collapse")
        if self.page:
            self._rich_block(tokens, "h2" if level <= 2 else "h3")
        elif level <= 3:
            text = _one_line(_render(tokens)[1])
            if text:
                text = self._shorten(text, SUBHEADING_MAX, "subheading")
                self._block("subheading", text)
                self.texts.append(text)
        else:
            self._rich_block(tokens, "h4")
        self._visit_all(media)

    def _blockquote(self, node: Tag) -> None:
        """→ quotation: its paragraphs as lines, the speaker from <cite>. Embedded tweets become embeds."""
        self._flush()
        if _SOCIAL_QUOTE_CLASSES & set(_classes(node)) and self._social_embed(node):
            return
        cites = [tag for tag in _descendant_tags(node)[0] if tag.name == "cite"]
        cite = cites[-1] if cites else None
        speaker = self._plain(cite).lstrip("—–―-~ ").strip()
        exclude = frozenset({id(cite)}) if cite is not None else frozenset()
        tokens, media, _ = self._collect(node.children, self._line_mode, exclude=exclude)
        if self.page:
            self._rich_block(tokens)
            if speaker:
                self._add_rich(f"<p>— {html_lib.escape(speaker, quote=False)}</p>", f"— {speaker}")
        else:
            lines = (_one_line(line) for line in _render(tokens)[1].split("\n"))
            quotation = "\n".join(line for line in lines if line)
            speaker = self._shorten(speaker, SPEAKER_MAX, "quotation speaker")
            if quotation:
                self._block("quotation", {"text": quotation, "speaker": speaker, "role": ""})
                self.texts.extend(part for part in (quotation, speaker) if part)
            elif speaker:
                self._add_rich(f"<p>{html_lib.escape(speaker, quote=False)}</p>", speaker)
        self._visit_all(media)

    def _social_embed(self, node: Tag) -> bool:
        for anchor in reversed([tag for tag in _descendant_tags(node)[0] if tag.name == "a"]):
            url = _web_url(anchor.get("href"))
            if url and _is_social_post(url):
                self._embed(url, self._plain(node))
                return True
        return False

    def _list(self, node: Tag) -> None:
        """ul/ol → one paragraph holding the list; a list of images (an old gallery) → its images."""
        self._flush()
        if any(tag.name in _NOT_A_TEXT_LIST for tag in _descendant_tags(node)[0]):
            self._children(node)
            self._flush()
            return
        html, lines, media = self._list_html(node, 0)
        if lines:
            self._add_rich(html, "\n".join(lines))
        self._visit_all(media)

    def _list_html(self, node: Tag, depth: int) -> tuple[str, list[str], list[Tag]]:
        items: list[str] = []
        lines: list[str] = []
        media: list[Tag] = []
        loose = _Tokens()  # text written in the list outside any <li>

        def end_loose_item() -> None:
            nonlocal loose
            if loose.has_text:
                html, text = _render(loose)
                items.append(f"<li>{html}</li>")
                lines.append(text)
            loose = _Tokens()

        for child in node.children:
            if isinstance(child, Tag) and child.name == "li":
                end_loose_item()
                self._list_items(child, depth, items, lines, media)
            elif isinstance(child, Tag) and child.name in {"ul", "ol"} and depth < _MAX_LIST_DEPTH:
                end_loose_item()
                nested, nested_lines, nested_media = self._list_html(child, depth + 1)
                media.extend(nested_media)
                if nested_lines:
                    if items:
                        items[-1] = items[-1].removesuffix("</li>") + nested + "</li>"
                    else:
                        items.append(f"<li>{nested}</li>")
                    lines.extend(nested_lines)
            else:
                tokens, found, _ = self._collect([child], self._line_mode)
                media.extend(found)
                for token in tokens:
                    loose.add(token)
        end_loose_item()
        return f"<{node.name}>{''.join(items)}</{node.name}>", lines, media

    def _list_items(self, item: Tag, depth: int, items: list[str], lines: list[str], media: list[Tag]) -> None:
        """One <li>, and those html.parser nested inside it when their end tags were left out."""
        split_at = frozenset({"li", "ul", "ol"}) if depth < _MAX_LIST_DEPTH else frozenset({"li"})
        pending = [item]
        while pending:
            current = pending.pop()
            tokens, found, splits = self._collect(current.children, self._line_mode, split_at=split_at)
            media.extend(found)
            nested_html: list[str] = []
            nested_lines: list[str] = []
            later_items: list[Tag] = []
            for split in splits:
                if split.name == "li":
                    later_items.append(split)
                    continue
                nested, sub_lines, sub_media = self._list_html(split, depth + 1)
                media.extend(sub_media)
                if sub_lines:
                    nested_html.append(nested)
                    nested_lines.extend(sub_lines)
            html, text = _render(tokens)
            if text.strip() or nested_html:
                items.append(f"<li>{html}{''.join(nested_html)}</li>")
                lines.extend(line for line in [text, *nested_lines] if line.strip())
            pending.extend(reversed(later_items))

    def _table(self, node: Tag) -> None:
        """A table → one paragraph per row, its cells joined with " — " (the editor has no tables)."""
        self._flush()
        media: list[Tag] = []
        for child in node.children:
            if not isinstance(child, Tag):
                continue
            if child.name in {"thead", "tbody", "tfoot"}:
                rows = [row for row in child.children if isinstance(row, Tag) and row.name == "tr"]
            elif child.name == "tr":
                rows = [child]
            elif child.name in {"colgroup", "col"}:
                rows = []
            else:  # <caption>, or markup misplaced in the table
                tokens, found, _ = self._collect([child], self._line_mode)
                media.extend(found)
                self._rich_block(tokens)
                continue
            for row in rows:
                cells = [cell for cell in row.children if isinstance(cell, Tag) and cell.name in {"td", "th"}]
                parts: list[tuple[str, str]] = []
                for cell in cells or [row]:
                    tokens, found, _ = self._collect(cell.children, self._line_mode)
                    media.extend(found)
                    html, text = _render(tokens)
                    if text.strip():
                        parts.append((html, text))
                if parts:
                    self._add_rich(
                        "<p>" + " — ".join(html for html, _ in parts) + "</p>", " — ".join(text for _, text in parts)
                    )
        self._visit_all(media)

    def _pre(self, node: Tag) -> None:
        self._flush()
        tokens, media, _ = self._collect(node.children, "pre")
        self._rich_block(tokens)
        self._visit_all(media)

    def _figure(self, node: Tag) -> None:
        """A figure with one image → that image, its <figcaption> the caption; any other figure → its content."""
        inside, complete = _descendant_tags(node)
        images = [tag for tag in inside if tag.name == "img"]
        if complete and len(images) == 1 and not any(tag.name in _NOT_A_SIMPLE_FIGURE for tag in inside):
            caption = next((tag for tag in inside if tag.name == "figcaption"), None)
            self._image(images[0], self._plain(caption))
            return
        self._flush()
        self._children(node)
        self._flush()

    def _image(self, node: Tag, caption: str = "", attachment_id: int | None = None) -> None:
        if attachment_id is None:
            attachment_id = _attachment_id(node)
        if attachment_id is None and self.attachment_ids:
            attachment_id = self.attachment_ids[-1]
        alt = _one_line(_clean(node.get("alt") or "")) if isinstance(node.get("alt"), str) else ""
        self._image_or_link(attachment_id, _image_source(node), caption, alt)

    def _image_or_link(self, attachment_id: int | None, source: str, caption: str, alt: str = "") -> None:
        """An image block when the image was imported; else a link to it, so the reader loses nothing."""
        self.images_seen += 1
        link = _web_url(source)
        found_as = source if (link or source.startswith("/")) else ""
        if not found_as and attachment_id is None:
            self._note(f"image without a usable address ({source[:60]})" if source else "image without an address")
            if caption:
                self._flush()
                self._add_rich(f"<p>{html_lib.escape(caption, quote=False)}</p>", caption)
            return
        self._flush()  # an image is a block of its own: the text before it is a paragraph
        image = None if self.page else self.lookup(attachment_id, found_as)
        if image is not None:
            caption = self._shorten(caption, CAPTION_MAX, "image caption")
            self._block("image", {"image": image, "caption": caption, "credit": ""})
            if caption:
                self.texts.append(caption)
            return
        if found_as:
            if not self.page and found_as not in self.missing:
                self.missing.append(found_as)
        else:
            self._note(f"image {attachment_id} not imported")
        label = alt or caption or found_as
        tokens = _Tokens()
        if link:
            tokens.append(_link(link))
            tokens.text(label or link)
            tokens.append(_Close("a"))
        else:
            tokens.text(label)
        if caption and caption != label:
            tokens.line_break()
            tokens.text(caption)
        self._rich_block(tokens)

    def _gallery(self, ids: list[int]) -> None:
        for attachment_id in ids:
            self.images_seen += 1
            image = None if self.page else self.lookup(attachment_id, "")
            if image is None:
                self._note(f"gallery image {attachment_id} not imported")
            else:
                self._block("image", {"image": image, "caption": "", "credit": ""})

    def _iframe(self, node: Tag) -> None:
        """A frame → an embed when it plays a video Akhbar can frame; any other frame is dropped."""
        self._flush()
        url = _web_url(node.get("src") or node.get("data-src"))
        video = _video_page_url(url) if url else ""
        if video and embed_frame_url(video):
            title = node.get("title")
            self._embed(video, _one_line(_clean(title)) if isinstance(title, str) else "")
        elif url:
            self._note(f"iframe from {_host(url) or url[:60]}")
        else:
            self._note("iframe without a web address")

    def _media_element(self, node: Tag) -> None:
        """<video>/<audio> → an embed of the file's address."""
        self._flush()
        source = node.get("src")
        if not source:
            inner = next((tag for tag in node.children if isinstance(tag, Tag) and tag.name == "source"), None)
            source = inner.get("src") if inner is not None else None
        url = _web_url(source)
        if url:
            self._embed(url, "")
        else:
            self._note(f"{node.name} without a web address")

    def _embed(self, url: str, title: str) -> None:
        address = _web_url(url)
        title = _one_line(title)
        if not address:
            self._note("embed without a web address")
            if title:
                self._add_rich(f"<p>{html_lib.escape(title, quote=False)}</p>", title)
            return
        if self.page:
            self._rich_block([_link(address), title or address, _Close("a")])
            return
        title = self._shorten(title, EMBED_TITLE_MAX, "embed title")
        self._block("embed", {"url": address, "title": title})
        if title:
            self.texts.append(title)

    def _is_embed_block(self, node: Tag) -> bool:
        name = self._ref(node, "block").get("name", "")
        return name == "embed" or name.startswith("core-embed/")

    def _gutenberg_block(self, node: Tag) -> None:
        """A <!-- wp:… --> block: its attributes give embed addresses and image ids; its HTML is read as usual."""
        ref = self._ref(node, "block")
        name = ref.get("name", "")
        attrs = ref.get("attrs", {})
        self._flush()
        if self._is_embed_block(node) and _web_url(attrs.get("url")):
            caption = next((tag for tag in _descendant_tags(node)[0] if tag.name == "figcaption"), None)
            self._embed(attrs["url"], self._plain(caption))
            return
        if ref.get("empty") and name and name not in _EMPTY_BLOCKS:
            self._note(f"block {name} (its content is made by WordPress, not stored in the post)")
        images_before = self.images_seen
        is_image = name == "image"
        if is_image:
            self.attachment_ids.append(_as_id(attrs.get("id")))
        try:
            self._children(node)
            self._flush()
        finally:
            if is_image:
                self.attachment_ids.pop()
        if name == "gallery" and self.images_seen == images_before:
            ids = attrs.get("ids")
            self._gallery([value for value in map(_as_id, ids if isinstance(ids, list) else []) if value])

    def _shortcode(self, node: Tag) -> None:
        ref = self._ref(node)
        kind = ref.get("kind")
        if kind == "caption":
            self._caption(node, ref)
        elif kind == "embed":
            self._flush()
            url = ref.get("url") or (self._plain(node) if _descendant_tags(node)[1] else "")
            if _web_url(url):
                self._embed(url, "")
            else:
                self._note("embed shortcode without a web address")
                self._children(node)
                self._flush()
        elif kind == "gallery":
            self._flush()
            self._gallery(ref.get("ids", []))
        else:
            self._children(node)

    def _caption(self, node: Tag, ref: dict) -> None:
        """[caption]<img …> text[/caption] → an image block captioned with the text."""
        inside, _ = _descendant_tags(node)
        image = next((tag for tag in inside if tag.name == "img"), None)
        if image is None:
            self._children(node)
            return
        tokens, media, _ = self._collect(node.children, "collapse")
        caption = _one_line(_render(tokens)[1]) or _one_line(ref.get("caption", ""))
        self._image(image, caption, ref.get("attachment_id"))
        around_image = set()  # the image's own wrappers (<a>, <figure>) inside the caption
        parent = image.parent
        while parent is not None and parent is not node:
            around_image.add(id(parent))
            parent = parent.parent
        self._visit_all(item for item in media if item is not image and id(item) not in around_image)


def _collect_text(tokens: _Tokens, text: str, mode: str) -> None:
    if mode == "collapse" or "\n" not in text:
        tokens.text(text)
        return
    for number, line in enumerate(text.split("\n")):
        if number and (mode == "pre" or not tokens.ends_with_break):
            tokens.line_break()
        tokens.text(line)


def _bare_url(line: list) -> str:
    """The address when a line holds nothing but one, outside any link."""
    texts = []
    for token in line:
        if isinstance(token, str):
            texts.append(token)
        elif isinstance(token, _Open) and token.name == "a":
            return ""
    candidate = "".join(texts).strip()
    return candidate if _BARE_URL.fullmatch(candidate) else ""


def _descendant_tags(node: Tag) -> tuple[list[Tag], bool]:
    """The first elements inside `node`, and whether that is all of them.

    Handlers look inside their element this way, never through the whole subtree, so
    deeply nested hostile markup costs a bounded amount per level.
    """
    found: list[Tag] = []
    for count, descendant in enumerate(node.descendants):
        if count >= _SCAN_LIMIT:
            return found, False
        if isinstance(descendant, Tag):
            found.append(descendant)
    return found, True


def _attachment_id(image: Tag) -> int | None:
    """WordPress marks an attachment's images with class="wp-image-12" (galleries also with data-id)."""
    for name in _classes(image):
        match = _ATTACHMENT_CLASS.fullmatch(name)
        if match:
            return int(match.group(1))
    return _as_id(image.get("data-id"))


def _image_source(image: Tag) -> str:
    """The image's address as found; lazy-loading plugins put it in data-* and a placeholder in src."""
    for name in ("data-lazy-src", "data-src", "data-orig-file", "src"):
        value = image.get(name)
        if isinstance(value, str):
            value = _clean(value).strip()
            if value and not value.lower().startswith("data:"):
                return value
    return ""
