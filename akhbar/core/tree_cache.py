"""Values derived from the page tree (the header menu, a section's subsections), kept in the
shared cache (every web process and the worker see the same) until any page is published,
unpublished, moved or deleted.

Reading them from the tree cost queries and Python loops on every cold render of every page.
Any page change starts a new generation (a number in the cache that is part of every key),
so no process can keep an old value; old generations expire on their own.
"""

import time

from django.core.cache import cache

GENERATION_KEY = "akhbar:tree:generation"
SECONDS = 24 * 3600  # an upper bound only: any page change replaces every value at once


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A new number, never one an earlier generation had (the key may have been evicted).
        cache.add(GENERATION_KEY, time.time_ns())
        value = cache.get(GENERATION_KEY, 0)
    return value


def forget_tree(**_kwargs) -> None:
    """Every value derived from the tree is stale: the keys change."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted)
        cache.set(GENERATION_KEY, time.time_ns())


def tree_cached(key: str, compute):
    """compute() for this generation of the tree, from the shared cache when already known."""
    full_key = f"akhbar:tree:{generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, SECONDS)
    return value


def connect_signals() -> None:
    from django.db.models.signals import post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_tree, dispatch_uid=f"akhbar-tree-cache-{id(signal)}")

    def forget_after_page_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            forget_tree()

    post_delete.connect(forget_after_page_deleted, weak=False, dispatch_uid="akhbar-tree-cache-page-deleted")
