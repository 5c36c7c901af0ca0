"""Approved comments under an article: a fixed number of queries whatever their count.

Top-level comments come a page at a time with a keyset cursor on the id («show more»: id
after/before the last one shown); each thread shows its first replies and links to the rest.
The article page costs two queries: the count and the threads. A comment its author deleted
while others had answered it stays as a placeholder at the head of its thread.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from .models import SHOWN_IN_THREADS, Comment

PAGE_SIZE = 20
REPLIES_SHOWN = 10
REPLIES_PAGE_SIZE = 50
ORDERS = ("oldest", "newest")
_CURSOR = re.compile(r"[0-9]{1,19}")
LIST_FIELDS = ("id", "article_id", "parent_id", "depth", "name", "text", "created_at", "status")


@dataclass
class Thread:
    comment: Comment
    replies: list = field(default_factory=list)
    more_replies: bool = False


@dataclass
class Batch:
    threads: list
    next_cursor: int | None
    order: str


def parse_order(value: str | None) -> str:
    return value if value in ORDERS else "oldest"


def parse_cursor(value: str | None) -> int | None:
    """An id from `?after=`; anything malformed means «from the start», never an error."""
    if not value or not _CURSOR.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number < 2**63 else None


def public(article_id):
    return Comment.objects.filter(article_id=article_id, status=Comment.Status.APPROVED).only(*LIST_FIELDS)


def approved_count(article_id) -> int:
    return Comment.objects.filter(article_id=article_id, status=Comment.Status.APPROVED).count()


def approved_count_subquery():
    """The number of approved comments of each row's article, inside a listing's own query."""
    counted = (
        Comment.objects.filter(article_id=OuterRef("pk"), status=Comment.Status.APPROVED)
        .order_by()
        .values("article_id")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def threads(article_id, order: str = "oldest", after: int | None = None, size: int = PAGE_SIZE) -> Batch:
    """One page of threads in one query: the page's top-level comments (a LIMITed subquery)
    and, numbered within each thread, the first replies of each."""
    newest = order == "newest"
    top = Comment.objects.filter(article_id=article_id, status__in=SHOWN_IN_THREADS, parent__isnull=True)
    if after is not None:
        top = top.filter(id__lt=after) if newest else top.filter(id__gt=after)
    top_ids = top.order_by("-id" if newest else "id").values("id")[: size + 1]
    rows = (
        Comment.objects.filter(article_id=article_id, status__in=SHOWN_IN_THREADS)
        .only(*LIST_FIELDS)
        .filter(Q(id__in=top_ids) | Q(parent_id__in=top_ids))
        # A thread is its comment and the replies to it; the comment has the lowest id in it.
        .annotate(position=Window(RowNumber(), partition_by=[Coalesce(F("parent_id"), F("id"))], order_by=[F("id").asc()]))
        .filter(position__lte=REPLIES_SHOWN + 2)
        .order_by("id")
    )
    by_id, replies = {}, []
    for row in rows:
        if row.parent_id is None:
            by_id[row.pk] = Thread(row)
        else:
            replies.append(row)
    for reply in replies:
        thread = by_id.get(reply.parent_id)
        if thread is None:
            continue
        if reply.position > REPLIES_SHOWN + 1:
            thread.more_replies = True
        else:
            thread.replies.append(reply)
    ordered = sorted(by_id.values(), key=lambda thread: thread.comment.pk, reverse=newest)
    next_cursor = ordered[size - 1].comment.pk if len(ordered) > size else None
    # A deleted comment whose replies all wait for moderation has nothing to show yet.
    shown = [thread for thread in ordered[:size] if thread.replies or not thread.comment.is_removed]
    return Batch(shown, next_cursor, order)


def replies_after(parent: Comment, after: int | None, size: int = REPLIES_PAGE_SIZE) -> tuple[list, int | None]:
    rows = public(parent.article_id).filter(parent_id=parent.pk)
    if after is not None:
        rows = rows.filter(id__gt=after)
    rows = list(rows.order_by("id")[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)
