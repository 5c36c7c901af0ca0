"""Feeds and sitemaps in the page cache's purge set (akhbar/pagecache/purge.py).

A published, unpublished, moved or deleted article purges: the site's feeds; the feeds of its
section and every section above it (after a move, those of its old sections too); its tags' and authors' feeds; the sitemap index, the news
sitemap and the article sitemap (bucket) that holds it. Each path's purge covers its query
string variants (`?full=1`). A change of the syndication settings purges everything, as other
site-wide settings do.
"""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from akhbar.pagecache import purge as pagecache_purge
from akhbar.pagecache.signals import site_wide_change


def feed_paths_for_section_path(path: str) -> list[str]:
    """'/news/world/' → the RSS and Atom feeds of /news/world/ (the site's own feeds for '/')."""
    parts = path.strip("/")
    if not parts:
        return [reverse("feed_rss"), reverse("feed_atom")]
    return [reverse("section_feed_rss", kwargs={"path": parts}), reverse("section_feed_atom", kwargs={"path": parts})]


@pagecache_purge.listed_at
def _section_feeds(path: str, root_url, targets) -> None:
    """The feeds of the sections above an article's address (now, or before a move)."""
    # The article's own path among the prefixes names no section: harmless, and cheaper than asking.
    for prefix in pagecache_purge.url_prefixes(path):
        for feed_path in feed_paths_for_section_path(prefix):
            targets.add(root_url, feed_path)


@pagecache_purge.listed_by
def _feeds_and_sitemaps(article, root_url, targets) -> None:
    from akhbar.news.models import ArticlePage, ArticlePageTag

    from .sitemaps import bucket_of, bucket_size

    for slug in ArticlePageTag.objects.filter(content_object_id=article.pk).values_list("tag__slug", flat=True):
        targets.add(root_url, reverse("tag_feed_rss", kwargs={"slug": slug}))
        targets.add(root_url, reverse("tag_feed_atom", kwargs={"slug": slug}))
    links = ArticlePage.authors.through.objects.filter(articlepage_id=article.pk)
    for slug in links.values_list("author__slug", flat=True):
        targets.add(root_url, reverse("author_feed_rss", kwargs={"slug": slug}))
        targets.add(root_url, reverse("author_feed_atom", kwargs={"slug": slug}))
    targets.add(root_url, reverse("sitemap_index"))
    targets.add(root_url, reverse("sitemap_news"))
    targets.add(root_url, reverse("sitemap_articles", kwargs={"bucket": bucket_of(article.pk, bucket_size())}))


def connect() -> None:
    from .models import SyndicationSettings

    post_save.connect(site_wide_change, sender=SyndicationSettings, dispatch_uid="syndication-settings")
    post_delete.connect(site_wide_change, sender=SyndicationSettings, dispatch_uid="syndication-settings-deleted")
