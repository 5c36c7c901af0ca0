"""Header menu (from the shared cache), footer links and breadcrumbs, each in one bounded query."""

from django import template
from wagtail.models import Page, Site

from akhbar.core.tree_cache import tree_cached
from akhbar.navigation.models import NavigationSettings

register = template.Library()


def _site(request):
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live top-level sections marked «show in menus», in page-tree order (editors reorder them in the admin).

    Each item says whether the current page is that section or inside it (aria-current). The
    sections come from the shared cache until the tree changes (akhbar/core/tree_cache.py).
    """
    request = context.get("request")
    site = _site(request)
    if site is None:
        return []
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    items = []
    for section in tree_cached(f"menu:{site.pk}", lambda: _menu_sections(site, request)):
        if current_path == section["path"]:
            state = "page"
        elif current_path.startswith(section["path"]):
            state = "true"
        else:
            state = ""
        items.append({"title": section["title"], "url": section["url"], "current": state})
    return items


def _menu_sections(site, request) -> list[dict]:
    from akhbar.news.models import SectionPage

    sections = SectionPage.objects.child_of(site.root_page).live().in_menu().order_by("path")
    return [{"title": section.title, "url": section.get_url(request), "path": section.path} for section in sections]


@register.simple_tag(takes_context=True)
def footer_links(context):
    """About, contact and privacy pages from NavigationSettings; unpublished pages are left out."""
    request = context.get("request")
    if _site(request) is None:
        return {"links": [], "text": ""}
    nav = NavigationSettings.for_request(request)
    # The pages come with the setting (NavigationSettings.select_related): no extra query.
    pages = [nav.about_page, nav.contact_page, nav.privacy_page]
    links = [{"title": page.title, "url": page.get_url(request)} for page in pages if page is not None and page.live]
    return {"links": links, "text": nav.footer_text}


@register.inclusion_tag("navigation/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page, include_self=False):
    """From the site's home page down to the page's parent (or the page itself), tree root left out.

    The crumbs above a page are those of its parent for every page in a section, so they come
    from the shared cache until the tree changes."""
    request = context.get("request")
    site = _site(request)
    min_depth = site.root_page.depth if site else 2
    parent_path = page.path[: -Page.steplen]
    crumbs = list(
        tree_cached(
            f"crumbs:{site.pk if site else 0}:{parent_path}",
            lambda: _crumbs_down_to(parent_path, min_depth, request),
        )
    )
    if include_self and page.depth >= min_depth:
        crumbs.append({"title": page.title, "url": page.get_url(request), "current": True})
    return {"crumbs": crumbs}


def _crumbs_down_to(path: str, min_depth: int, request) -> list[dict]:
    """The page at `path` and its ancestors from `min_depth` down, in one query."""
    steplen = Page.steplen
    paths = [path[: depth * steplen] for depth in range(min_depth, len(path) // steplen + 1)]
    ancestors = Page.objects.filter(path__in=paths).order_by("path") if paths else []
    return [{"title": p.title, "url": p.get_url(request), "current": False} for p in ancestors]
