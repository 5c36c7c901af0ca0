"""Readers' comments on articles, their moderation, and the site's comment policy."""

import datetime as dt
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

SETTINGS_CACHE_KEY = "akhbar:comments:settings"
SETTINGS_CACHE_TIMEOUT = 3600

# Two visible levels: a comment (depth 0) and its replies (depth 1). A reply to a reply joins
# the same thread at depth 1, so the depth is bounded whatever readers do.
MAX_DEPTH = 1


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        # Its author had it deleted while others' replies hang from it: the thread keeps its
        # place, shown as «deleted», with nothing of the author left (see `erase`).
        REMOVED = "removed", _("Deleted by its author")

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    # The comment actually answered: the thread head (`parent`) or a reply in its thread (a
    # reply to a reply joins the thread, MAX_DEPTH). Its author is the one told of the reply.
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
        verbose_name=_("in answer to"),
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), max_length=254, help_text=_("Never shown to readers."))
    text = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    notify_replies = models.BooleanField(_("email me replies"), default=False)
    spam_reasons = models.CharField(_("why it was held"), max_length=300, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    # When the author of the comment this one replies to was emailed about it (once at most).
    reply_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("moderated by"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-id"]
        indexes = [
            # The article's page: its approved comments (and replies) in posting order.
            models.Index(fields=["article", "status", "parent", "id"], name="comments_thread"),
            # The moderation queue.
            models.Index(fields=["status", "-id"], name="comments_queue"),
            models.Index(fields=["email"], name="comments_email"),
        ]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"{self.name}: {excerpt}"

    def save(self, *args, **kwargs):
        # A reply made without saying which comment it answers (the ORM, an import) answers its
        # thread's head.
        if self._state.adding and self.parent_id and self.reply_to_id is None:
            self.reply_to_id = self.parent_id
        super().save(*args, **kwargs)

    @cached_property
    def html(self) -> str:
        from .text import render_html

        return render_html(self.text)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_removed(self) -> bool:
        return self.status == self.Status.REMOVED

    def erase(self) -> None:
        """Delete this comment at its author's request without taking other readers' replies
        with it: a public comment others answered (approved or waiting replies) becomes a
        placeholder stripped of the author's name, address, text and traces; any other comment
        is deleted, with a thread a moderator had hidden. (A
        placeholder whose last reply is deleted goes too: signals.comment_deleted; one whose
        replies are all rejected stays, unseen: listing.threads.)"""
        others = self.replies.exclude(email=self.email).filter(status__in=THREAD_KEEPING)
        if self.parent_id is None and self.is_public and others.exists():
            self.status = self.Status.REMOVED
            self.name = self.email = self.text = self.user_agent = self.spam_reasons = ""
            self.ip_address = None
            self.notify_replies = False
            self.save()
            self.replies.exclude(status__in=THREAD_KEEPING).delete()
            return
        self.delete()

    @classmethod
    def drop_empty_placeholder(cls, comment_id: int) -> None:
        """A placeholder with no reply left to keep its place has nothing to show."""
        placeholder = cls.objects.filter(pk=comment_id, status=cls.Status.REMOVED).first()
        if placeholder is not None and not placeholder.replies.filter(status__in=THREAD_KEEPING).exists():
            placeholder.delete()


# Replies that keep a deleted comment's place in its thread (spam and rejected ones do not).
THREAD_KEEPING = (Comment.Status.APPROVED, Comment.Status.PENDING)
# Top-level comments shown under an article: approved ones, and placeholders for deleted ones.
SHOWN_IN_THREADS = (Comment.Status.APPROVED, Comment.Status.REMOVED)


class Ban(models.Model):
    """An email address or client IP whose comments are refused."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        IP = "ip", _("IP address")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("comment ban")
        verbose_name_plural = _("comment bans")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="comments_ban_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @classmethod
    def normalise(cls, kind: str, value: str) -> str:
        """The form comments are compared in: a lowercase email, a canonical IP address (an
        IPv4-mapped IPv6 address as IPv4, as client_ip gives it). ValueError for a bad IP."""
        value = (value or "").strip()
        if kind == cls.Kind.EMAIL:
            return value.lower()
        if kind == cls.Kind.IP:
            address = ipaddress.ip_address(value)
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
                address = address.ipv4_mapped
            return str(address)
        return value

    def clean(self) -> None:
        try:
            self.value = self.normalise(self.kind, self.value)
        except ValueError:
            raise ValidationError({"value": _("This is not an IP address (IPv4 or IPv6).")}, code="invalid")

    def save(self, *args, **kwargs):
        try:
            self.value = self.normalise(self.kind, self.value)
        except ValueError:
            self.value = self.value.strip()  # not an address: it can never match, but is kept as typed
        super().save(*args, **kwargs)

    @classmethod
    def is_banned(cls, email: str, ip: str | None) -> bool:
        query = models.Q(kind=cls.Kind.EMAIL, value=email.lower())
        if ip:
            query |= models.Q(kind=cls.Kind.IP, value=ip)
        return cls.objects.filter(query).exists()


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    """How comments are held, when they close, and what counts as spam."""

    POLICY_ALL_HELD = "all"
    POLICY_FIRST_HELD = "first"
    POLICY_OPEN = "open"
    POLICY_CHOICES = [
        (POLICY_ALL_HELD, _("Hold every comment for moderation")),
        (POLICY_FIRST_HELD, _("Hold a commenter's first comment (an email with an approved comment is trusted)")),
        (POLICY_OPEN, _("Publish comments at once")),
    ]

    enabled = models.BooleanField(_("comments on"), default=True)
    policy = models.CharField(_("moderation"), max_length=8, choices=POLICY_CHOICES, default=POLICY_FIRST_HELD)
    close_after_days = models.PositiveIntegerField(
        _("close after (days)"), default=0, help_text=_("Close comments this many days after publication; 0 never closes them.")
    )
    max_links = models.PositiveSmallIntegerField(
        _("most links in a comment"), default=2, help_text=_("A comment with more links is refused.")
    )
    blocked_words = models.TextField(
        _("blocked words"), blank=True, help_text=_("One per line. A comment containing one is marked as spam.")
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    blocked_domains = models.TextField(
        _("blocked domains"), blank=True, help_text=_("One per line (example.com also blocks its subdomains).")
    )

    panels = [
        MultiFieldPanel([FieldPanel("enabled"), FieldPanel("policy"), FieldPanel("close_after_days")], heading=_("Moderation")),
        MultiFieldPanel([FieldPanel("max_links"), FieldPanel("blocked_words"), FieldPanel("blocked_domains")], heading=_("Spam")),
    ]

    class Meta:
        verbose_name = _("comment settings")

    @classmethod
    def cached(cls) -> "CommentSettings":
        """The settings from the shared cache (no query on the article page); saving them
        clears the copy (signals.py). A cache that fails means a query, never an error."""
        try:
            found = cache.get(SETTINGS_CACHE_KEY)
        except Exception:
            found = None
        if found is None:
            found = cls.load()
            try:
                cache.set(SETTINGS_CACHE_KEY, found, SETTINGS_CACHE_TIMEOUT)
            except Exception:
                pass
        return found

    def lines(self, field: str) -> list[str]:
        return [line.strip().lower() for line in getattr(self, field).splitlines() if line.strip()]

    def closed_for(self, article, now: dt.datetime | None = None) -> bool:
        """Closed site-wide, by the article's own switch, or by age."""
        if not self.enabled or not article.comments_open:
            return True
        if self.close_after_days and article.published_at:
            now = now or timezone.now()
            return now - article.published_at > dt.timedelta(days=self.close_after_days)
        return False
