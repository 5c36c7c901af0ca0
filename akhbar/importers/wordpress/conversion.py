"""WordPress post HTML → Akhbar's StreamField blocks, sanitised.

WordPress stores three dialects in one field: classic-editor text whose paragraphs are
blank lines (its `wpautop` adds the <p> when it renders), Gutenberg blocks wrapped in
<!-- wp:… --> comments, and shortcodes such as [caption] or [embed]. Each becomes what an
editor would have built in Akhbar: paragraphs, subheadings, quotations, images, embeds.
Nothing executable survives: scripts and unknown frames are dropped, and every piece of
rich text goes through nh3 with the paragraph block's own features.
"""

import json
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from akhbar.arabic.text import strip_bidi_controls
from akhbar.news.blocks import embed_frame_url

ImageLookup = Callable[[int | None, str], int | None]

SUBHEADING_MAX = 200
MAX_NESTING = 64  # deeper markup (only ever hostile) is flattened to its text
CAPTION_MAX = 500
SPEAKER_MAX = 200
EMBED_HOSTS = {"twitter.com", "x.com", "instagram.com", "facebook.com", "soundcloud.com"}
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "figure", "div", "table", "pre",
    "hr", "iframe", "section", "article", "img", "dl", "header", "footer", "aside", "main", "center",
}
DROPPED_TAGS = {
    "script", "style", "object", "embed", "form", "input", "button", "select", "textarea", "svg", "math",
    "noscript", "template", "link", "meta", "head", "title", "base", "frameset", "frame", "applet", "audio",
    "video", "canvas", "map",
}
# Dropped with what they hold (code, not text); other dropped elements leave their text behind.
WITH_CONTENT = {"script", "style", "template", "noscript", "head", "title", "textarea", "select"}
INLINE_TAGS = {"b", "i", "a", "br"}
RICH_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li", "h3", "h4"}
PAGE_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li", "h2", "h3"}
_RENAMES = {"strong": "b", "em": "i"}

