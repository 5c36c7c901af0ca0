"""Email about comments: a reply to a commenter who asked for it (with an unsubscribe link),
a digest of waiting comments to moderators, and the link that deletes a reader's comments.

Mail is sent from the task queue after the transaction commits, so neither a reader nor a
moderator waits for the SMTP server. A reply is marked as notified after the server accepted
the message: a worker dying in between repeats that one message, never loses it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from akhbar.core.scheduler import every

from .models import Comment, CommentSettings

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "akhbar.comments.unsubscribe"
FORGET_SALT = "akhbar.comments.forget"
FORGET_MAX_AGE = 2 * 24 * 3600
DIGEST_LISTED = 20
MAX_MODERATORS = 200


def email_token(email: str, salt: str) -> str:
    return signing.dumps(email.lower(), salt=salt, compress=True)


def email_from_token(token: str, salt: str, max_age: int | None = None) -> str | None:
    if not token or len(token) > 500:
        return None
    try:
        email = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return email if isinstance(email, str) else None


def site_root(article) -> str:
    parts = article.get_url_parts()
    return (parts[1] if parts and parts[1] else settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def send(subject: str, template: str, context: dict, to: list[str], headers: dict | None = None) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject = " ".join(render_to_string("comments/email/subject.txt", {"subject": subject}).split())
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers).send()


# --- replies ----------------------------------------------------------------------------------


def queue_reply_notifications(comment_ids) -> None:
    """After commit: email the authors of the comments these (newly public) replies answer."""
    ids = sorted({int(pk) for pk in comment_ids})
    if ids:
        transaction.on_commit(lambda: send_reply_notifications.enqueue(ids), robust=True)


@task()
def send_reply_notifications(comment_ids: list[int]) -> None:
    """Email the author of the comment each reply answers (`reply_to`: the head of the thread
    or a reply in it), if they asked for it and it is not their own reply."""
    replies = Comment.objects.filter(
        pk__in=comment_ids,
        status=Comment.Status.APPROVED,
        reply_notified_at__isnull=True,
        reply_to__notify_replies=True,
    ).select_related("reply_to", "article")
    for reply in replies:
        answered = reply.reply_to
        if answered.email and answered.email != reply.email:
            root = site_root(reply.article)
            token = email_token(answered.email, UNSUBSCRIBE_SALT)
            unsubscribe = root + reverse("comments:unsubscribe", kwargs={"token": token})
            with translation.override(settings.LANGUAGE_CODE):
                subject = translation.gettext("A reply to your comment on «%(title)s»") % {"title": reply.article.title}
            send(
                subject,
                "comments/email/reply.txt",
                {"reply": reply, "parent": answered, "url": f"{root}{reply.article.url}#comment-{reply.pk}", "unsubscribe": unsubscribe},
                [answered.email],
                headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            )
        Comment.objects.filter(pk=reply.pk).update(reply_notified_at=timezone.now())


# --- moderators' digest -----------------------------------------------------------------------


def moderator_emails() -> list[str]:
    permission = Permission.objects.filter(content_type__app_label="comments", codename="change_comment").first()
    who = Q(is_superuser=True)
    if permission is not None:
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    users = get_user_model().objects.filter(who, is_active=True).exclude(email="").order_by("pk")
    return sorted(set(users.values_list("email", flat=True)[:MAX_MODERATORS]))


def send_moderator_digest(now=None) -> int:
    """Email moderators the comments that arrived since the last digest; the number listed."""
    now = now or timezone.now()
    row = CommentSettings.load()
    waiting = Comment.objects.filter(status=Comment.Status.PENDING)
    new = waiting.filter(created_at__gt=row.last_digest_at) if row.last_digest_at else waiting
    new_count = new.count()
    recipients = moderator_emails()
    if new_count and recipients:
        with translation.override(settings.LANGUAGE_CODE):
            subject = translation.ngettext(
                "%(count)d new comment awaits moderation", "%(count)d new comments await moderation", new_count
            ) % {"count": new_count}
        send(
            subject,
            "comments/email/digest.txt",
            {
                "new_count": new_count,
                "waiting_count": waiting.count(),
                "comments": list(new.select_related("article").order_by("-id")[:DIGEST_LISTED]),
                "queue_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/snippets/comments/comment/?status=pending",
            },
            recipients,
        )
    CommentSettings.objects.filter(pk=row.pk).update(last_digest_at=now)
    return new_count if recipients else 0


if settings.COMMENTS_DIGEST_INTERVAL > 0:
    every(seconds=settings.COMMENTS_DIGEST_INTERVAL, name="comments_moderator_digest")(send_moderator_digest)


# --- deleting one's comments ------------------------------------------------------------------


def send_forget_link(email: str, root: str) -> bool:
    """Email the link that deletes every comment of `email`; False when there are none."""
    if not Comment.objects.filter(email=email).exists():
        return False
    link = root.rstrip("/") + reverse("comments:forget_confirm", kwargs={"token": email_token(email, FORGET_SALT)})
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("Delete your comments")
    send(subject, "comments/email/forget.txt", {"link": link, "days": FORGET_MAX_AGE // 86400}, [email])
    return True
