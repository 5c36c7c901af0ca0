"""What a change invalidates, and the purge itself (shared page store, then CDN or proxy).

An article is listed by its sections up the tree and the home page (the prefixes of its URL),
its tags' pages and its authors' pages. Anything else that lists articles (feeds, sitemaps)
adds a rule with `@listed_by`, or with `@listed_at` when what lists it follows from its address
(those rules also run for an article's former address after a move). Changes to other page
types (sections, home, plain pages), menus and regional settings show on every page: they
purge everything.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from .store import PageStore, normalize_path

logger = logging.getLogger(__name__)


@dataclass
class Targets:
    """URL paths to purge in the page store, and the same pages as full URLs for a CDN."""

    paths: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)

    def add(self, root_url: str | None, path: str) -> None:
        self.paths.add(normalize_path(path))
        if root_url:
            self.urls.add(root_url.rstrip("/") + path)

    def update(self, other: "Targets") -> None:
        self.paths |= other.paths
        self.urls |= other.urls


LISTING_RULES: list[Callable[[object, str | None, Targets], None]] = []
ADDRESS_RULES: list[Callable[[str, str | None, Targets], None]] = []


def listed_by(rule):
    """Register `rule(article, root_url, targets)`, which adds the pages listing `article`."""
    LISTING_RULES.append(rule)
    return rule


def listed_at(rule):
    """Register `rule(path, root_url, targets)`, which adds the pages listing an article that
    lives (or lived, before a move) at `path` on its site: its sections, their feeds."""
    ADDRESS_RULES.append(rule)
    return rule


def url_prefixes(path: str) -> list[str]:
    """/news/world/story/ → /news/world/story/, /news/world/, /news/, / (the page and its ancestors)."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "".join(f"{part}/" for part in parts[:n]) for n in range(len(parts), -1, -1)]


@listed_at
def _page_and_ancestors(path: str, root_url, targets: Targets) -> None:
    for prefix in url_prefixes(path):
        targets.add(root_url, prefix)


@listed_by
def _tag_pages(article, root_url, targets: Targets) -> None:
    from akhbar.news.models import ArticlePageTag

    for slug in ArticlePageTag.objects.filter(content_object_id=article.pk).values_list("tag__slug", flat=True):
        targets.add(root_url, reverse("tag", kwargs={"slug": slug}))


@listed_by
def _author_pages(article, root_url, targets: Targets) -> None:
    from akhbar.news.models import ArticlePage

    links = ArticlePage.authors.through.objects.filter(articlepage_id=article.pk)
    for slug in links.values_list("author__slug", flat=True):
        targets.add(root_url, reverse("author", kwargs={"slug": slug}))


def article_targets(article) -> Targets:
    """The article and every page that lists it, as the database has them now."""
    parts = article.get_url_parts()
    root_url = parts[1] if parts else None
    targets = Targets()
    if parts is not None:
        _address_targets(parts[2], root_url, targets)
    for rule in LISTING_RULES:
        rule(article, root_url, targets)
    return targets


def _address_targets(path: str, root_url: str | None, targets: Targets) -> None:
    for rule in ADDRESS_RULES:
        rule(path, root_url, targets)


def _site_paths(url_path: str) -> list[tuple[str, str]]:
    """(root URL, path on that site) for each site whose tree holds Wagtail's `url_path`."""
    from wagtail.models import Site

    return [
        (root.root_url, url_path[len(root.root_path) - 1 :])
        for root in Site.get_site_root_paths()
        if url_path.startswith(root.root_path)
    ]


def url_path_targets(url_path: str) -> Targets:
    """A page's address (Wagtail's url_path) and its ancestors."""
    targets = Targets()
    for root_url, path in _site_paths(url_path):
        for prefix in url_prefixes(path):
            targets.add(root_url, prefix)
    return targets


def former_address_targets(url_path: str) -> Targets:
    """What listed an article at its former address (Wagtail's url_path before a move): the
    page and its ancestors, and whatever `@listed_at` rules add (the old sections' feeds)."""
    targets = Targets()
    for root_url, path in _site_paths(url_path):
        _address_targets(path, root_url, targets)
    return targets


_held = threading.local()


@contextmanager
def held_for_bulk_work():
    """Bulk work that ends with `purge_everything` (an import): purges of single pages meanwhile
    would only cost time, one cache write per saved comment or page."""
    _held.depth = getattr(_held, "depth", 0) + 1
    try:
        yield
    finally:
        _held.depth -= 1


def enabled() -> bool:
    """Whether purges have anywhere to go (and are not held for bulk work that purges everything)."""
    if getattr(_held, "depth", 0):
        return False
    return settings.PAGE_CACHE_ENABLED or bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge(targets: Targets) -> None:
    """Invalidate these pages now and again once the transaction commits.

    The second purge closes the race in which a reader's request renders from the old rows
    between the first purge and the commit; the CDN is asked once, after the commit.
    """
    if not enabled() or not targets.paths:
        return
    paths, urls = set(targets.paths), sorted(targets.urls)

    def after_commit():
        _store_purge(lambda store: store.purge_paths(paths))
        _purge_frontend(urls)

    _defer(lambda: _store_purge(lambda store: store.purge_paths(paths)), after_commit)


def purge_everything() -> None:
    """Invalidate every stored page (a CDN keeps its copies until their s-maxage runs out)."""
    if not (settings.PAGE_CACHE_ENABLED or getattr(settings, "WAGTAILFRONTENDCACHE", None)):
        return
    run = lambda: _store_purge(lambda store: store.purge_everything())  # noqa: E731
    _defer(run, run)


def purge_article(article) -> None:
    if enabled():
        purge(article_targets(article))


def comment_approved(article) -> None:
    """An approved comment changes the article and the listings that show its comment count."""
    purge_article(article)


def _defer(now: Callable[[], None], after_commit: Callable[[], None]) -> None:
    if transaction.get_connection().in_atomic_block:
        now()
        transaction.on_commit(after_commit, robust=True)
    else:
        after_commit()


def _store_purge(action: Callable[[PageStore], None]) -> None:
    if not settings.PAGE_CACHE_ENABLED:
        return
    try:
        action(PageStore())
    except Exception:  # a cache outage must not undo an editor's publish
        logger.exception("page cache purge failed")


def _purge_frontend(urls: Iterable[str]) -> None:
    """Through Wagtail's frontend cache (a task, so the editor never waits for the CDN)."""
    if not urls or not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(list(urls))
