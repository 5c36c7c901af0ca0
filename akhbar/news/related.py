"""«موضوعات متعلقة»: stories sharing the most tags, then the newest in the same section.

Each tag contributes at most `PER_TAG` of its newest articles through the (tag, published_at)
index, in a single UNION ALL query, so the cost does not grow with the size of a tag or of
the archive. No random order, no NOT IN over large sets.
"""

from collections import Counter

from django.db import connection

from .listings import card_queryset

MAX_TAGS = 8
PER_TAG = 20
LIMIT = 6


def related_articles(article, limit: int = LIMIT) -> list:
    from .models import ArticlePageTag

    tag_ids = list(
        ArticlePageTag.objects.filter(content_object_id=article.pk).order_by("tag_id").values_list("tag_id", flat=True)[:MAX_TAGS]
    )
    scores: Counter = Counter()
    if tag_ids:
        table = ArticlePageTag._meta.db_table
        page_table = "wagtailcore_page"
        one = (
            f"SELECT * FROM (SELECT t.content_object_id AS article_id, t.published_at AS published_at "
            f"FROM {table} t INNER JOIN {page_table} p ON p.id = t.content_object_id "
            f"WHERE t.tag_id = %s AND p.live = %s AND t.published_at IS NOT NULL "
            f"ORDER BY t.published_at DESC, t.content_object_id DESC LIMIT {PER_TAG}) AS tag_{{n}}"
        )
        sql = " UNION ALL ".join(one.format(n=n) for n in range(len(tag_ids)))
        params: list = []
        for tag_id in tag_ids:
            params += [tag_id, True]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        newest = {}
        for article_id, published_at in rows:
            if article_id == article.pk:
                continue
            scores[article_id] += 1
            newest[article_id] = published_at
        ranked = sorted(scores, key=lambda pk: (scores[pk], newest[pk], pk), reverse=True)[:limit]
    else:
        ranked = []

    chosen = {a.pk: a for a in card_queryset().filter(pk__in=ranked)} if ranked else {}
    result = [chosen[pk] for pk in ranked if pk in chosen]
    if len(result) < limit and article.section_id:
        taken = {a.pk for a in result} | {article.pk}
        for candidate in card_queryset().filter(section_id=article.section_id)[: limit + len(taken)]:
            if candidate.pk not in taken:
                result.append(candidate)
                taken.add(candidate.pk)
            if len(result) >= limit:
                break
    return result
