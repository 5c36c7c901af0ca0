"""What a reader page says about itself to search engines, social networks and feed readers.

`page_metadata(context)` builds, for the page being rendered: the site's name as its publisher,
the meta description, the image for Open Graph and Twitter cards (the page's own, else the
site's default share image), article times, section and tags, the feeds to advertise with
<link rel="alternate">, and JSON-LD objects (NewsArticle, BreadcrumbList, WebSite with a
SearchAction, Organization, CollectionPage, ProfilePage).

Everything comes from the page and the site's settings, never from the reader: pages are kept
in the shared full-page cache. Addresses use the request's host and scheme.
"""

import json
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import common

SCHEMA = "https://schema.org"
DESCRIPTION_CHARS = 300
HEADLINE_CHARS = 110  # Google's limit for a NewsArticle headline
# Inside <script>, JSON must not close the element or open a comment: escape <, > and & as
# Django's json_script does (the JSON stays identical once parsed).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_ld(data: dict) -> str:
    """A <script type="application/ld+json"> block (a data block: no CSP script-src applies)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@dataclass
class Feed:
    type: str
    title: str
    href: str


@dataclass
class Metadata:
    site_name: str = ""
    description: str = ""
    image: dict | None = None
    twitter_site: str = ""
    published: str = ""
    modified: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)
    json_ld: list[dict] = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"

    @property
    def json_ld_html(self) -> str:
        return mark_safe("\n".join(json_ld(item) for item in self.json_ld))


def _text(value, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(str(value or "").split())
    return Truncator(common.xml_safe(text)).chars(limit)


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def _image(request, image) -> dict | None:
    rendition = common.image_rendition(image)
    if rendition is None:
        return None
    return {
        "url": common.absolute(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": rendition.alt or image.title,
    }


class Builder:
    def __init__(self, context):
        self.request = context.get("request")
        self.site = common.request_site(self.request)
        self.settings = common.settings_for(self.request) if self.site is not None else None
        self.publisher = common.publisher_name(self.request)
        self.home_url = common.absolute(self.request, "/")

    def url(self, path: str) -> str:
        return common.absolute(self.request, path)

    def organization(self) -> dict:
        logo_url, width, height = common.logo_url(self.request)
        logo = {"@type": "ImageObject", "url": logo_url}
        if width:
            logo.update(width=width, height=height)
        data = {"@type": "Organization", "name": self.publisher, "url": self.home_url, "logo": logo}
        if self.settings is not None and self.settings.same_as:
            data["sameAs"] = self.settings.same_as
        return data

    def website(self) -> dict:
        return {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": self.publisher,
            "url": self.home_url,
            "inLanguage": "ar",
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": self.url(reverse("search")) + "?q={search_term_string}"},
                "query-input": "required name=search_term_string",
            },
        }

    def breadcrumbs(self, trail: list[tuple[str, str]]) -> dict:
        return {
            "@context": SCHEMA,
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": url} for n, (name, url) in enumerate(trail, start=1)
            ],
        }

    def page_trail(self, page) -> list[tuple[str, str]]:
        """From the site's home page down to the page itself: the ancestors are the breadcrumb
        tag's, from the shared cache until the tree changes (no query once warm)."""
        from akhbar.core.tree_cache import tree_cached
        from akhbar.navigation.templatetags.navigation_tags import _crumbs_down_to

        min_depth = self.site.root_page.depth if self.site else 2
        parent_path = page.path[: -Page.steplen]
        crumbs = tree_cached(
            f"crumbs:{self.site.pk if self.site else 0}:{parent_path}",
            lambda: _crumbs_down_to(parent_path, min_depth, self.request),
        )
        trail = [(crumb["title"], self.url(crumb["url"] or "")) for crumb in crumbs]
        if page.depth >= min_depth:
            trail.append((page.title, self.url(page.get_url(self.request) or "")))
        return trail

    def site_feeds(self) -> list[Feed]:
        return [
            Feed("application/rss+xml", _("%(name)s (RSS)") % {"name": self.publisher}, self.url(reverse("feed_rss"))),
            Feed("application/atom+xml", _("%(name)s (Atom)") % {"name": self.publisher}, self.url(reverse("feed_atom"))),
        ]

    def own_feeds(self, name: str, rss: str, atom: str, **kwargs) -> list[Feed]:
        return [
            Feed("application/rss+xml", _("%(name)s (RSS)") % {"name": name}, self.url(reverse(rss, kwargs=kwargs))),
            Feed("application/atom+xml", _("%(name)s (Atom)") % {"name": name}, self.url(reverse(atom, kwargs=kwargs))),
        ]

    # Page types ---------------------------------------------------------------------------
    def build(self, context) -> Metadata:
        meta = Metadata(site_name=self.publisher, feeds=self.site_feeds())
        if self.settings is not None:
            meta.twitter_site = self.settings.twitter_account
        page, tag, author = context.get("page"), context.get("tag"), context.get("author")
        if isinstance(page, Page):
            kind = type(page).__name__
            handler = {"ArticlePage": self.article, "SectionPage": self.section, "HomePage": self.home}.get(kind, self.plain)
            handler(page, meta)
        elif author is not None and hasattr(author, "articles"):
            self.author(author, meta)
        elif tag is not None:
            self.tag(tag, meta)
        if meta.image is None:
            # Social cards only: structured data keeps to the page's own image.
            meta.image = common.share_image(self.request)
        return meta

    def article(self, page, meta: Metadata) -> None:
        meta.description = _text(page.search_description or page.lede)
        meta.image = _image(self.request, page.featured_image)
        meta.published = _iso(page.published_at or page.first_published_at)
        meta.modified = _iso(page.last_published_at or page.latest_revision_created_at or page.published_at)
        trail = self.page_trail(page)
        # The section is the article's parent: the last crumb above it (no query).
        meta.section = trail[-2][0] if page.section_id and len(trail) >= 2 else ""
        meta.tags = [tag.name for tag in page.tag_list]
        canonical = self.url(page.get_url(self.request) or "")
        authors = [
            {"@type": "Person", "name": author.name, "url": self.url(author.get_url())} for author in page.author_list
        ]
        article = {
            "@context": SCHEMA,
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "url": canonical,
            "headline": _text(page.title, HEADLINE_CHARS),
            "description": meta.description,
            "datePublished": meta.published,
            "dateModified": meta.modified or meta.published,
            "author": authors or [self.organization()],
            "publisher": self.organization(),
            "inLanguage": "ar",
            "isAccessibleForFree": True,
        }
        if meta.image:
            article["image"] = [
                {"@type": "ImageObject", "url": meta.image["url"], "width": meta.image["width"], "height": meta.image["height"]}
            ]
        if meta.section:
            article["articleSection"] = meta.section
        if meta.tags:
            article["keywords"] = meta.tags
        meta.json_ld += [article, self.breadcrumbs(trail)]

    def section(self, page, meta: Metadata) -> None:
        meta.description = _text(page.search_description or page.intro) or _("The latest from %(section)s.") % {"section": page.title}
        path = common.site_path(self.site, page.url_path).strip("/")
        if path:
            meta.feeds += self.own_feeds(page.title, "section_feed_rss", "section_feed_atom", path=path)
        url = self.url(page.get_url(self.request) or "")
        meta.json_ld += [
            {"@context": SCHEMA, "@type": "CollectionPage", "name": page.title, "url": url, "inLanguage": "ar", "description": meta.description},
            self.breadcrumbs(self.page_trail(page)),
        ]

    def home(self, page, meta: Metadata) -> None:
        description = self.settings.description if self.settings is not None else ""
        meta.description = _text(page.search_description or page.tagline or description) or self.publisher
        meta.json_ld += [self.website(), {"@context": SCHEMA, **self.organization()}]

    def plain(self, page, meta: Metadata) -> None:
        meta.description = _text(page.search_description or strip_tags(str(getattr(page, "body", "") or "")))
        meta.json_ld.append(self.breadcrumbs(self.page_trail(page)))

    def tag(self, tag, meta: Metadata) -> None:
        meta.description = _("The latest news about %(tag)s.") % {"tag": tag.name}
        meta.feeds += self.own_feeds(_("Tag: %(name)s") % {"name": tag.name}, "tag_feed_rss", "tag_feed_atom", slug=tag.slug)
        url = self.url(reverse("tag", kwargs={"slug": tag.slug}))
        meta.json_ld += [
            {"@context": SCHEMA, "@type": "CollectionPage", "name": tag.name, "url": url, "inLanguage": "ar", "description": meta.description},
            self.breadcrumbs([(self.publisher, self.home_url), (tag.name, url)]),
        ]

    def author(self, author, meta: Metadata) -> None:
        meta.description = _text(author.bio) or _("Articles by %(name)s.") % {"name": author.name}
        meta.image = _image(self.request, author.photo)
        meta.feeds += self.own_feeds(author.name, "author_feed_rss", "author_feed_atom", slug=author.slug)
        url = self.url(author.get_url())
        person = {"@type": "Person", "name": author.name, "url": url}
        if author.role:
            person["jobTitle"] = author.role
        if meta.image:
            person["image"] = meta.image["url"]
        meta.json_ld += [
            {"@context": SCHEMA, "@type": "ProfilePage", "url": url, "inLanguage": "ar", "mainEntity": person},
            self.breadcrumbs([(self.publisher, self.home_url), (author.name, url)]),
        ]


def page_metadata(context) -> Metadata:
    if context.get("request") is None:
        return Metadata()
    return Builder(context).build(context)
