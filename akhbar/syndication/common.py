"""What feeds, sitemaps and page metadata share: the request's site and host, the publisher,
absolute addresses and the articles they list (bounded, with what they show prefetched)."""

import re

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.encoding import iri_to_uri
from wagtail.models import Site

# The featured image as feeds, Open Graph and JSON-LD show it: one of the card renditions, which
# card listings prefetch (akhbar.news.listings.CARD_IMAGE_FILTERS), so it costs no query there.
SHARE_IMAGE_FILTER = "fill-1280x720|format-webp"
LOGO_FILTER = "max-600x60|format-png"


def feed_size() -> int:
    return max(1, min(int(getattr(settings, "AKHBAR_FEED_ITEMS", 20)), 100))


def request_site(request) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def settings_for(request):
    from .models import SyndicationSettings

    return SyndicationSettings.for_request(request)


def publisher_name(request) -> str:
    site = request_site(request)
    configured = settings_for(request).publisher_name.strip() if site is not None else ""
    return configured or (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def absolute(request, path: str) -> str:
    """An absolute, ASCII-only address on the host and scheme the request came in on."""
    if not path:
        return ""
    if "://" in path:
        return iri_to_uri(path)
    return iri_to_uri(request.build_absolute_uri(path)) if request is not None else iri_to_uri(path)


def site_path(site: Site | None, url_path: str) -> str:
    """A page's path on its site from Wagtail's url_path ('/home/news/x/' → '/news/x/')."""
    if site is None:
        return url_path
    root = site.root_page.url_path
    return "/" + url_path[len(root) :] if url_path.startswith(root) else ""


def image_rendition(image, filter_spec: str = SHARE_IMAGE_FILTER):
    """A rendition for sharing, or None when the file is missing (never a 500 for a lost file)."""
    if image is None:
        return None
    try:
        return image.get_rendition(filter_spec)
    except Exception:  # SourceImageIOError and friends: an image row whose file is gone
        return None


def logo_url(request) -> tuple[str, int | None, int | None]:
    """The publisher's logo (a site setting) as an absolute URL with its size, or the favicon."""
    from django.templatetags.static import static

    from akhbar.core.tree_cache import process_cached

    site = request_site(request)
    if site is None:
        return absolute(request, static("img/favicon.svg")), None, None
    setting = settings_for(request)

    def rendition_facts():
        rendition = image_rendition(setting.logo, LOGO_FILTER)
        return (rendition.url, rendition.width, rendition.height) if rendition is not None else None

    # Kept in the process until a setting or the tree changes (akhbar/core/tree_cache.py).
    facts = process_cached(("syndication-logo", site.pk, setting.logo_id), rendition_facts) if setting.logo_id else None
    if facts is not None:
        return absolute(request, facts[0]), facts[1], facts[2]
    return absolute(request, static("img/favicon.svg")), None, None


def share_image(request) -> dict | None:
    """The site's default share image (a setting) for pages without one of their own: absolute
    URL, width, height and alt text of its share rendition, or None."""
    from akhbar.core.tree_cache import process_cached

    site = request_site(request)
    if site is None:
        return None
    setting = settings_for(request)
    if not setting.share_image_id:
        return None

    def rendition_facts():
        rendition = image_rendition(setting.share_image)
        if rendition is None:
            return None
        return rendition.url, rendition.width, rendition.height, rendition.alt or setting.share_image.title

    # Kept in the process until a setting or the tree changes (akhbar/core/tree_cache.py).
    facts = process_cached(("syndication-share-image", site.pk, setting.share_image_id), rendition_facts)
    if facts is None:
        return None
    url, width, height, alt = facts
    return {"url": absolute(request, url), "width": width, "height": height, "alt": alt}


def article_queryset(*, full: bool = False) -> QuerySet:
    """Live articles newest first, with section, image renditions, tags and authors in a fixed
    number of queries (the card query and three prefetches), whatever the number of items."""
    from akhbar.news.listings import card_queryset
    from akhbar.news.models import ArticlePageTag, Author

    # Every column (cards may read only the few they show), the body only for full text.
    queryset = card_queryset().defer(None).prefetch_related(
        Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag").order_by("pk")),
        Prefetch("authors", queryset=Author.objects.order_by("name")),
    )
    return queryset if full else queryset.defer("body")


def tag_names(article) -> list[str]:
    return [item.tag.name for item in article.tagged_items.all()]


_ATTRIBUTE_URL = re.compile(r'\b(src|href)="(/[^/"][^"]*|/)"')
_SRCSET = re.compile(r'\bsrcset="([^"]*)"')


def absolutize_html(request, html: str) -> str:
    """Relative src/href/srcset addresses in rendered HTML made absolute (feed readers need them)."""
    html = _ATTRIBUTE_URL.sub(lambda m: f'{m.group(1)}="{absolute(request, m.group(2))}"', html)

    def srcset(match):
        parts = []
        for candidate in match.group(1).split(","):
            candidate = candidate.strip()
            if candidate.startswith("/") and not candidate.startswith("//"):
                url, _, size = candidate.partition(" ")
                candidate = f"{absolute(request, url)} {size}".strip()
            parts.append(candidate)
        return f'srcset="{", ".join(parts)}"'

    return _SRCSET.sub(srcset, html)


# Characters XML 1.0 cannot carry (C0 controls but tab/newline/return, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text) -> str:
    return _NOT_XML.sub("", str(text or ""))
