"""Subscribers, the suppression list, newsletter issues and the per-recipient send log.

Built for hundreds of thousands of subscribers: every list the sender or the admin walks is
read in keyset batches over an index, never with OFFSET and never all at once.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.models import Orderable

# The lists a reader may choose; each is a boolean column so that a send filters on an index.
LISTS = {
    "daily": _("Daily digest"),
    "breaking": _("Breaking news"),
    "weekly": _("Weekly roundup"),
}


def normalise_email(email: str) -> str:
    """One spelling per address: the unique key, the rate-limit key and the suppression key."""
    return email.strip().lower()


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email"), max_length=254, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    daily = models.BooleanField(LISTS["daily"], default=False)
    breaking = models.BooleanField(LISTS["breaking"], default=False)
    weekly = models.BooleanField(LISTS["weekly"], default=False)
    # When the subscription was last asked for: unconfirmed rows are purged N days after it.
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-id"]
        indexes = [
            # The sender's keyset walk over one list's confirmed subscribers.
            models.Index(fields=["status", "id"], name="newsletter_status_id"),
            # The purge of unconfirmed addresses.
            models.Index(fields=["status", "requested_at"], name="newsletter_status_requested"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def lists(self) -> list[str]:
        return [name for name in LISTS if getattr(self, name)]

    def set_lists(self, names) -> None:
        for name in LISTS:
            setattr(self, name, name in names)

    def lists_display(self) -> str:
        return "، ".join(str(LISTS[name]) for name in self.lists)

    lists_display.short_description = _("lists")


class Suppression(models.Model):
    """Addresses never mailed again: bounces, complaints, or an editor's decision."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Bounced")
        COMPLAINT = "complaint", _("Complaint (marked as spam)")
        MANUAL = "manual", _("Added by an editor")

    email = models.EmailField(_("email"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, default=Reason.MANUAL)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @classmethod
    def is_suppressed(cls, email: str) -> bool:
        return cls.objects.filter(email=normalise_email(email)).exists()


SENDER_FIELDS = {"cursor", "lease_until", "lease_owner"}  # written by the sender alone, with UPDATEs


class Issue(ClusterableModel):
    """One newsletter, composed by an editor from chosen articles, or by the daily digest."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    list = models.CharField(_("list"), max_length=10, choices=list(LISTS.items()), default="daily")
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True, help_text=_("Empty: as soon as it is scheduled."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Assembled by the daily digest job rather than by an editor.
    automatic = models.BooleanField(_("assembled automatically"), default=False, editable=False)
    finished_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The sender's place in the keyset walk of subscribers, and the lease of the worker sending.
    cursor = models.BigIntegerField(default=0, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_owner = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "send_at"], name="newsletter_issue_due")]

    def __str__(self) -> str:
        return self.subject

    @property
    def locked(self) -> bool:
        """Begun or sent: what readers got, no longer the editors' to change."""
        return self.status not in EDITOR_STATUSES

    def save(self, *args, **kwargs):
        """An editor's save never writes the sender's progress: a form opened before a send began
        holds a stale cursor and lease, and would otherwise reset them. Once the send has begun
        an editor's save is refused (the admin form says so before it gets here)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            if Issue.objects.filter(pk=self.pk).exclude(status__in=EDITOR_STATUSES).exists():
                raise IssueLocked(self.pk)
            columns = [field.name for field in self._meta.concrete_fields if not field.primary_key and field.name not in SENDER_FIELDS]
            kwargs["update_fields"] = columns + [rel.get_accessor_name() for rel in get_all_child_relations(self)]  # the articles
        super().save(*args, **kwargs)


# The statuses an editor sets; «sending» and «sent» are the sender's alone.
EDITOR_STATUSES = (Issue.Status.DRAFT, Issue.Status.SCHEDULED)


class IssueLocked(Exception):
    """An editor's save of an issue whose send has begun."""


class IssueArticle(Orderable):
    issue = ParentalKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("article"))

    class Meta(Orderable.Meta):
        verbose_name = _("article")


class Delivery(models.Model):
    """The send log: one row per issue and recipient, written before the message is handed to
    the SMTP server and marked sent after it accepted it. Rows still «sending» after a crash
    are the messages that were in flight: sent again, and flagged uncertain."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the server")
        SKIPPED = "skipped", _("Not sent: unsubscribed meanwhile")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    uncertain = models.BooleanField(default=False, help_text=_("In flight when a sender stopped: may have arrived twice."))
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once")]
        indexes = [models.Index(fields=["issue", "status"], name="newsletter_delivery_status")]
