"""The request's Site, its home page and its settings without a query per request.

Wagtail looks the Site up by host and port on every request, then fetches its root page and
its specific home page to route from, and each site setting with a get_or_create: five
queries before the page itself. Here they are kept in each process for the tree's
generation (akhbar/core/tree_cache.py), which any change to a page, a Site or a setting
ends.
"""

import copy

from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from .tree_cache import process_cached


def _site_with_home_page(request):
    site = Site._find_for_request(request)
    if site is not None:
        # The specific home page, ready for Page.route_for_request (.localized.specific is itself).
        site.root_page = site.root_page.specific
    return site


class CurrentSiteMiddleware:
    """Sets the Site Wagtail would find for this request, from the process's memo."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            hostname = split_domain_port(request._get_raw_host())[0]
            port = request.get_port()
            request._wagtail_site = process_cached(("site", hostname, port), lambda: _site_with_home_page(request))
        except Exception:
            # A malformed Host header, or the database is down: views that need the site meet
            # the same error in Wagtail's own lookup; /healthz, which needs none, still answers.
            pass
        return self.get_response(request)


class CachedSiteSetting:
    """Mixin for BaseSiteSetting models: `for_site` from the process's memo instead of a
    get_or_create per request. Each caller gets its own shallow copy (Wagtail sets the
    request on it)."""

    @classmethod
    def for_site(cls, site):
        if site is None:
            return super().for_site(site)
        shared = process_cached(("setting", cls._meta.label, site.pk), lambda: super(CachedSiteSetting, cls).for_site(site))
        return copy.copy(shared)


RESTRICTIONS_KEPT_MAX = 1000


def _restriction_facts():
    """(paths of the pages that carry a view restriction, whether any page is an alias);
    None when there are too many restrictions to keep."""
    from wagtail.models import Page

    paths = list(PageViewRestriction.objects.values_list("page__path", flat=True)[: RESTRICTIONS_KEPT_MAX + 1])
    if len(paths) > RESTRICTIONS_KEPT_MAX:
        return None
    return tuple(paths), Page.objects.filter(alias_of__isnull=False).exists()


class CachedViewRestrictions:
    """Mixin for page models: no query for view restrictions on the (usual) page that has
    none on itself or above it. Aliases, and sites with very many restrictions, ask the
    database as Wagtail does."""

    def get_view_restrictions(self):
        facts = process_cached("view-restrictions", _restriction_facts)
        if facts is not None:
            paths, any_alias = facts
            if not any_alias and not any(self.path.startswith(path) for path in paths):
                return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
