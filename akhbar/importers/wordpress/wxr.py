"""Reading a WordPress export (WXR 1.0–1.2) as a stream, safely.

The file is fed to a defused expat parser a line (at most 64 kB) at a time, and every
finished child of <channel> is handed out and dropped, so memory stays flat whatever the
size of the export and each item knows the line it starts on. The parser refuses DTDs and
entity declarations: WordPress never writes them, and they are how XXE and "billion laughs"
attacks work. A malformed or truncated document raises WxrError with its line number.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

READ_LIMIT = 64 * 1024
# Namespaces by what they are; WXR 1.0, 1.1 and 1.2 differ only in the version in the URI.
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
for _version in ("1.0", "1.1", "1.2"):
    _NAMESPACES[f"http://wordpress.org/export/{_version}/"] = "wp"
    _NAMESPACES[f"http://wordpress.org/export/{_version}/excerpt/"] = "excerpt"


class WxrError(Exception):
    """The document cannot be read; the message (Arabic through gettext) names the line."""


def name_of(tag: str) -> str:
    """'{http://wordpress.org/export/1.2/}post_id' → 'wp:post_id'; tags without a namespace stay as they are."""
    if tag[:1] != "{":
        return tag
    uri, _sep, local = tag[1:].partition("}")
    prefix = _NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else local


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element: ET.Element) -> dict[str, str]:
    """The first value of each child, by prefixed name (enough for WXR's flat records)."""
    values: dict[str, str] = {}
    for child in element:
        values.setdefault(name_of(child.tag), child.text or "")
    return values


def decoded_slug(value: str) -> str:
    """WordPress stores Arabic slugs percent-encoded (%d8%a7…); Akhbar keeps them as letters."""
    return unquote(value.strip(), errors="replace")


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    language: str = ""


@dataclass
class AuthorInfo:
    author_id: str
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str
    line: int = 0


@dataclass
class Term:
    """A category, a tag or another taxonomy's term."""

    taxonomy: str  # "category", "post_tag", …
    term_id: str
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""
    line: int = 0


@dataclass
class CommentInfo:
    comment_id: str
    author: str
    email: str
    url: str
    ip: str
    date_local: str
    date_gmt: str
    content: str
    approved: str
    comment_type: str
    parent_id: str


@dataclass
class Item:
    """One <item>: a post, page, attachment, menu item…"""

    line: int
    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    slug: str
    content: str
    excerpt: str
    creator: str
    date_local: str
    date_gmt: str
    post_parent: str
    password: str
    attachment_url: str
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[CommentInfo] = field(default_factory=list)


def _author(element: ET.Element, line: int) -> AuthorInfo:
    values = _children(element)
    return AuthorInfo(
        author_id=values.get("wp:author_id", "").strip(),
        login=values.get("wp:author_login", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
        line=line,
    )


def _term(element: ET.Element, line: int) -> Term:
    values = _children(element)
    kind = name_of(element.tag)
    if kind == "wp:category":
        return Term(
            "category",
            values.get("wp:term_id", "").strip(),
            decoded_slug(values.get("wp:category_nicename", "")),
            values.get("wp:cat_name", "").strip(),
            decoded_slug(values.get("wp:category_parent", "")),
            values.get("wp:category_description", "").strip(),
            line,
        )
    if kind == "wp:tag":
        return Term(
            "post_tag",
            values.get("wp:term_id", "").strip(),
            decoded_slug(values.get("wp:tag_slug", "")),
            values.get("wp:tag_name", "").strip(),
            "",
            values.get("wp:tag_description", "").strip(),
            line,
        )
    return Term(
        values.get("wp:term_taxonomy", "").strip(),
        values.get("wp:term_id", "").strip(),
        decoded_slug(values.get("wp:term_slug", "")),
        values.get("wp:term_name", "").strip(),
        decoded_slug(values.get("wp:term_parent", "")),
        values.get("wp:term_description", "").strip(),
        line,
    )


def _item(element: ET.Element, line: int) -> Item:
    values = _children(element)
    item = Item(
        line=line,
        post_id=values.get("wp:post_id", "").strip(),
        post_type=values.get("wp:post_type", "").strip() or "post",
        status=values.get("wp:status", "").strip(),
        title=values.get("title", ""),
        link=values.get("link", "").strip(),
        slug=decoded_slug(values.get("wp:post_name", "")),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        creator=values.get("dc:creator", "").strip(),
        date_local=values.get("wp:post_date", "").strip(),
        date_gmt=values.get("wp:post_date_gmt", "").strip(),
        post_parent=values.get("wp:post_parent", "").strip(),
        password=values.get("wp:post_password", ""),
        attachment_url=values.get("wp:attachment_url", "").strip(),
    )
    for child in element:
        kind = name_of(child.tag)
        if kind == "category":
            item.categories.append(
                (child.get("domain", ""), decoded_slug(child.get("nicename", "")), (child.text or "").strip())
            )
        elif kind == "wp:postmeta":
            meta = _children(child)
            key = meta.get("wp:meta_key", "").strip()
            if key:
                item.meta.setdefault(key, meta.get("wp:meta_value", ""))
        elif kind == "wp:comment":
            comment = _children(child)
            item.comments.append(
                CommentInfo(
                    comment_id=comment.get("wp:comment_id", "").strip(),
                    author=comment.get("wp:comment_author", ""),
                    email=comment.get("wp:comment_author_email", "").strip(),
                    url=comment.get("wp:comment_author_url", "").strip(),
                    ip=comment.get("wp:comment_author_IP", "").strip(),
                    date_local=comment.get("wp:comment_date", "").strip(),
                    date_gmt=comment.get("wp:comment_date_gmt", "").strip(),
                    content=comment.get("wp:comment_content", ""),
                    approved=comment.get("wp:comment_approved", "").strip(),
                    comment_type=comment.get("wp:comment_type", "").strip(),
                    parent_id=comment.get("wp:comment_parent", "").strip(),
                )
            )
    return item


_CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "language": "language",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


def read_export(path: Path) -> Iterator[Channel | AuthorInfo | Term | Item]:
    """Yield the channel's authors, terms and items in file order, then the filled-in Channel.

    Raises WxrError for a document that is not a well-formed WordPress export.
    """
    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    pull = ET.XMLPullParser(events=("start", "end"), _parser=parser)
    channel = Channel()
    depth = 0
    channel_element: ET.Element | None = None
    starts: dict[int, int] = {}  # id(element) → line its start tag is on, for channel children
    line_no = 0
    last_line = b""
    seen_wxr = False
    try:
        with path.open("rb") as stream:
            while True:
                chunk = stream.readline(READ_LIMIT)
                if not chunk:
                    break
                if not last_line or last_line.endswith(b"\n"):
                    line_no += 1  # a read of READ_LIMIT bytes may stop inside a line
                last_line = chunk
                pull.feed(chunk)
                for event, element in pull.read_events():
                    if event == "start":
                        depth += 1
                        if depth == 1 and name_of(element.tag) != "rss":
                            raise WxrError(_("This is not a WordPress export: the document is not an RSS file (line %(line)s).") % {"line": line_no})
                        if depth == 2 and name_of(element.tag) == "channel":
                            channel_element = element
                        elif depth == 3 and channel_element is not None:
                            starts[id(element)] = line_no
                        continue
                    depth -= 1
                    if depth != 2 or channel_element is None:
                        continue
                    kind = name_of(element.tag)
                    start = starts.pop(id(element), line_no)
                    if kind in _CHANNEL_FIELDS:
                        setattr(channel, _CHANNEL_FIELDS[kind], (element.text or "").strip())
                        seen_wxr = seen_wxr or kind.startswith("wp:")
                    elif kind == "wp:author":
                        yield _author(element, start)
                    elif kind in ("wp:category", "wp:tag", "wp:term"):
                        seen_wxr = True
                        yield _term(element, start)
                    elif kind == "item":
                        yield _item(element, start)
                    channel_element.remove(element)  # the stream keeps only what it has not handed out
            try:
                pull.close()
            except ET.ParseError:
                if line_no == 0:
                    raise WxrError(_("The file is empty.")) from None
                raise WxrError(
                    _("The file ends early at line %(line)s: it looks truncated. Export it again from WordPress.")
                    % {"line": line_no}
                ) from None
    except ET.ParseError as error:
        line, column = getattr(error, "position", (line_no, 0))
        raise WxrError(_describe(error, line, column, last_line)) from None
    except DefusedXmlException:
        raise WxrError(
            _(
                "Line %(line)s: the file declares a DTD or entities, which WordPress exports never contain; "
                "refusing it, as such declarations are used to read server files or exhaust memory."
            )
            % {"line": line_no}
        ) from None
    if not seen_wxr:
        raise WxrError(_("This is not a WordPress export: it has no wp:wxr_version or WordPress data."))
    yield channel


def _describe(error: ET.ParseError, line: int, column: int, last_line: bytes) -> str:
    code = getattr(error, "code", None)
    if code == 3:  # XML_ERROR_NO_ELEMENTS: the document stopped before its root closed
        return _("The file ends early at line %(line)s: it looks truncated. Export it again from WordPress.") % {
            "line": line
        }
    try:
        last_line.decode("utf-8")
    except UnicodeDecodeError:
        return _(
            "Line %(line)s: the file's bytes are not valid in its declared encoding (UTF-8). "
            "Export it again, or convert it to UTF-8."
        ) % {"line": line}
    if code == 4:  # XML_ERROR_INVALID_TOKEN in valid UTF-8: a control character, or markup broken there
        return _(
            "Line %(line)s, column %(column)s: a character or markup XML does not allow (such as a control character); "
            "remove it or export the site again."
        ) % {"line": line, "column": column}
    return _("Line %(line)s, column %(column)s: the file is not well-formed XML (%(reason)s).") % {
        "line": line,
        "column": column,
        "reason": str(error).split(":")[0],
    }
