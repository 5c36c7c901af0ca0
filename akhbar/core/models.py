"""Site-wide settings editable in the admin, and the scheduler's bookkeeping."""

import zoneinfo

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .sites import CachedSiteSetting

TIME_ZONE_CHOICES = [
    ("Asia/Riyadh", _("Riyadh, Kuwait, Baghdad, Doha")),
    ("Asia/Dubai", _("Dubai, Muscat")),
    ("Africa/Cairo", _("Cairo")),
    ("Asia/Amman", _("Amman")),
    ("Asia/Beirut", _("Beirut")),
    ("Asia/Damascus", _("Damascus")),
    ("Asia/Jerusalem", _("Jerusalem")),
    ("Asia/Gaza", _("Gaza")),
    ("Africa/Tunis", _("Tunis")),
    ("Africa/Algiers", _("Algiers")),
    ("Africa/Casablanca", _("Rabat, Casablanca")),
    ("Africa/Tripoli", _("Tripoli")),
    ("Africa/Khartoum", _("Khartoum")),
    ("Asia/Aden", _("Sanaa, Aden")),
    ("Africa/Nouakchott", _("Nouakchott")),
    ("Europe/London", _("London")),
    ("UTC", _("UTC")),
]


@register_setting(icon="globe")
class RegionalSettings(CachedSiteSetting, BaseSiteSetting):
    """How dates and numbers are written for this site's readers."""

    MONTHS_EGYPTIAN = "egyptian"
    MONTHS_LEVANTINE = "levantine"
    MONTHS_MAGHREBI = "maghrebi"
    MONTH_STYLE_CHOICES = [
        (MONTHS_EGYPTIAN, _("يناير، فبراير… (Egypt, Gulf)")),
        (MONTHS_LEVANTINE, _("كانون الثاني، شباط… (Levant, Iraq)")),
        (MONTHS_MAGHREBI, _("جانفي، فيفري… (Maghreb)")),
    ]
    DIGITS_WESTERN = "latn"
    DIGITS_ARABIC = "arab"
    DIGIT_CHOICES = [
        (DIGITS_WESTERN, _("Western digits (0123456789)")),
        (DIGITS_ARABIC, _("Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩)")),
    ]

    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Riyadh")
    month_style = models.CharField(
        _("month names"), max_length=16, choices=MONTH_STYLE_CHOICES, default=MONTHS_EGYPTIAN
    )
    hijri_adjustment = models.SmallIntegerField(
        _("Hijri day adjustment"),
        default=0,
        choices=[(n, f"{n:+d}") for n in range(-2, 3)],
        help_text=_("Shift Hijri dates to follow the local moon-sighting announcement."),
    )
    digits = models.CharField(_("digits"), max_length=4, choices=DIGIT_CHOICES, default=DIGITS_WESTERN)

    panels = [
        MultiFieldPanel(
            [FieldPanel("time_zone"), FieldPanel("month_style"), FieldPanel("hijri_adjustment"), FieldPanel("digits")],
            heading=_("Dates and numbers"),
        )
    ]

    class Meta:
        verbose_name = _("regional settings")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class PeriodicJobRun(models.Model):
    """When each periodic job last started, so several workers run it once per interval."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField()

    class Meta:
        verbose_name = _("periodic job run")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_started_at:%Y-%m-%d %H:%M:%S}"
