"""RSS 2.0 and Atom feeds for the site, each section (with its subsections), tag and author.

Built on django.contrib.syndication. Each request gets its own Feed instance (the framework's
instances are otherwise shared between threads), holding the request for absolute addresses on
the host the reader asked (never the Site record's localhost:80).

- Items: the newest `AKHBAR_FEED_ITEMS` (20) live, public articles, in a fixed number of queries.
- Summary by default (the lede); the whole article in `content:encoded` (RSS) or `<content>`
  (Atom) with `?full=1`, or always when the «full text in feeds» site setting is on.
- The featured image as an enclosure and `media:content` with its width and height.
- GUIDs are tag: URIs from the page id and its first publication date, so an edit, a new slug,
  a move or a new host never makes readers see an article twice.
"""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from . import common

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def _add_media(handler, item) -> None:
    image = item.get("image")
    if image:
        attrs = {"url": image["url"], "medium": "image", "type": image["type"]}
        if image.get("width"):
            attrs.update(width=str(image["width"]), height=str(image["height"]))
        handler.addQuickElement("media:content", "", attrs)


class NewsRssFeed(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        _add_media(handler, item)


class NewsAtomFeed(feedgenerator.Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _add_media(handler, item)


def article_guid(article, authority: str) -> str:
    """tag:<authority>,<date of first publication>:article-<page id> (RFC 4151): fixed for life."""
    first = article.first_published_at or article.published_at or timezone.now()
    return f"tag:{authority},{first.astimezone(dt.UTC).date().isoformat()}:article-{article.pk}"


class ArticleFeed(Feed):
    """The site's newest articles; subclasses narrow the list and name it."""

    feed_type = NewsRssFeed
    language = "ar"

    def __init__(self, request, atom: bool = False):
        super().__init__()
        self.request = request
        self.feed_type = NewsAtomFeed if atom else NewsRssFeed
        self.site = common.request_site(request)
        if self.site is None:
            raise Http404
        self.settings = common.settings_for(request)
        self.full = request.GET.get("full") == "1" or self.settings.full_text_feeds
        self.publisher = common.publisher_name(request)

    # The listing ------------------------------------------------------------------------
    def articles(self, obj):
        return common.article_queryset(full=self.full).public().descendant_of(self.site.root_page)

    def items(self, obj):
        return list(self.articles(obj)[: common.feed_size()])

    # The feed ---------------------------------------------------------------------------
    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        return self.publisher

    def subtitle(self, obj):
        return self.settings.description or self.publisher

    description = subtitle

    def link(self, obj):
        return common.absolute(self.request, "/")

    def feed_url(self, obj):
        return common.absolute(self.request, self.request.path)

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def feed_copyright(self, obj):
        return self.publisher

    def author_name(self, obj):
        """Atom wants an author for the feed when an entry has none (articles without a byline)."""
        return self.publisher

    # Items ------------------------------------------------------------------------------
    def item_title(self, item):
        return common.xml_safe(item.title)

    def item_description(self, item):
        return common.xml_safe(item.lede or item.search_description or item.title)

    def item_link(self, item):
        return common.absolute(self.request, item.get_url(self.request))

    def item_guid(self, item):
        return article_guid(item, self.site.hostname)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(filter(None, [item.last_published_at, item.published_at]))

    def item_author_name(self, item):
        return common.xml_safe("، ".join(author.name for author in item.authors.all())) or None

    def item_categories(self, item):
        names = [item.section.title] if item.section_id and item.section else []
        return [common.xml_safe(name) for name in names + common.tag_names(item)]

    def _image(self, item):
        rendition = common.image_rendition(item.featured_image)
        if rendition is None:
            return None
        try:
            length = rendition.file.size
        except (OSError, ValueError):
            length = 0
        return {
            "url": common.absolute(self.request, rendition.url),
            "type": _mime_type(rendition.file.name),
            "width": rendition.width,
            "height": rendition.height,
            "length": length,
        }

    def item_enclosures(self, item):
        image = self._image(item)
        if image is None:
            return []
        return [feedgenerator.Enclosure(image["url"], str(image["length"]), image["type"])]

    def item_extra_kwargs(self, item):
        extra = {"image": self._image(item)}
        if self.full:
            body = "".join(block.render() for block in item.body)
            extra["content_html"] = common.xml_safe(common.absolutize_html(self.request, body))
        return extra


def _mime_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
            "avif": "image/avif", "svg": "image/svg+xml"}.get(extension, "application/octet-stream")


class SectionFeed(ArticleFeed):
    """A section and its subsections, at /feed/section/<the section's path>/."""

    def get_object(self, request, path: str = "", **kwargs):
        from akhbar.news.models import SectionPage

        url_path = self.site.root_page.url_path + path.strip("/") + "/"
        if len(url_path) > 1000:
            raise Http404
        return get_object_or_404(SectionPage.objects.live().public(), url_path=url_path)

    def articles(self, obj):
        from akhbar.news.listings import section_ids

        ids = section_ids(obj)
        return common.article_queryset(full=self.full).public().filter(section_id__in=ids)

    def title(self, obj):
        return f"{obj.title} · {self.publisher}"

    def subtitle(self, obj):
        return obj.search_description or obj.intro or self.title(obj)

    description = subtitle

    def link(self, obj):
        return common.absolute(self.request, obj.get_url(self.request))


class TagFeed(ArticleFeed):
    def get_object(self, request, slug: str = "", **kwargs):
        return get_object_or_404(Tag, slug=slug)

    def articles(self, obj):
        from akhbar.news.listings import through_link

        return through_link(super().articles(obj).filter(tagged_items__tag=obj), "tagged_items", "content_object_id")

    def title(self, obj):
        return _("Tag: %(name)s") % {"name": obj.name} + f" · {self.publisher}"

    subtitle = description = title

    def link(self, obj):
        from django.urls import reverse

        return common.absolute(self.request, reverse("tag", kwargs={"slug": obj.slug}))


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug: str = "", **kwargs):
        from akhbar.news.models import Author

        return get_object_or_404(Author, slug=slug)

    def articles(self, obj):
        from akhbar.news.listings import through_link

        return through_link(super().articles(obj).filter(author_credits__author=obj), "author_credits", "article_id")

    def title(self, obj):
        return f"{obj.name} · {self.publisher}"

    def subtitle(self, obj):
        return obj.role or self.title(obj)

    description = subtitle

    def link(self, obj):
        return common.absolute(self.request, obj.get_url())


def feed_view(feed_class, atom: bool = False):
    def view(request, *args, **kwargs):
        return feed_class(request, atom=atom)(request, *args, **kwargs)

    view.__name__ = f"{feed_class.__name__}{'Atom' if atom else 'Rss'}"
    return view