_BLOCK_COMMENT = re.compile(r"<!--\s*(/?)wp:([a-z0-9/-]+)\s*(\{.*?\})?\s*/?-->", re.S)
_SHORTCODE = re.compile(r"\[(\[?)(/?)([a-zA-Z][\w-]*)((?:[^\[\]\"']|\"[^\"]*\"|'[^']*')*?)(/?)\](\]?)")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|(\S+)""")
_ATTACHMENT_ID = re.compile(r"(?:attachment_|wp-image-)(\d+)")
_BARE_URL = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
_TAG = re.compile(r"<[^>]*>")
_EDGE_BREAKS = re.compile(r"^(?:\s|<br>)+|(?:\s|<br>)+$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ZERO_WIDTH = str.maketrans("", "", "\u200b\u2060\ufeff\u00ad")
KNOWN_SHORTCODES = {"caption", "wp_caption", "embed", "youtube", "video", "audio", "gallery", "vimeo"}


@dataclass
class Converted:
    blocks: list[dict] = field(default_factory=list)
    text: str = ""
    dropped: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """NFC, no bidi overrides or isolates, no zero-width tricks or control characters."""
    text = unicodedata.normalize("NFC", text)
    text = strip_bidi_controls(text).translate(_ZERO_WIDTH)
    return _CONTROLS.sub("", text)


def visible_text(html: str) -> str:
    """The text of sanitised rich text (nh3's output: well-formed, so a tag pattern is enough)."""
    return unescape(_TAG.sub(" ", html)).replace("\u00a0", " ").strip()


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _attributes(text: str) -> dict[str, str]:
    values = {}
    for match in _ATTRIBUTE.finditer(text):
        if match.group(1):
            values[match.group(1).lower()] = match.group(2) or match.group(3) or match.group(4) or ""
        elif match.group(5):
            values.setdefault("_", match.group(5).lstrip("="))
    return values


def _placeholder(tag: str, **attrs) -> str:
    rendered = " ".join(f'{name}="{html_escape(value)}"' for name, value in attrs.items())
    return f"\n\n<{tag} {rendered}></{tag}>\n\n"


def expand_shortcodes(html: str, dropped: list[str]) -> str:
    """[caption], [embed], [gallery]… become marked-up elements; other shortcodes go, their inner text stays."""
    out, position = [], 0
    stack: list[tuple[str, int, dict]] = []  # open enclosing shortcodes: (name, index in out, attributes)
    for match in _SHORTCODE.finditer(html):
        escaped_open, closing, name, raw, _self, escaped_close = match.groups()
        out.append(html[position : match.start()])
        position = match.end()
        if escaped_open and escaped_close:  # [[caption]] is the text [caption]
            out.append(match.group(0)[1:-1])
            continue
        name = name.lower()
        if closing:
            opened = next((n for n in range(len(stack) - 1, -1, -1) if stack[n][0] == name), None)
            if opened is None:
                if name not in KNOWN_SHORTCODES:
                    continue
                out.append(match.group(0))
                continue
            tag_name, index, attrs = stack.pop(opened)
            del stack[opened:]
            inner = "".join(out[index + 1 :])
            del out[index:]
            out.append(_enclosing(tag_name, attrs, inner))
            continue
        attrs = _attributes(raw)
        if name in ("caption", "wp_caption", "embed", "youtube", "vimeo", "video", "audio") or name not in KNOWN_SHORTCODES:
            # May enclose content: keep a marker to come back to when its closing tag appears.
            stack.append((name, len(out), attrs))
            out.append(_standalone(name, attrs, dropped))
        elif name == "gallery":
            ids = [value for value in re.split(r"[,\s]+", attrs.get("ids", "")) if value.isdigit()]
            out.extend(_placeholder("akhbar-image", attachment=value) for value in ids)
    out.append(html[position:])
    return "".join(out)


def _standalone(name: str, attrs: dict, dropped: list[str]) -> str:
    """What an opening shortcode stands for if it never closes."""
    if name in ("youtube", "vimeo", "video", "audio", "embed"):
        url = attrs.get("src") or attrs.get("url") or attrs.get("_", "")
        if url.startswith(("http://", "https://")):
            return _placeholder("akhbar-embed", url=url)
        return ""
    if name not in KNOWN_SHORTCODES:
        dropped.append(f"shortcode [{name}]")
    return ""


def _enclosing(name: str, attrs: dict, inner: str) -> str:
    if name in ("caption", "wp_caption"):
        soup = BeautifulSoup(inner, "html.parser")
        image = soup.find("img")
        if image is None:
            return inner
        image.extract()
        for link in soup.find_all("a"):
            if not link.get_text(strip=True):
                link.decompose()
        found = _ATTACHMENT_ID.search(attrs.get("id", "") + " " + " ".join(image.get("class") or []))
        return _placeholder(
            "akhbar-image",
            attachment=found.group(1) if found else "",
            src=image.get("src", ""),
            alt=image.get("alt", ""),
            caption=attrs.get("caption") or soup.get_text(" ", strip=True),
        )
    if name in ("embed", "youtube", "vimeo"):
        url = inner.strip()
        if url.startswith(("http://", "https://")) and not re.search(r"\s", url):
            return _placeholder("akhbar-embed", url=url)
    return inner


def wpautop(html: str) -> str:
    """Blank lines → paragraphs, single newlines → <br>, as WordPress renders classic-editor text."""
    if "\n" not in html:
        return html
    chunks = re.split(r"\n\s*\n", html.replace("\r\n", "\n").replace("\r", "\n"))
    result = []
    for chunk in chunks:
        stripped = chunk.strip()
        if not stripped:
            continue
        first = re.match(r"<\s*([a-zA-Z][\w-]*)", stripped)
        if first and (first.group(1).lower() in BLOCK_TAGS or first.group(1).lower().startswith("akhbar-")):
            result.append(stripped)
        else:
            result.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", stripped) + "</p>")
    return "\n".join(result)


class _Converter:
    def __init__(self, images: ImageLookup, allowed: set[str]):
        self.images = images
        self.allowed = allowed
        self.result = Converted()
        self.gutenberg_images: list[int] = []
        self.pending_inline: list = []

    # Text helpers ------------------------------------------------------------------------

    def rich(self, fragment: str) -> str:
        """Allow-listed HTML: links only to http(s) and mailto, no attributes but href."""
        cleaned = nh3.clean(
            fragment,
            tags=self.allowed,
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
            strip_comments=True,
        )
        return clean(cleaned).strip()

    def inline_html(self, nodes, depth: int = 0) -> str:
        if depth > MAX_NESTING:  # hostile nesting: keep the words, not the structure
            return html_escape("".join(n.get_text(" ") if isinstance(n, Tag) else str(n) for n in nodes), quote=False)
        parts = []
        for node in nodes:
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                parts.append(html_escape(str(node), quote=False))
            elif isinstance(node, Tag):
                name = _RENAMES.get(node.name, node.name)
                if node.name in DROPPED_TAGS:
                    self.result.dropped.append(node.name)
                    if node.name not in WITH_CONTENT:  # an unclosed <svg onload…> must not swallow the rest
                        parts.append(self.inline_html(node.children, depth + 1))
                elif name == "br":
                    parts.append("<br>")
                elif name == "a":
                    href = (node.get("href") or "").strip()
                    inner = self.inline_html(node.children, depth + 1)
                    if href.lower().startswith(("http://", "https://", "mailto:")):
                        parts.append(f'<a href="{html_escape(href)}">{inner}</a>')
                    else:
                        parts.append(inner)
                elif name in ("b", "i"):
                    parts.append(f"<{name}>{self.inline_html(node.children, depth + 1)}</{name}>")
                elif name == "img":
                    self.result.dropped.append("inline image")
                elif name in BLOCK_TAGS or name == "li":  # a block inside a line keeps its words apart
                    parts.append(" " + self.inline_html(node.children, depth + 1) + " ")
                else:
                    parts.append(self.inline_html(node.children, depth + 1))
        return "".join(parts)

    def add_text(self, text: str) -> None:
        text = _SPACES.sub(" ", clean(text)).strip()
        if text:
            self.texts.append(text)

    # Blocks ------------------------------------------------------------------------------

    def paragraph(self, inner_html: str, wrapper: str = "p") -> None:
        inner_html = _EDGE_BREAKS.sub("", inner_html)
        html = self.rich(f"<{wrapper}>{inner_html}</{wrapper}>")
        visible = visible_text(html)
        if not visible:
            return
        bare = _BARE_URL.match(visible)
        if wrapper == "p" and bare:
            if self.embed(bare.group(1), quiet=True):
                return
            if "<a " not in html:  # WordPress shows a bare address as a link
                url = html_escape(bare.group(1))
                html = self.rich(f'<p><a href="{url}">{url}</a></p>')
        self.blocks.append(_block("paragraph", html))
        self.add_text(visible_text(html.replace("<br>", "\n")))

    def embed(self, url: str, quiet: bool = False) -> bool:
        url = clean(url).strip()
        host = ""
        match = re.match(r"https?://([^/:?#]+)", url)
        if match:
            host = match.group(1).lower().removeprefix("www.").removeprefix("m.")
        if embed_frame_url(url) or host in EMBED_HOSTS:
            self.blocks.append(_block("embed", {"url": url, "title": ""}))
            return True
        if not quiet:
            self.blocks.append(_block("paragraph", self.rich(f'<p><a href="{html_escape(url)}">{html_escape(url)}</a></p>')))
        return False

    def image(self, attachment: str, src: str, alt: str, caption: str) -> None:
        attachment_id = int(attachment) if attachment.isdigit() else None
        if attachment_id is None and self.gutenberg_images:
            attachment_id = self.gutenberg_images.pop(0)
        pk = self.images(attachment_id, src)
        caption = _SPACES.sub(" ", clean(caption)).strip()[:CAPTION_MAX]
        if pk is not None:
            self.blocks.append(_block("image", {"image": pk, "caption": caption, "credit": ""}))
            if caption:
                self.add_text(caption)
            return
        if not src.lower().startswith(("http://", "https://")):
            self.result.dropped.append("image without an address")
            return
        self.result.missing_images.append(src)
        label = caption or clean(alt).strip() or src
        self.blocks.append(_block("paragraph", self.rich(f'<p><a href="{html_escape(src)}">{html_escape(label)}</a></p>')))
        self.add_text(label)

    def quotation(self, node: Tag) -> None:
        cite = node.find("cite") or node.find("footer")
        speaker = ""
        if cite is not None:
            speaker = _SPACES.sub(" ", clean(cite.get_text(" "))).strip().lstrip("—–- ").strip()[:SPEAKER_MAX]
            cite.extract()
        for dropped in node.find_all(DROPPED_TAGS):
            self.result.dropped.append(dropped.name)
            dropped.decompose()
        paragraphs = [p.get_text(" ") for p in node.find_all("p")] or [node.get_text("\n")]
        lines = [_SPACES.sub(" ", clean(text)).strip() for text in paragraphs]
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(_block("quotation", {"text": text, "speaker": speaker, "role": ""}))
            self.add_text(text)

    def flush_inline(self) -> None:
        if self.pending_inline:
            nodes, self.pending_inline = self.pending_inline, []
            self.paragraph(self.inline_html(nodes))

    def walk(self, nodes, depth: int = 0) -> None:
        if depth > MAX_NESTING:  # hostile nesting: its words become one paragraph
            self.flush_inline()
            text = " ".join(n.get_text(" ") if isinstance(n, Tag) else str(n) for n in nodes)
            self.paragraph(html_escape(text, quote=False))
            return
        for node in list(nodes):
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                if str(node).strip() or self.pending_inline:
                    self.pending_inline.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            name = _RENAMES.get(node.name, node.name)
            if not (name in BLOCK_TAGS or name in DROPPED_TAGS or name.startswith("akhbar-")):
                self.pending_inline.append(node)
                continue
            self.flush_inline()
            self.depth = depth  # how deep this element is, for the walks it starts
            self.block_tag(node, name)
        self.flush_inline()

    def image_tag(self, node: Tag, caption: str = "") -> None:
        found = _ATTACHMENT_ID.search(" ".join(node.get("class") or []))
        self.image(found.group(1) if found else "", node.get("src", ""), node.get("alt", ""), caption)

    def block_tag(self, node: Tag, name: str) -> None:
        if name in DROPPED_TAGS:
            self.result.dropped.append(name)
            if name not in WITH_CONTENT:
                self.walk(node.children, self.depth + 1)
        elif name == "p":
            self.walk_paragraph(node)
        elif name in ("h1", "h2", "h3"):
            text = _SPACES.sub(" ", clean(node.get_text(" "))).strip()[:SUBHEADING_MAX]
            if text:
                self.blocks.append(_block("subheading", text))
                self.add_text(text)
        elif name in ("h4", "h5", "h6"):
            self.paragraph(self.inline_html(node.children), wrapper="h4" if "h4" in self.allowed else "p")
        elif name == "blockquote":
            self.quotation(node)
        elif name in ("ul", "ol"):
            # Its own items only: a nested list's words stay in the item that holds it.
            items = [f"<li>{self.inline_html(li.children)}</li>" for li in node.find_all("li", recursive=False)]
            if not items:  # a list without items: its content as it is
                self.walk(node.children, self.depth + 1)
            else:
                html = self.rich(f"<{name}>{''.join(items)}</{name}>")
                if visible_text(html):
                    self.blocks.append(_block("paragraph", html))
                    self.add_text(visible_text(html.replace("</li>", "\n")))
        elif name == "figure":
            image = node.find("img")
            caption_node = node.find("figcaption")
            if node.find("blockquote") is not None:
                self.quotation(node.find("blockquote"))
            elif image is not None:
                self.image_tag(image, caption_node.get_text(" ") if caption_node else "")
            else:
                frame = node.find("iframe")
                if frame is not None:
                    self.block_tag(frame, "iframe")
                else:
                    text = node.get_text(" ", strip=True)
                    bare = _BARE_URL.match(text)
                    if bare:
                        self.embed(bare.group(1))
                    else:
                        self.walk(node.children, self.depth + 1)
        elif name == "iframe":
            src = (node.get("src") or "").strip()
            if src.startswith("//"):
                src = "https:" + src
            if embed_frame_url(src):
                self.blocks.append(_block("embed", {"url": src, "title": clean(node.get("title", ""))[:200]}))
            else:
                self.result.dropped.append("iframe from " + (re.sub(r"^https?://", "", src).split("/")[0] or "nowhere"))
        elif name == "img":
            self.image_tag(node)
        elif name == "akhbar-image":
            self.image(node.get("attachment", ""), node.get("src", ""), node.get("alt", ""), node.get("caption", ""))
        elif name == "akhbar-embed":
            self.embed(node.get("url", ""))
        elif name == "table":
            # Its own rows and cells only (a nested table's words stay in the cell that holds it):
            # searching every descendant at every level of nesting would be cubic.
            rows = []
            for child in node.children:
                if isinstance(child, Tag) and child.name == "tr":
                    rows.append(child)
                elif isinstance(child, Tag) and child.name in ("thead", "tbody", "tfoot"):
                    rows.extend(child.find_all("tr", recursive=False))
            for row in rows:
                cells = [
                    _SPACES.sub(" ", clean(cell.get_text(" "))).strip()
                    for cell in row.find_all(["td", "th"], recursive=False)
                ]
                cells = [cell for cell in cells if cell]
                if cells:
                    self.paragraph(html_escape(" — ".join(cells), quote=False))
        elif name == "pre":
            self.paragraph(html_escape(node.get_text(), quote=False).replace("\n", "<br>"))
        elif name == "hr":
            pass
        else:  # div, section, article, center…: their content
            self.walk(node.children, self.depth + 1)

    def walk_paragraph(self, node: Tag) -> None:
        """A <p> may hold an image or a bare URL alone (WordPress's own auto-embed)."""
        images = node.find_all("img")
        for image in images:
            image.extract()
            self.image_tag(image)
        self.paragraph(self.inline_html(node.children))

    def run(self, html: str) -> Converted:
        self.blocks: list[dict] = []
        self.texts: list[str] = []
        self.depth = 0
        for closing, name, attributes in _BLOCK_COMMENT.findall(html):
            if not closing and name == "image" and attributes:
                try:
                    value = json.loads(attributes).get("id")
                except (ValueError, AttributeError):
                    value = None
                if isinstance(value, int):
                    self.gutenberg_images.append(value)
        html = _BLOCK_COMMENT.sub("\n\n", html)
        html = expand_shortcodes(html.replace("\x00", ""), self.result.dropped)
        soup = BeautifulSoup(wpautop(html), "html.parser")
        self.walk(soup.children)
        self.result.blocks = self.blocks
        self.result.text = "\n".join(self.texts)
        return self.result


def convert(html: str, images: ImageLookup) -> Converted:
    """Blocks for an article body; never raises on bad markup."""
    return _Converter(images, RICH_TAGS).run(html or "")


def rich_text(html: str) -> str:
    """One rich-text HTML string for a standard page: the same cleaning, images and embeds as links."""
    converted = _Converter(lambda _id, _url: None, PAGE_TAGS).run(html or "")
    parts = []
    for block in converted.blocks:
        value = block["value"]
        if block["type"] == "paragraph":
            parts.append(value.replace("<h4>", "<h3>").replace("</h4>", "</h3>"))
        elif block["type"] == "subheading":
            parts.append(f"<h2>{html_escape(value, quote=False)}</h2>")
        elif block["type"] == "quotation":
            text = html_escape(value["text"], quote=False).replace("\n", "<br>")
            speaker = f" — {html_escape(value['speaker'], quote=False)}" if value["speaker"] else ""
            parts.append(f"<p><i>{text}</i>{speaker}</p>")
        elif block["type"] == "embed":
            url = html_escape(value["url"])
            parts.append(f'<p><a href="{url}">{url}</a></p>')
    return "".join(parts)
