"""WordPress comments → Akhbar comments, threaded, with their moderation state.

Comments are imported once: a re-run adds new ones and leaves the rest as Akhbar's
moderators have left them. Pingbacks, trackbacks and comments in the bin are not readers'
words and are skipped. Text goes through the same cleaning as a comment posted here.
"""

import ipaddress
import zoneinfo
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from akhbar.comments.models import MAX_DEPTH, Comment
from akhbar.comments.text import BadEncoding, clean_text

from ..models import ImportedObject
from .values import parse_date, plain_text
from .wxr import Item

STATUSES = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING, "spam": Comment.Status.SPAM}
NOT_COMMENTS = {"pingback", "trackback"}
NAME_MAX = 80


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value.lower()[:254]


def import_comments(item: Item, article, source: str, zone: zoneinfo.ZoneInfo, summary, problem: Callable) -> None:
    """Create the item's comments that are not imported yet (inside the item's transaction)."""
    if not item.comments:
        return
    kind = "comments"
    tally = summary.tally(kind)
    known = {
        row.source_id: int(row.object_id)
        for row in ImportedObject.objects.filter(
            source=source, kind=ImportedObject.Kind.COMMENT, source_id__in=[c.comment_id for c in item.comments]
        )
        if row.object_id
    }
    depths = dict(Comment.objects.filter(pk__in=known.values()).values_list("pk", "depth"))
    parents_of = dict(Comment.objects.filter(pk__in=known.values()).values_list("pk", "parent_id"))
    ordered = sorted(item.comments, key=lambda c: int(c.comment_id) if c.comment_id.isdigit() else 0)
    for info in ordered:
        if info.comment_id in known:
            tally.unchanged += 1
            continue
        status = STATUSES.get(info.approved)
        if info.comment_type in NOT_COMMENTS:
            summary.skip(kind, _("pingbacks and trackbacks are not readers' comments"))
            continue
        if status is None or not info.comment_id.isdigit():
            summary.skip(kind, _("in the bin in WordPress, or without an ID"))
            continue
        try:
            text = clean_text(plain_text(info.content))
            name = clean_text(plain_text(info.author), multiline=False)[:NAME_MAX]
        except BadEncoding:
            problem(item.line, _("comment %(id)s") % {"id": info.comment_id}, _("its text is not valid UTF-8"))
            tally.failed += 1
            continue
        if not text:
            summary.skip(kind, _("no text"))
            continue
        parent_id = known.get(info.parent_id) if info.parent_id not in ("", "0") else None
        answered_id = parent_id  # the comment actually answered, for reply emails
        if info.parent_id not in ("", "0") and parent_id is None:
            status = Comment.Status.PENDING if status == Comment.Status.APPROVED else status
            problem(
                item.line,
                _("comment %(id)s") % {"id": info.comment_id},
                _("it answers comment %(parent)s, which was not imported; it is kept as a comment of its own, held for moderation")
                % {"parent": info.parent_id},
            )
        if parent_id is not None and depths.get(parent_id, 0) >= MAX_DEPTH:
            parent_id = parents_of.get(parent_id) or parent_id  # a reply to a reply joins its thread, as here
        created_at = parse_date(info.date_gmt, info.date_local, zone)
        comment = Comment(
            article=article,
            parent_id=parent_id,
            reply_to_id=answered_id,
            depth=(depths.get(parent_id, 0) + 1) if parent_id else 0,
            name=name or _("Reader"),
            email=_email(info.email),
            text=text,
            status=status,
            ip_address=_ip(info.ip),
        )
        if created_at is not None:
            comment.created_at = created_at
        comment.save()
        depths[comment.pk] = comment.depth
        parents_of[comment.pk] = comment.parent_id
        known[info.comment_id] = comment.pk
        ImportedObject.objects.create(
            source=source,
            kind=ImportedObject.Kind.COMMENT,
            source_id=info.comment_id,
            content_type=ContentType.objects.get_for_model(Comment),
            object_id=str(comment.pk),
        )
        tally.created += 1
