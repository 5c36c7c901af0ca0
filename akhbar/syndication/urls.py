from django.urls import path

from . import sitemaps
from .feeds import ArticleFeed, AuthorFeed, SectionFeed, TagFeed, feed_view

urlpatterns = [
    path("feed/", feed_view(ArticleFeed), name="feed_rss"),
    path("feed/atom/", feed_view(ArticleFeed, atom=True), name="feed_atom"),
    path("feed/section/<path:path>/", feed_view(SectionFeed), name="section_feed_rss"),
    path("feed/atom/section/<path:path>/", feed_view(SectionFeed, atom=True), name="section_feed_atom"),
    path("feed/tag/<str:slug>/", feed_view(TagFeed), name="tag_feed_rss"),
    path("feed/atom/tag/<str:slug>/", feed_view(TagFeed, atom=True), name="tag_feed_atom"),
    path("feed/author/<str:slug>/", feed_view(AuthorFeed), name="author_feed_rss"),
    path("feed/atom/author/<str:slug>/", feed_view(AuthorFeed, atom=True), name="author_feed_atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemaps/pages.xml", sitemaps.pages_sitemap, name="sitemap_pages"),
    path("sitemaps/news.xml", sitemaps.news_sitemap, name="sitemap_news"),
    path("sitemaps/articles-<int:bucket>.xml", sitemaps.article_sitemap, name="sitemap_articles"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]

# Served from the full-page cache (akhbar/pagecache/rules.py lists these names).
CACHEABLE_URL_NAMES = frozenset(pattern.name for pattern in urlpatterns)
