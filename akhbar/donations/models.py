"""Campaigns (pages editors create in the tree), donations, the providers' events already
handled, and the appeal's settings.

A campaign's «raised» figure and donor count are kept on its row and changed in the same
transaction as the donation they count, so a campaign page never sums a table that may hold
hundreds of thousands of donations.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from akhbar.core.sites import CachedSiteSetting, CachedViewRestrictions

from . import money

CURRENCY_CHOICES = [(code, code) for code in money.CURRENCIES]
COUNTER_FIELDS = {"raised", "donors"}  # kept by the ledger alone


class CampaignPage(CachedViewRestrictions, Page):
    """A donation campaign: what the money is for, its goal and progress, and the form."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("why give"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h2", "h3"])
    goal = models.DecimalField(_("goal"), max_digits=14, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="USD")
    suggested_amounts = models.CharField(
        _("suggested amounts"), max_length=120, default="10, 25, 50, 100", help_text=_("Separated by commas, in the campaign's currency.")
    )
    allow_monthly = models.BooleanField(_("offer monthly giving"), default=True)
    accepting = models.BooleanField(_("accepting donations"), default=True, help_text=_("Off: the page stays, the form closes."))
    thanks_text = models.CharField(_("thank-you message"), max_length=300, blank=True)
    # Kept by akhbar/donations/ledger.py in the donation's own transaction.
    raised = models.DecimalField(_("raised"), max_digits=14, decimal_places=3, default=Decimal(0), editable=False)
    donors = models.PositiveIntegerField(_("donations"), default=0, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("goal"), FieldPanel("currency"), FieldPanel("suggested_amounts"), FieldPanel("allow_monthly"), FieldPanel("accepting")],
            heading=_("giving"),
        ),
        FieldPanel("thanks_text"),
    ]
    subpage_types: list[str] = []
    parent_page_types = ["news.HomePage"]
    template = "donations/campaign_page.html"

    class Meta:
        verbose_name = _("donation campaign")
        verbose_name_plural = _("donation campaigns")

    def save(self, *args, **kwargs):
        """An editor's save or publish never writes the totals: the page (or the revision being
        published) holds figures read before the latest donations were counted."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in COUNTER_FIELDS]
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        """A revision carries the totals of its day; the page shows today's."""
        page = super().with_content_json(content)
        page.raised, page.donors = self.raised, self.donors
        return page

    @property
    def suggestions(self) -> list[Decimal]:
        return money.parse_suggestions(self.suggested_amounts, self.currency)

    @property
    def percent(self) -> int:
        """Progress toward the goal, 0–100 for the bar (the figure beside it may exceed 100 %)."""
        if not self.goal:
            return 0
        return max(0, min(100, int(self.raised * 100 / self.goal)))

    def get_context(self, request, *args, **kwargs):
        from .forms import DonationForm

        context = super().get_context(request, *args, **kwargs)
        context["form"] = kwargs.get("form") or DonationForm(campaign=self)
        return context


class Donation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PLEDGED = "pledged", _("Pledged (bank transfer awaited)")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed or abandoned")
        REFUNDED = "refunded", _("Refunded")

    class Frequency(models.TextChoices):
        ONCE = "once", _("One-off")
        MONTHLY = "monthly", _("Monthly")

    campaign = models.ForeignKey(CampaignPage, on_delete=models.PROTECT, related_name="donations", verbose_name=_("campaign"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.ONCE)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    anonymous = models.BooleanField(_("anonymous"), default=False, help_text=_("Never name this donor in public."))
    message = models.TextField(_("message"), blank=True)
    provider = models.CharField(_("payment"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    # The provider's ids: checkout session, payment (for refunds), subscription (monthly).
    provider_session = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    provider_payment = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    provider_subscription = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    # A monthly donation's later payments point at the first one.
    renewal_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="renewals", editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("monthly giving stopped"), null=True, blank=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["campaign", "status", "-id"], name="donation_campaign_status"),
            models.Index(fields=["email"], name="donation_email"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.amount} {self.currency}"

    @property
    def is_monthly(self) -> bool:
        return self.frequency == self.Frequency.MONTHLY and self.renewal_of_id is None

    @property
    def active_monthly(self) -> bool:
        return self.is_monthly and self.cancelled_at is None and self.status in {self.Status.PAID, self.Status.PLEDGED}

    @property
    def public_name(self) -> str:
        return "" if self.anonymous else self.name


class ProviderEvent(models.Model):
    """A provider's webhook event already applied: a repeated delivery changes nothing."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=100)
    # The payment it is about, when the donation it belongs to may not be known yet (a refund
    # that arrives before the payment's own event).
    payment = models.CharField(max_length=255, blank=True, db_index=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="donation_event_once")]


@register_setting(icon="pick")
class DonationSettings(CachedSiteSetting, BaseSiteSetting):
    """The appeal shown on articles, and what the offline provider tells donors."""

    class Placement(models.TextChoices):
        INLINE = "inline", _("A box after the article")
        BANNER = "banner", _("A banner at the bottom of the screen")

    appeal_on = models.BooleanField(_("show the appeal on articles"), default=False)
    appeal_campaign = models.ForeignKey(
        CampaignPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("campaign")
    )
    appeal_text = models.CharField(
        _("appeal text"), max_length=300, blank=True, help_text=_("Empty: the campaign's introduction.")
    )
    appeal_placement = models.CharField(_("placement"), max_length=8, choices=Placement.choices, default=Placement.INLINE)
    appeal_pause_days = models.PositiveSmallIntegerField(
        _("after a reader closes it, hide it for (days)"), default=7, validators=[MinValueValidator(1)]
    )
    appeal_views_per_day = models.PositiveSmallIntegerField(
        _("show it on at most this many articles a day"), default=3, validators=[MinValueValidator(1)]
    )
    copy_adds_link = models.BooleanField(
        _("add the article's link to copied text"), default=False,
        help_text=_("Copying is never blocked; this only appends «Source: <link>» to what readers copy."),
    )
    transfer_instructions = models.TextField(
        _("bank transfer details"), blank=True,
        help_text=_("Shown to donors who pledge by bank transfer: account name, IBAN, bank, what to write as the reference."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("appeal_on"),
                PageChooserPanel("appeal_campaign", ["donations.CampaignPage"]),
                FieldPanel("appeal_text"),
                FieldPanel("appeal_placement"),
                FieldPanel("appeal_pause_days"),
                FieldPanel("appeal_views_per_day"),
            ],
            heading=_("appeal on articles"),
        ),
        FieldPanel("copy_adds_link"),
        FieldPanel("transfer_instructions"),
    ]

    class Meta:
        verbose_name = _("donations")
