"""Moderators' actions on many comments at once (the admin's bulk actions use these)."""

from django.db import transaction
from django.utils import timezone

from .models import Ban, Comment
from .notify import queue_reply_notifications
from .signals import purge_articles


def set_status(comments, status: str, user=None) -> int:
    """Give `comments` a status in one UPDATE; articles whose public comments changed are purged."""
    comments = [comment for comment in comments if not comment.is_removed]
    if not comments:
        return 0
    ids = [comment.pk for comment in comments]
    touched = {c.article_id for c in comments if (c.status == Comment.Status.APPROVED) != (status == Comment.Status.APPROVED)}
    with transaction.atomic():
        count = Comment.objects.filter(pk__in=ids).update(
            status=status, moderated_at=timezone.now(), moderated_by=user if user and user.pk else None
        )
        purge_articles(touched)
        if status == Comment.Status.APPROVED:
            queue_reply_notifications([c.pk for c in comments if c.parent_id and c.status != Comment.Status.APPROVED])
    return count


def ban_senders(comments, user=None) -> int:
    """Ban the emails and IP addresses of `comments` and mark the comments as spam."""
    comments = list(comments)
    bans = {(Ban.Kind.EMAIL, c.email.lower()) for c in comments if c.email}
    bans |= {(Ban.Kind.IP, c.ip_address) for c in comments if c.ip_address}
    with transaction.atomic():
        Ban.objects.bulk_create(
            [Ban(kind=kind, value=value, reason="moderation") for kind, value in sorted(bans)], ignore_conflicts=True
        )
        set_status(comments, Comment.Status.SPAM, user)
    return len(bans)
