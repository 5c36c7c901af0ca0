"""XML sitemaps: an index, article sitemaps split by page id, the other pages, Google News.

Articles are split into buckets of page ids: bucket n holds the live articles whose id is in
[n × size, (n + 1) × size), so no bucket can hold more than `size` URLs (the protocol's limit is
50,000, `AKHBAR_SITEMAP_SIZE`), a bucket's address never changes as the archive grows (a publish
purges the one bucket that holds the article), and each bucket is read in id order through the
primary key, streamed in chunks: memory stays flat whatever the archive's size. The index asks
the database for the non-empty buckets and their last change in one grouped query, and gives
the pages and news sitemaps the newest publication of what they list.

The Google News sitemap lists the articles published in the last 48 hours (at most 1,000, the
format's limit), newest first.
"""

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import F, Max
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from . import common

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000
NEWS_WINDOW = dt.timedelta(hours=48)
NEWS_MAX_URLS = 1_000
STREAM_CHUNK = 2_000
XML_TYPE = "application/xml; charset=utf-8"


def bucket_size() -> int:
    """URLs per article sitemap: AKHBAR_SITEMAP_SIZE, never more than the protocol's 50,000."""
    return max(1, min(int(getattr(settings, "AKHBAR_SITEMAP_SIZE", MAX_URLS)), MAX_URLS))


def bucket_of(page_id: int, size: int) -> int:
    return page_id // size


def bucket_bounds(bucket: int, size: int) -> tuple[int, int]:
    """Page ids [low, high) of a bucket."""
    return bucket * size, (bucket + 1) * size


@dataclass(frozen=True)
class IndexEntry:
    path: str
    lastmod: dt.datetime | None


def _w3c(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if moment else ""


def _site_articles(site):
    from akhbar.news.models import ArticlePage

    return ArticlePage.objects.live().public().filter(path__startswith=site.root_page.path, published_at__isnull=False)


def article_buckets(site, size: int) -> list[tuple[int, dt.datetime | None]]:
    """Non-empty buckets with their latest change, in one grouped query (one row per bucket)."""
    rows = (
        _site_articles(site)
        .annotate(bucket=F("page_ptr_id") / size)
        .values("bucket")
        .annotate(lastmod=Max("last_published_at"))
        .order_by("bucket")
    )
    return [(row["bucket"], row["lastmod"]) for row in rows]


def _site_or_404(request):
    site = common.request_site(request)
    if site is None:
        raise Http404
    return site


def _xml(body: str) -> HttpResponse:
    return HttpResponse(body, content_type=XML_TYPE)


def _pages(site):
    """The home page, sections and plain pages of the site (what pages.xml lists)."""
    from wagtail.models import Page

    from akhbar.news.models import HomePage, SectionPage, StandardPage

    return Page.objects.live().public().descendant_of(site.root_page, inclusive=True).type(HomePage, SectionPage, StandardPage)


def _news_window(site, now: dt.datetime):
    """Articles published in the 48 hours up to `now`: from now − 48 h (inclusive) to now."""
    return _site_articles(site).filter(published_at__gte=now - NEWS_WINDOW, published_at__lte=now)


def sitemap_index(request):
    site = _site_or_404(request)
    pages_lastmod = _pages(site).aggregate(lastmod=Max("last_published_at"))["lastmod"]
    news = _news_window(site, timezone.now()).order_by("-published_at", "-page_ptr_id")[:NEWS_MAX_URLS]
    news_lastmod = news.aggregate(lastmod=Max("last_published_at"))["lastmod"]
    entries = [IndexEntry(reverse("sitemap_pages"), pages_lastmod), IndexEntry(reverse("sitemap_news"), news_lastmod)]
    for bucket, lastmod in article_buckets(site, bucket_size()):
        entries.append(IndexEntry(reverse("sitemap_articles", kwargs={"bucket": bucket}), lastmod))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for entry in entries:
        lastmod = f"<lastmod>{_w3c(entry.lastmod)}</lastmod>" if entry.lastmod else ""
        lines.append(f"<sitemap><loc>{escape(common.absolute(request, entry.path))}</loc>{lastmod}</sitemap>")
    lines.append("</sitemapindex>")
    return _xml("\n".join(lines) + "\n")


def _url_element(loc: str, lastmod: dt.datetime | None) -> str:
    lastmod_xml = f"<lastmod>{_w3c(lastmod)}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(loc)}</loc>{lastmod_xml}</url>\n"


def article_sitemap(request, bucket: int):
    site = _site_or_404(request)
    size = bucket_size()
    low, high = bucket_bounds(bucket, size)
    rows = (
        _site_articles(site)
        .filter(page_ptr_id__gte=low, page_ptr_id__lt=high)
        .order_by("page_ptr_id")
        .values_list("url_path", "last_published_at", "published_at")
    )
    if bucket > 10**9 or not rows.exists():
        raise Http404

    def stream():
        # One piece of the body per chunk of rows: memory holds a chunk, whatever the bucket's size.
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
        piece = []
        for url_path, last_published_at, published_at in rows.iterator(chunk_size=STREAM_CHUNK):
            path = common.site_path(site, url_path)
            if path:
                piece.append(_url_element(common.absolute(request, path), last_published_at or published_at))
            if len(piece) >= STREAM_CHUNK:
                yield "".join(piece)
                piece = []
        if piece:
            yield "".join(piece)
        yield "</urlset>\n"

    return StreamingHttpResponse(stream(), content_type=XML_TYPE)


def pages_sitemap(request):
    """The home page, sections and plain pages (a site has at most a few hundred)."""
    site = _site_or_404(request)
    rows = _pages(site).order_by("path").values_list("url_path", "last_published_at")[:MAX_URLS]
    body = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n']
    for url_path, last_published_at in rows:
        path = common.site_path(site, url_path)
        if path:
            body.append(_url_element(common.absolute(request, path), last_published_at))
    body.append("</urlset>\n")
    return _xml("".join(body))


def news_articles(site, now: dt.datetime):
    """The news sitemap's articles at `now`, newest first (at most NEWS_MAX_URLS)."""
    return (
        _news_window(site, now)
        .order_by("-published_at", "-page_ptr_id")
        .values_list("url_path", "title", "published_at")[:NEWS_MAX_URLS]
    )


def news_language() -> str:
    """`news:language`: the ISO 639 code of the site's language (LANGUAGE_CODE 'ar' or 'ar-eg' → 'ar')."""
    return (settings.LANGUAGE_CODE or "ar").replace("_", "-").split("-")[0].lower() or "ar"


def news_sitemap(request):
    site = _site_or_404(request)
    publication = escape(common.xml_safe(common.publisher_name(request)))
    language = news_language()
    body = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n',
    ]
    for url_path, title, published_at in news_articles(site, timezone.now()):
        path = common.site_path(site, url_path)
        if not path:
            continue
        body.append(
            f"<url><loc>{escape(common.absolute(request, path))}</loc><news:news>"
            f"<news:publication><news:name>{publication}</news:name><news:language>{language}</news:language></news:publication>"
            f"<news:publication_date>{_w3c(published_at)}</news:publication_date>"
            f"<news:title>{escape(common.xml_safe(title))}</news:title></news:news></url>\n"
        )
    body.append("</urlset>\n")
    return _xml("".join(body))


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Disallow: /csrf/",
        "",
        f"Sitemap: {common.absolute(request, reverse('sitemap_index'))}",
        f"Sitemap: {common.absolute(request, reverse('sitemap_news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


