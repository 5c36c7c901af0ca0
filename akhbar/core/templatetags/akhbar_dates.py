"""Dates and numbers in the site's regional style (RegionalSettings: time zone, month names, digits, Hijri adjustment).

The formatting itself lives in `akhbar.arabic.dates` (pure Python); these tags only fetch the
current site's settings, once per request (Wagtail caches them on the request object).
"""

from django import template
from django.utils.html import format_html

from akhbar.arabic.dates import Dateline, dateline
from akhbar.arabic.digits import localize_digits
from akhbar.core.models import RegionalSettings

register = template.Library()


def regional_settings(context) -> RegionalSettings:
    """The current site's settings, or the defaults when there is no request or no site (e.g. error pages)."""
    request = context.get("request")
    if request is not None:
        try:
            return RegionalSettings.for_request(request)
        except RegionalSettings.DoesNotExist:
            pass
    return RegionalSettings()


def site_dateline(context, moment) -> Dateline | None:
    if not moment:
        return None
    regional = regional_settings(context)
    return dateline(
        moment,
        time_zone=regional.time_zone,
        month_style=regional.month_style,
        digits=regional.digits,
        hijri_adjustment=regional.hijri_adjustment,
    )


@register.inclusion_tag("components/dates.html", takes_context=True)
def article_dates(context, article):
    """The article's publication date: Gregorian with time, and Hijri (Umm al-Qura)."""
    return {"published": site_dateline(context, getattr(article, "published_at", None))}


@register.simple_tag(takes_context=True)
def local_date(context, moment):
    """A short `<time>` for cards: «29 نوفمبر 2026» in the site's style."""
    line = site_dateline(context, moment)
    if line is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', line.iso, line.short_gregorian)


@register.simple_tag(takes_context=True)
def site_digits(context, value):
    """`value` with the site's digits (Western or Arabic-Indic)."""
    return localize_digits(str(value), regional_settings(context).digits)
