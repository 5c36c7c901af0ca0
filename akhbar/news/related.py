"""«موضوعات متعلقة»: stories sharing the most tags, then the newest in the same section.

Candidates come from one UNION ALL query: for each of the article's tags (at most
`MAX_TAGS`) its `PER_TAG` newest live articles through the (tag, published_at) index, plus
the newest live articles of the article's section through the (section, published_at)
index. The cost therefore does not grow with the size of a tag, a section or the archive,
and a page always spends the same two queries on it (the article's own tags are read
once for the page). No random order, no NOT IN.
"""

from collections import Counter

from django.db import connection

from .listings import card_queryset

MAX_TAGS = 8
PER_TAG = 20
LIMIT = 6


def _candidate_sql(tag_count: int, limit: int) -> str:
    from .models import ArticlePage, ArticlePageTag

    tags = ArticlePageTag._meta.db_table
    articles = ArticlePage._meta.db_table
    per_tag = (
        "SELECT * FROM (SELECT t.content_object_id AS article_id, t.published_at AS published_at, 1 AS shared "
        f"FROM {tags} t INNER JOIN wagtailcore_page p ON p.id = t.content_object_id "
        "WHERE t.tag_id = %s AND p.live = %s AND t.published_at IS NOT NULL "
        f"ORDER BY t.published_at DESC, t.content_object_id DESC LIMIT {PER_TAG}) AS tag_{{n}}"
    )
    same_section = (
        "SELECT * FROM (SELECT a.page_ptr_id AS article_id, a.published_at AS published_at, 0 AS shared "
        f"FROM {articles} a INNER JOIN wagtailcore_page p ON p.id = a.page_ptr_id "
        "WHERE a.section_id = %s AND p.live = %s AND a.published_at IS NOT NULL "
        f"ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT {limit + 1}) AS same_section"
    )
    return " UNION ALL ".join([per_tag.format(n=n) for n in range(tag_count)] + [same_section])


def related_articles(article, limit: int = LIMIT) -> list:
    tag_ids = sorted(tag.pk for tag in article.tag_list)[:MAX_TAGS]
    params: list = []
    for tag_id in tag_ids:
        params += [tag_id, True]
    params += [article.section_id or 0, True]
    with connection.cursor() as cursor:
        cursor.execute(_candidate_sql(len(tag_ids), limit), params)
        rows = cursor.fetchall()

    shared: Counter = Counter()
    newest = {}
    for article_id, published_at, is_tag_match in rows:
        if article_id == article.pk:
            continue
        shared[article_id] += is_tag_match
        newest[article_id] = published_at
    # Most shared tags first, then newest; same-section stories (no shared tag) come last.
    ranked = sorted(newest, key=lambda pk: (shared[pk], newest[pk], pk), reverse=True)[:limit]
    if not ranked:
        return []
    cards = {card.pk: card for card in card_queryset().filter(pk__in=ranked)}
    return [cards[pk] for pk in ranked if pk in cards]
