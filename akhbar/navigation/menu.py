"""The header menu's sections, kept in the shared cache (every web process and the worker see
the same) until a page is published, unpublished, moved or deleted anywhere on the site.

The menu is on every page; reading it from the page tree cost a query and a Python loop over
the sections on every cold render. Any page change starts a new generation (a number in the
cache that is part of the menu's key), so no process can keep an old menu.
"""

import time

from django.core.cache import cache

GENERATION_KEY = "akhbar:navigation:menu-generation"
MENU_SECONDS = 24 * 3600  # an upper bound only: any page change replaces the menu at once


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A new number, never one an earlier generation had (the key may have been evicted).
        cache.add(GENERATION_KEY, time.time_ns())
        value = cache.get(GENERATION_KEY, 0)
    return value


def forget_menus(**_kwargs) -> None:
    """Every site's menu is stale: its key changes."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted)
        cache.set(GENERATION_KEY, time.time_ns())


def menu_sections(site, request) -> list[dict]:
    """[{"title", "url", "path"}] of the site's live top-level sections shown in menus, in tree order."""
    key = f"akhbar:navigation:menu:{site.pk}:{generation()}"
    items = cache.get(key)
    if items is None:
        from akhbar.news.models import SectionPage

        sections = SectionPage.objects.child_of(site.root_page).live().in_menu().order_by("path")
        items = [{"title": section.title, "url": section.get_url(request), "path": section.path} for section in sections]
        cache.set(key, items, MENU_SECONDS)
    return items
