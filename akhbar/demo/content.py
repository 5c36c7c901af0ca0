"""The demo site's content, read from the JSON files in demo_content/ and checked before use.

Editors can read and change those files without touching Python; a mistake in them is
reported with the file and the article key, before anything is written to the database.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
BLOCK_TYPES = {"paragraph", "subheading", "quotation", "image", "embed"}
MAX_AGE_HOURS = 240  # articles are spread over the last ten days
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[a-z0-9-]+$")


class ContentError(ValueError):
    """A demo content file is missing, malformed or inconsistent."""


@dataclass
class SectionSpec:
    key: str
    slug: str
    title: str
    intro: str
    colours: tuple[str, str]
    palette_name: str
    children: list["SectionSpec"] = field(default_factory=list)


@dataclass
class AuthorSpec:
    key: str
    name: str
    role: str
    bio: str
    colours: tuple[str, str]


@dataclass
class PageSpec:
    key: str
    slug: str
    title: str
    body: str


@dataclass
class ArticleSpec:
    key: str
    section: str
    hours_ago: float
    title: str
    lede: str
    kicker: str
    authors: list[str]
    source_name: str
    source_url: str
    tags: list[str]
    body: list[dict]


@dataclass
class DemoContent:
    site_name: str
    home_title: str
    home_tagline: str
    footer_text: str
    sections: list[SectionSpec]
    authors: list[AuthorSpec]
    pages: list[PageSpec]
    navigation: dict[str, str]
    articles: list[ArticleSpec]

    def all_sections(self) -> list[SectionSpec]:
        """Every section, parents before their children."""
        found: list[SectionSpec] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            found.append(section)
            stack.extend(reversed(section.children))
        return found


def _read_json(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file not found in {path.parent}") from None
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(f"{path.name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def _text(data: dict, name: str, where: str, *, required: bool = True, max_length: int | None = None) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise ContentError(f"{where}: «{name}» must be text")
    value = value.strip()
    if required and not value:
        raise ContentError(f"{where}: «{name}» is missing")
    if max_length is not None and len(value) > max_length:
        raise ContentError(f"{where}: «{name}» is longer than {max_length} characters")
    return value


def _colours(data: dict, where: str) -> tuple[str, str]:
    colours = data.get("colours")
    if not (isinstance(colours, list) and len(colours) == 2 and all(isinstance(c, str) and _COLOUR.match(c) for c in colours)):
        raise ContentError(f"{where}: «colours» must be two #rrggbb colours")
    return colours[0], colours[1]


def _key(data: dict, where: str) -> str:
    key = _text(data, "key", where)
    if not _KEY.match(key):
        raise ContentError(f"{where}: key {key!r} may hold only a-z, 0-9 and hyphens")
    return key


def _section(data: dict, where: str) -> SectionSpec:
    key = _key(data, where)
    where = f"{where} section {key}"
    return SectionSpec(
        key=key,
        slug=_text(data, "slug", where, max_length=100),
        title=_text(data, "title", where, max_length=255),
        intro=_text(data, "intro", where, required=False),
        colours=_colours(data, where),
        palette_name=_text(data, "palette_name", where),
        children=[_section(child, where) for child in data.get("children", [])],
    )


def _block(data, where: str) -> dict:
    if not isinstance(data, dict) or data.get("type") not in BLOCK_TYPES:
        raise ContentError(f"{where}: each body block needs a «type», one of {sorted(BLOCK_TYPES)}")
    kind = data["type"]
    if kind in {"paragraph", "subheading"}:
        return {"type": kind, "text": _text(data, "text", where, max_length=200 if kind == "subheading" else None)}
    if kind == "quotation":
        return {
            "type": kind,
            "text": _text(data, "text", where),
            "speaker": _text(data, "speaker", where, max_length=200),
            "role": _text(data, "role", where, required=False, max_length=200),
        }
    if kind == "image":
        return {
            "type": kind,
            "caption": _text(data, "caption", where, max_length=500),
            "credit": _text(data, "credit", where, required=False, max_length=200),
        }
    url = _text(data, "url", where)
    if not url.startswith("https://"):
        raise ContentError(f"{where}: embed «url» must start with https://")
    return {"type": kind, "url": url, "title": _text(data, "title", where, required=False, max_length=200)}


def _article(data, number: int, sections: set[str], authors: set[str]) -> ArticleSpec:
    if not isinstance(data, dict):
        raise ContentError(f"articles.json item {number}: must be an object")
    key = _key(data, f"articles.json item {number}")
    where = f"articles.json article {key}"
    section = _text(data, "section", where)
    if section not in sections:
        raise ContentError(f"{where}: unknown section {section!r}")
    credited = data.get("authors")
    if not (isinstance(credited, list) and 1 <= len(credited) <= 3 and all(a in authors for a in credited)):
        raise ContentError(f"{where}: «authors» must list 1–3 author keys from site.json")
    tags = data.get("tags")
    if not (isinstance(tags, list) and 2 <= len(tags) <= 5 and all(isinstance(t, str) and t.strip() for t in tags)):
        raise ContentError(f"{where}: «tags» must hold 2–5 tags")
    source = data.get("source")
    if not isinstance(source, dict):
        raise ContentError(f"{where}: «source» is missing")
    source_url = _text(source, "url", where, required=False)
    if source_url and not source_url.startswith("https://"):
        raise ContentError(f"{where}: source «url» must start with https://")
    hours_ago = data.get("hours_ago")
    if not (isinstance(hours_ago, int | float) and 0 < hours_ago <= MAX_AGE_HOURS):
        raise ContentError(f"{where}: «hours_ago» must be a number of hours between 0 and {MAX_AGE_HOURS}")
    body = data.get("body")
    if not (isinstance(body, list) and body):
        raise ContentError(f"{where}: «body» must be a list of blocks")
    return ArticleSpec(
        key=key,
        section=section,
        hours_ago=float(hours_ago),
        title=_text(data, "title", where, max_length=255),
        lede=_text(data, "lede", where),
        kicker=_text(data, "kicker", where, required=False, max_length=120),
        authors=list(credited),
        source_name=_text(source, "name", where, max_length=200),
        source_url=source_url,
        tags=[t.strip() for t in tags],
        body=[_block(block, where) for block in body],
    )


def load_content(directory: Path | None = None) -> DemoContent:
    """Read and check site.json and articles.json; raise ContentError naming what is wrong."""
    directory = directory or CONTENT_DIR
    site = _read_json(directory / "site.json")
    raw_articles = _read_json(directory / "articles.json")
    if not isinstance(site, dict):
        raise ContentError("site.json: must be an object")
    if not isinstance(raw_articles, list):
        raise ContentError("articles.json: must be a list of articles")

    sections = [_section(s, "site.json") for s in site.get("sections", [])]
    authors = [
        AuthorSpec(
            key=_key(a, "site.json author"),
            name=_text(a, "name", "site.json author", max_length=200),
            role=_text(a, "role", "site.json author", required=False, max_length=200),
            bio=_text(a, "bio", "site.json author", required=False),
            colours=_colours(a, "site.json author"),
        )
        for a in site.get("authors", [])
    ]
    pages = []
    for page in site.get("pages", []):
        where = "site.json page"
        paragraphs = page.get("body")
        if not (isinstance(paragraphs, list) and all(isinstance(p, str) for p in paragraphs)):
            raise ContentError(f"{where}: «body» must be a list of HTML paragraphs")
        pages.append(
            PageSpec(
                key=_key(page, where),
                slug=_text(page, "slug", where, max_length=100),
                title=_text(page, "title", where, max_length=255),
                body="".join(paragraphs),
            )
        )
    home = site.get("home") or {}
    content = DemoContent(
        site_name=_text(site, "site_name", "site.json", max_length=255),
        home_title=_text(home, "title", "site.json home", max_length=255),
        home_tagline=_text(home, "tagline", "site.json home", required=False, max_length=255),
        footer_text=_text(site, "footer_text", "site.json", required=False, max_length=300),
        sections=sections,
        authors=authors,
        pages=pages,
        navigation=dict(site.get("navigation") or {}),
        articles=[],
    )

    section_keys = [s.key for s in content.all_sections()]
    for kind, keys in (("section", section_keys), ("author", [a.key for a in authors]), ("page", [p.key for p in pages])):
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ContentError(f"site.json: duplicate {kind} keys {duplicates}")
    page_keys = {p.key for p in pages}
    for setting, page_key in content.navigation.items():
        if page_key not in page_keys:
            raise ContentError(f"site.json: navigation «{setting}» names unknown page {page_key!r}")

    content.articles = [
        _article(item, number, set(section_keys), {a.key for a in authors}) for number, item in enumerate(raw_articles, 1)
    ]
    article_keys = [a.key for a in content.articles]
    duplicates = sorted({k for k in article_keys if article_keys.count(k) > 1})
    if duplicates:
        raise ContentError(f"articles.json: duplicate article keys {duplicates}")
    return content
