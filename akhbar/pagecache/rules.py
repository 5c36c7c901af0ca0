"""Which reader pages the page cache keeps, and which requests and responses it never touches.

The set is explicit: a page type or a named view is cached only when it is listed here.
Feeds and sitemaps join by adding their URL names to CACHEABLE_URL_NAMES (and, for what they
list, a purge rule in `purge.py`).
"""

# Wagtail page types (app_label.ModelName) served from the cache to anonymous readers.
CACHEABLE_PAGE_TYPES = frozenset(
    {"news.HomePage", "news.SectionPage", "news.ArticlePage", "news.StandardPage", "donations.CampaignPage"}
)

# Django views outside the page tree, by URL name (akhbar/urls.py).
CACHEABLE_URL_NAMES = frozenset(
    {
        "tag",
        "author",
        # Feeds, sitemaps and robots.txt (akhbar/syndication/urls.py; purge rule in akhbar/syndication/purge.py).
        "feed_rss",
        "feed_atom",
        "section_feed_rss",
        "section_feed_atom",
        "tag_feed_rss",
        "tag_feed_atom",
        "author_feed_rss",
        "author_feed_atom",
        "sitemap_index",
        "sitemap_pages",
        "sitemap_news",
        "sitemap_articles",
        "robots_txt",
    }
)

# Never looked up nor stored, whatever marks them: admin, API, search, the CSRF endpoint,
# health checks, documents, uploads and static files.
NEVER_CACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/search/",
    "/csrf/",
    "/healthz",
    "/readyz",
    "/documents/",
    "/media/",
    "/static/",
)

# Requests carrying one of these cookies are a person with a session (an editor, a reader who
# logged in or has a flash message waiting): they get Django's own answer, never the cache's.
# A substring test on the Cookie header is enough: a false match only means «not cached».
BYPASS_COOKIES = ("sessionid", "messages")

# A stored response may vary only by Cookie (requests with a session cookie never use the cache).
STORABLE_VARY = frozenset({"cookie"})
UNSTORABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_QUERY_STRING = 512
