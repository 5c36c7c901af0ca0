"""Article-page helpers: share links built on the short link, source host names."""

from urllib.parse import quote, urlparse

from django import template
from django.urls import reverse

from akhbar.core.templatetags.akhbar_urls import absolute

register = template.Library()


def _q(value: str) -> str:
    return quote(value, safe="")


@register.inclusion_tag("components/share_links.html", takes_context=True)
def share_links(context, article):
    """Plain links to share the article's short address (/a/<id>/) on the request's host.

    Plain links only: no provider script or button image is loaded, so the page makes no
    request to another host and sets no third-party cookie.
    """
    url = absolute(context.get("request"), reverse("short_link", args=[article.pk]))
    title = article.title
    return {
        "share_url": url,
        "whatsapp": f"https://wa.me/?text={_q(f'{title} {url}')}",
        "telegram": f"https://t.me/share/url?url={_q(url)}&text={_q(title)}",
        "x": f"https://x.com/intent/post?url={_q(url)}&text={_q(title)}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={_q(url)}",
        "email": f"mailto:?subject={_q(title)}&body={_q(url)}",
    }


@register.filter
def hostname(url: str) -> str:
    """«rt.com» for «https://www.rt.com/…»: a readable label when a source has a link but no name."""
    try:
        host = urlparse(url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
