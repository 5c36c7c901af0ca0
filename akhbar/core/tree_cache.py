"""Values derived from the page tree (the header menu, a section's subsections), kept in the
shared cache (every web process and the worker see the same) until any page is published,
unpublished, moved or deleted.

Reading them from the tree cost queries and Python loops on every cold render of every page.
Any page change starts a new generation (a number in the cache that is part of every key),
so no process can keep an old value; old generations expire on their own.

Objects that are cheaper to keep than to unpickle (the request's Site with its home page, a
site's settings, where view restrictions are) live in each process instead (`process_cached`),
under the same generation: a change in one process is seen by the others at their next
request. A request reads the generation once (`GenerationMiddleware`), not once per value.
"""

import threading
import time

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "akhbar:tree:generation"
SECONDS = 24 * 3600  # an upper bound only: any page change replaces every value at once


_request_state = threading.local()
_process_values: dict = {}
_process_generation: list = [None]
PROCESS_VALUES_MAX = 10_000  # a bound only: the keys are per site, section or setting


def generation() -> int:
    pinned = getattr(_request_state, "generation", None)
    if pinned is not None:
        return pinned
    return _shared_generation()


def _shared_generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A new number, never one an earlier generation had (the key may have been evicted).
        cache.add(GENERATION_KEY, time.time_ns())
        value = cache.get(GENERATION_KEY, 0)
    return value


def forget_tree(**_kwargs) -> None:
    """Every value derived from the tree is stale: the keys change, now (for this request) and
    again when the transaction commits, so that no process caches what it read before the
    commit under the new generation."""
    _request_state.generation = None  # this request, too, sees the change from now on
    _next_generation()
    transaction.on_commit(_next_generation)


def _next_generation() -> None:
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


def process_cached(key, compute):
    """compute() for this generation, kept in this process (for objects such as model
    instances, which are not worth pickling). Callers must not change what they get."""
    try:
        current = generation()
    except Exception:  # the shared cache does not answer: nothing can be kept safely
        return compute()
    if _process_generation[0] != current or len(_process_values) >= PROCESS_VALUES_MAX:
        _process_values.clear()
        _process_generation[0] = current
    try:
        return _process_values[key]
    except KeyError:
        value = _process_values[key] = compute()
        return value


class GenerationMiddleware:
    """Reads the tree's generation once per request, for every cached value the request uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            _request_state.generation = _shared_generation()
        except Exception:  # the shared cache is down; /readyz must still be able to say so
            _request_state.generation = None
        try:
            return self.get_response(request)
        finally:
            _request_state.generation = None


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_tree, dispatch_uid=f"akhbar-tree-cache-{id(signal)}")

    def forget_after_page_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            forget_tree()

    post_delete.connect(forget_after_page_deleted, weak=False, dispatch_uid="akhbar-tree-cache-page-deleted")

    # What process_cached keeps besides the tree: sites, site settings, view restrictions, aliases.
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import PageViewRestriction, Site

    def forget_after_site_change(sender, instance, created=False, **kwargs):
        if isinstance(instance, BaseSiteSetting) and created:
            return  # made by for_site's get_or_create with the defaults, which is what was in use
        if isinstance(instance, (Site, BaseSiteSetting, PageViewRestriction)) or (
            isinstance(instance, Page) and instance.alias_of_id is not None
        ):
            forget_tree()

    for signal in (post_save, post_delete):
        signal.connect(forget_after_site_change, weak=False, dispatch_uid=f"akhbar-tree-cache-site-{id(signal)}")
