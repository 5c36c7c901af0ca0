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


def make_bare_articles(section, template: ArticlePage, count: int) -> list[int]:
    """`count` live copies of `template` under `section`, written as bare rows (no revisions,
    tags, authors or search index), so an archive of 100,000 articles takes seconds. Each has
    the next free page id, its own tree path, slug `bare-<id>` and translation key. Returns
    their ids, in order. For tests of code that reads rows only (sitemaps, at archive scale)."""
    import uuid

    from django.db import connection

    section = Page.objects.get(pk=section.pk)
    base = Page.objects.get(pk=template.pk)
    first = Page.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    ids = list(range(first, first + count))
    quote = connection.ops.quote_name
    fields = Page._meta.local_concrete_fields
    constant = [field.get_db_prep_save(getattr(base, field.attname), connection) for field in fields]
    where = {field.attname: n for n, field in enumerate(fields)}
    key_field = Page._meta.get_field("translation_key")
    rows = []
    for n, pk in enumerate(ids, start=section.numchild + 1):
        row = list(constant)
        row[where["id"]] = pk
        row[where["path"]] = Page._get_path(section.path, section.depth + 1, n)
        row[where["slug"]] = f"bare-{pk}"
        row[where["url_path"]] = f"{section.url_path}bare-{pk}/"
        row[where["translation_key"]] = key_field.get_db_prep_save(uuid.uuid4(), connection)
        rows.append(row)
    page_table, article_table = quote(Page._meta.db_table), quote(ArticlePage._meta.db_table)
    columns = [field.column for field in ArticlePage._meta.local_concrete_fields if field.column != "page_ptr_id"]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {page_table} ({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            rows,
        )
        # The article columns copied from the template, one row per new page.
        cursor.execute(
            f"INSERT INTO {article_table} ({quote('page_ptr_id')}, {', '.join(map(quote, columns))}) "
            f"SELECT p.{quote('id')}, {', '.join('a.' + quote(column) for column in columns)} "
            f"FROM {page_table} p, {article_table} a "
            f"WHERE a.{quote('page_ptr_id')} = %s AND p.{quote('id')} >= %s AND p.{quote('id')} <= %s",
            [template.pk, ids[0], ids[-1]],
        )
    Page.objects.filter(pk=section.pk).update(numchild=section.numchild + count)
    return ids
