"""Subscribing (double opt-in), confirming, changing lists, unsubscribing, suppressing, and a
subscriber's own copy or deletion of their data.

What a reader sees after asking to subscribe never depends on the address's state: a new, an
unconfirmed, a confirmed and a suppressed address get the same answer, so nobody learns who
reads the newsletter. The email that follows differs (a confirmation link, or for a confirmed
address a link to its preferences; none for a suppressed one).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from . import mail, tokens
from .models import LISTS, Delivery, Subscriber, Suppression, normalise_email


def valid_lists(names) -> list[str]:
    return [name for name in LISTS if name in set(names or ())]


def request_subscription(email: str, lists: list[str], root: str) -> None:
    """Record the wish and queue the email that asks to confirm it (after commit)."""
    email, lists = normalise_email(email), valid_lists(lists)
    if not lists or Suppression.is_suppressed(email):
        return
    with transaction.atomic():
        # get_or_create settles the race of two requests for one new address (its own savepoint).
        subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"status": Subscriber.Status.PENDING})
        if subscriber.status == Subscriber.Status.CONFIRMED:
            kind = "already"
        else:
            kind = "confirm"
            subscriber.status = Subscriber.Status.PENDING
            subscriber.set_lists(lists)
            subscriber.requested_at = timezone.now()
            subscriber.save(update_fields=["status", "daily", "breaking", "weekly", "requested_at"])
    transaction.on_commit(lambda: send_request_email.enqueue(kind, email, lists, root), robust=True)


@task()
def send_request_email(kind: str, email: str, lists: list[str], root: str) -> None:
    """The confirmation link, or, for an address already confirmed, its preferences link."""
    if Suppression.is_suppressed(email):
        return
    root = root.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        if kind == "already":
            subject = translation.gettext("You are already subscribed to the newsletter")
            context = {"manage_url": mail.manage_url(root, email)}
        else:
            subject = translation.gettext("Confirm your subscription to the newsletter")
            context = {
                "confirm_url": root + reverse("newsletter:confirm", kwargs={"token": tokens.confirm_token(email, lists)}),
                "lists": [LISTS[name] for name in lists],
                "days": settings.NEWSLETTER_CONFIRM_DAYS,
            }
        text, html = mail.render(kind, {**context, "subject": subject})
    mail.message(subject, text, html, email).send()


class LinkInvalid(Exception):
    """The link is forged, expired, or no longer applies to the address."""


def confirm(token: str) -> Subscriber:
    """Confirm the address in a confirmation link; the lists are those the reader chose then."""
    data = tokens.read_confirm(token)
    if data is None:
        raise LinkInvalid
    email, lists = normalise_email(data["e"]), valid_lists(data.get("l"))
    if not lists or Suppression.is_suppressed(email):
        raise LinkInvalid
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is not None and subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber  # a second click: nothing changes
        if subscriber is not None and subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            raise LinkInvalid  # an old link must not undo an unsubscribe
        if subscriber is None:  # purged meanwhile; the link is still the reader's own consent
            subscriber = Subscriber(email=email)
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.set_lists(lists)
        subscriber.confirmed_at = timezone.now()
        subscriber.save()
    return subscriber


def subscriber_for(token: str) -> Subscriber | None:
    email = tokens.read_manage(token)
    return Subscriber.objects.filter(email=normalise_email(email)).first() if email else None


def set_lists(subscriber: Subscriber, lists: list[str]) -> None:
    subscriber.set_lists(valid_lists(lists))
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.lists:
        # Choosing lists again from one's own signed link is a confirmed wish.
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["daily", "breaking", "weekly", "status", "unsubscribed_at"])


def unsubscribe(email: str) -> bool:
    """Stop every list for `email`; False when it was not subscribed (or already stopped)."""
    return bool(
        Subscriber.objects.filter(email=normalise_email(email))
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), daily=False, breaking=False, weekly=False)
    )


def suppress(email: str, reason: str, note: str = "") -> None:
    """Never mail `email` again (a bounce, a complaint, an editor): suppressed and unsubscribed."""
    email = normalise_email(email)
    with transaction.atomic():
        Suppression.objects.get_or_create(email=email, defaults={"reason": reason, "note": note[:300]})
        unsubscribe(email)


def export(subscriber: Subscriber) -> dict:
    """Everything stored about a subscriber, as they may download it."""
    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "lists": subscriber.lists,
        "requested_at": subscriber.requested_at.isoformat() if subscriber.requested_at else None,
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "unsubscribed_at": subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None,
        "newsletters_sent": [
            {"issue": subject, "sent_at": sent_at.isoformat() if sent_at else None}
            for subject, sent_at in Delivery.objects.filter(subscriber=subscriber)
            .order_by("-id")
            .values_list("issue__subject", "sent_at")[: settings.NEWSLETTER_EXPORT_MAX_DELIVERIES]
        ],
    }


def delete(subscriber: Subscriber) -> None:
    """Forget the subscriber: their row and their send log go (the suppression list stays)."""
    subscriber.delete()


def purge_unconfirmed(now=None, batch: int = 1000) -> int:
    """Delete addresses left unconfirmed for NEWSLETTER_CONFIRM_DAYS; the number deleted."""
    cutoff = (now or timezone.now()) - timezone.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
    deleted = 0
    while True:
        ids = list(
            Subscriber.objects.filter(status=Subscriber.Status.PENDING, requested_at__lt=cutoff)
            .order_by("requested_at")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return deleted
        deleted += Subscriber.objects.filter(pk__in=ids, status=Subscriber.Status.PENDING).delete()[1].get("newsletter.Subscriber", 0)
