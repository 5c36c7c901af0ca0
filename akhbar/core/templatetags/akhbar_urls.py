"""Absolute URLs built from the host the request came in on, never from the Site record.

A site served at 127.0.0.1:8123 must link to itself (canonical, Open Graph, share links);
Wagtail's Site record may say localhost:80.
"""

from django import template
from django.conf import settings
from wagtail.models import Page, Site

register = template.Library()


def absolute(request, path: str) -> str:
    if request is None:
        return path
    return request.build_absolute_uri(path)


def page_path(page, request) -> str:
    """The page's path on the current host; '' for pages outside every site."""
    parts = page.get_url_parts(request)
    return parts[2] if parts else ""


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return absolute(context.get("request"), path)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's own address: a Wagtail page's path, or the view's path (query string dropped)."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page):
        path = page_path(page, request)
    else:
        path = request.path if request is not None else ""
    return absolute(request, path) if path else ""


@register.simple_tag(takes_context=True)
def site_name(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME
