"""Article listings with keyset pagination: constant cost on page 1 and on page 1,000.

Every listing reads an index ordered by (published_at, id) and continues from a cursor
(`?before=<microseconds>-<id>`) instead of OFFSET, so «show more» stays fast at any depth.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.images import get_image_model

PAGE_SIZE = 12
_CURSOR = re.compile(r"[0-9]{1,20}-[0-9]{1,19}")
CARD_IMAGE_FILTERS = ["fill-640x360|format-webp", "fill-1280x720|format-webp"]
# What a card shows and links to. Building the SQL for every column of an article, its page,
# its section's page and its image cost 5 ms of CPU a query (most of a cold listing page);
# these few cost 2. A template that reads another field of a card pays a query per card:
# add the field here instead (tests/test_query_budget.py notices).
CARD_FIELDS = (
    "title", "slug", "url_path", "path", "depth", "live", "locale_id", "content_type_id",
    "first_published_at", "last_published_at", "search_description",
    "kicker", "lede", "published_at", "section_id", "featured_image_id",
    "section__title", "section__slug", "section__url_path", "section__path", "section__depth", "section__live",
    "section__locale_id", "section__content_type_id",
)  # fmt: skip


@dataclass
class Batch:
    """One page of a listing and the cursor to the next, if any."""

    items: list
    next_cursor: str | None


def encode_cursor(article) -> str:
    micros = int(article.published_at.timestamp() * 1_000_000)
    return f"{micros}-{article.pk}"


def decode_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    """Parse a cursor; anything malformed means «start from the top» rather than an error."""
    if not value or len(value) > 40 or not _CURSOR.fullmatch(value):
        return None
    micros, _, pk = value.partition("-")
    try:
        moment = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment, int(pk)


def card_queryset() -> QuerySet:
    """Live, public articles with what a card shows (approved comments counted in the same query),
    in one query plus one for image renditions."""
    from .models import ArticlePage

    from akhbar.comments.listing import approved_count_subquery

    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=CARD_IMAGE_FILTERS)
    return (
        ArticlePage.objects.live()
        .filter(published_at__isnull=False)
        .annotate(comment_count=approved_count_subquery())
        .select_related("featured_image", "section")
        .prefetch_related(Prefetch("featured_image__renditions", queryset=renditions))
        .only(*CARD_FIELDS)
        .order_by("-published_at", "-page_ptr_id")
    )


def paginate(queryset: QuerySet, cursor: str | None, size: int = PAGE_SIZE) -> Batch:
    """The batch after the cursor. A listing through a link table (tags, authors) orders by the
    link's copy of the date (`listed_at`, `listed_id`: see `through_link`), which its index holds."""
    position = decode_cursor(cursor)
    if position:
        moment, pk = position
        date, ident = ("listed_at", "listed_id") if "listed_at" in queryset.query.annotations else ("published_at", "page_ptr_id")
        queryset = queryset.filter(Q(**{f"{date}__lt": moment}) | Q(**{date: moment, f"{ident}__lt": pk}))
    items = list(queryset[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    return Batch(items=items, next_cursor=encode_cursor(items[-1]) if has_more and items else None)


def section_ids(section) -> list[int]:
    """The section and all its subsections (a handful of rows, whatever the article count),
    from the shared cache until the page tree changes."""
    from akhbar.core.tree_cache import tree_cached

    from .models import SectionPage

    return tree_cached(
        f"sections:{section.pk}", lambda: list(SectionPage.objects.descendant_of(section, inclusive=True).values_list("pk", flat=True))
    )


def section_articles(section) -> QuerySet:
    ids = section_ids(section)
    queryset = card_queryset()
    return queryset.filter(section_id=ids[0]) if len(ids) == 1 else queryset.filter(section_id__in=ids)


def through_link(queryset: QuerySet, link: str, article_field: str) -> QuerySet:
    """Order a listing filtered through a link table by the link's own (date, article) columns:
    the same order as the article's date (the link keeps a copy), read from the link's index
    instead of sorting every linked article. The aliases reuse the filter's join."""
    return queryset.alias(listed_at=F(f"{link}__published_at"), listed_id=F(f"{link}__{article_field}")).order_by(
        "-listed_at", "-listed_id"
    )


def tag_articles(tag) -> QuerySet:
    return through_link(card_queryset().filter(tagged_items__tag=tag), "tagged_items", "content_object_id")


def author_articles(author) -> QuerySet:
    return through_link(card_queryset().filter(author_credits__author=author), "author_credits", "article_id")


def section_page_context(section, request) -> dict:
    batch = paginate(section_articles(section), request.GET.get("before"))
    from .models import SectionPage

    subsections = SectionPage.objects.child_of(section).live().order_by("path")
    return {"batch": batch, "articles": batch.items, "subsections": subsections, "is_continuation": bool(request.GET.get("before"))}


def serve_listing_fragment(page, request):
    """For «show more»: only the next cards and the next cursor, appended in place by JavaScript."""
    if request.GET.get("fragment") != "1":
        return None
    context = section_page_context(page, request)
    return TemplateResponse(request, "components/article_list_fragment.html", {**context, "page": page})


def home_page_context(home) -> dict:
    from .models import SectionPage

    latest = list(card_queryset()[:9])
    lead = home.lead_article if home.lead_article_id and home.lead_article.live else (latest[0] if latest else None)
    latest = [article for article in latest if lead is None or article.pk != lead.pk][:8]
    sections = list(SectionPage.objects.child_of(home).live().in_menu().order_by("path")[:8])
    newest = newest_in_sections([section_ids(section) for section in sections], HOME_BLOCK_SIZE)
    cards = {card.pk: card for card in card_queryset().filter(pk__in=[pk for ids in newest for pk in ids])} if sections else {}
    blocks = [{"section": section, "articles": newest_first(cards[pk] for pk in ids if pk in cards)} for section, ids in zip(sections, newest)]
    return {"lead": lead, "latest": latest, "section_blocks": blocks, "now": timezone.now()}


HOME_BLOCK_SIZE = 4


def newest_first(articles) -> list:
    return sorted(articles, key=lambda article: (article.published_at, article.pk), reverse=True)


def newest_in_sections(groups: list[list[int]], limit: int) -> list[list[int]]:
    """For each group of section ids, the ids of its `limit` newest live articles, in one
    UNION ALL query (each part an indexed top-N) instead of a card query per group."""
    if not groups:
        return []
    from django.db import connection

    from .models import ArticlePage

    articles = ArticlePage._meta.db_table
    parts, params = [], []
    for n, ids in enumerate(groups):
        placeholders = ", ".join(["%s"] * len(ids))
        parts.append(
            f"SELECT * FROM (SELECT {n} AS grp, a.page_ptr_id AS article_id FROM {articles} a "
            "INNER JOIN wagtailcore_page p ON p.id = a.page_ptr_id "
            f"WHERE a.section_id IN ({placeholders}) AND p.live = %s AND a.published_at IS NOT NULL "
            f"ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT {int(limit)}) AS block_{n}"
        )
        params += [*ids, True]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    newest: list[list[int]] = [[] for _ in groups]
    for group, article_id in rows:
        newest[group].append(article_id)
    return newest
