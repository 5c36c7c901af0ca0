"""Build a small site tree for tests: home → sections → articles, through Wagtail's own API."""

import datetime as dt
import itertools

from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from akhbar.news.models import ArticlePage, Author, HomePage, SectionPage

_counter = itertools.count(1)
_RUN_STARTED = timezone.now()


def make_home(title: str = "الرئيسية") -> HomePage:
    """Replace Wagtail's welcome page with an Akhbar home page served by the default site."""
    root = Page.get_first_root_node() or _recreate_root()
    home = root.add_child(instance=HomePage(title=title, slug=f"home-{next(_counter)}"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="أخبار")
    else:
        site.root_page = home
        site.save()
    return home


def _recreate_root() -> Page:
    """The tree's root and default locale, which Wagtail's migrations made and a transactional
    test's flush emptied (pytest-django runs transactional tests last, one after another)."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    return Page.add_root(instance=Page(title="Root", slug="root"))


def make_section(parent, title: str, slug: str | None = None, show_in_menus: bool = True) -> SectionPage:
    section = SectionPage(title=title, slug=slug or f"section-{next(_counter)}", show_in_menus=show_in_menus)
    parent.add_child(instance=section)
    section.save_revision().publish()
    return section


def make_author(name: str = "سلمى العبيدي", slug: str | None = None) -> Author:
    return Author.objects.create(name=name, slug=slug or f"author-{next(_counter)}")


def make_article(section, title: str | None = None, *, tags=(), authors=(), published_at=None, body=None, **fields) -> ArticlePage:
    n = next(_counter)
    article = ArticlePage(
        title=title or f"خبر رقم {n}",
        slug=f"article-{n}",
        lede=fields.pop("lede", "ملخص الخبر في جملة واحدة."),
        body=body
        if body is not None
        else [("paragraph", "<p>نص الخبر الأول. وفيه تفاصيل كثيرة عن الحدث.</p>")],
        # Newest first in creation order, and all within the run's last hours whatever the run's
        # length (tests of time windows, such as a daily digest or the news sitemap, need that).
        published_at=published_at or _RUN_STARTED - dt.timedelta(seconds=n),
        **fields,
    )
    section.add_child(instance=article)
    if tags:
        article.tags.add(*tags)
    if authors:
        article.authors.set(authors)
    article.save_revision().publish()
    article.refresh_from_db()
    return article
