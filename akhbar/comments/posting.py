"""Saving a reader's comment: threading, bans, spam checks and the moderation policy."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from akhbar.core.public_forms import seconds_since_stamp

from . import spam
from .models import MAX_DEPTH, SHOWN_IN_THREADS, Ban, Comment, CommentSettings
from .text import had_invisible, link_hosts

logger = logging.getLogger(__name__)


class Refused(Exception):
    """The comment is not saved; `message` tells the reader why (and `field`, if it is one field's fault)."""

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


@dataclass
class Outcome:
    comment: Comment | None  # None: dropped silently (the honeypot)
    status: str


def min_seconds() -> float:
    return float(getattr(settings, "COMMENTS_MIN_SECONDS", 3))


def submit(article, data: dict, raw: dict, request, ip: str | None, comment_settings: CommentSettings) -> Outcome:
    """Save a cleaned form's comment, or raise Refused. `raw` is the posted form (for the honeypot)."""
    if comment_settings.closed_for(article):
        raise Refused(_("Comments on this article are closed."), status=403)
    if data.get("website"):
        logger.info("comment dropped: honeypot filled")
        return Outcome(None, Comment.Status.PENDING)
    elapsed = seconds_since_stamp(data.get("started", ""))
    if elapsed is None:
        raise Refused(_("The form has expired. Please send your comment again."))
    if elapsed < min_seconds():
        raise Refused(_("That was too fast. Please wait a moment and send your comment again."))

    parent = answered = None
    if data.get("parent"):
        parent = (
            # A deleted comment's placeholder still heads its thread, which stays open to replies.
            Comment.objects.filter(pk=data["parent"], article=article, status__in=SHOWN_IN_THREADS)
            .only("id", "parent_id", "depth")
            .first()
        )
        if parent is None:
            raise Refused(_("The comment you are replying to was not found."), field="parent")
        answered = parent  # its author is the one told of the reply (notify.py)
        if parent.depth >= MAX_DEPTH:  # a reply to a reply joins its thread
            parent = Comment(pk=parent.parent_id, depth=parent.depth - 1)

    if Ban.is_banned(data["email"], ip):
        raise Refused(_("Comments from this address are not accepted."), status=403)

    comment = Comment(
        article=article,
        parent_id=parent.pk if parent else None,
        reply_to_id=answered.pk if answered else None,
        depth=(parent.depth + 1) if parent else 0,
        name=data["name"],
        email=data["email"],
        text=data["text"],
        ip_address=ip,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        notify_replies=bool(data.get("notify")),
    )
    verdict = spam.blocklist_verdict(comment, comment_settings, link_hosts(comment.text))
    notes = []
    if had_invisible(raw.get("text", "")) or had_invisible(raw.get("name", "")):
        notes.append("invisible characters removed")
    held = False
    if not verdict.spam:
        held = not run_checker(comment, request, verdict)
        if held:
            notes.append("spam checker unavailable")
    if verdict.spam:
        comment.status = Comment.Status.SPAM
        notes = [*verdict.reasons, *notes]
    elif held:  # not checked: a moderator decides, whatever the policy
        comment.status = Comment.Status.PENDING
    else:
        comment.status = initial_status(comment, comment_settings)
    comment.spam_reasons = ", ".join(notes)[:300]
    with transaction.atomic():
        comment.save()
    return Outcome(comment, comment.status)


def run_checker(comment: Comment, request, verdict: spam.Verdict) -> bool:
    """Ask the configured checker (if any); False when it could not answer, or could not even
    be loaded (a mistyped AKHBAR_COMMENTS_SPAM_CHECKER, a missing key): the comment is held."""
    try:
        checker = spam.configured_checker()
    except Exception:
        logger.exception(
            "spam checker %r cannot be loaded; comments are held for moderation",
            getattr(settings, "COMMENTS_SPAM_CHECKER", ""),
        )
        return False
    if checker is None:
        return True
    try:
        if checker.is_spam(comment, request):
            verdict.flag("checker")
    except Exception:
        logger.exception("spam checker failed; comment held for moderation")
        return False
    return True


def initial_status(comment: Comment, comment_settings: CommentSettings) -> str:
    policy = comment_settings.policy
    if policy == CommentSettings.POLICY_OPEN:
        return Comment.Status.APPROVED
    if policy == CommentSettings.POLICY_FIRST_HELD:
        trusted = Comment.objects.filter(email=comment.email, status=Comment.Status.APPROVED).exists()
        return Comment.Status.APPROVED if trusted else Comment.Status.PENDING
    return Comment.Status.PENDING
