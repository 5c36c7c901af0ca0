"""Gregorian and Hijri (Umm al-Qura) dates written the way Arab readers expect.

Three month-name traditions are in use across the Arabic-speaking world:
Egypt and the Gulf say يناير, the Levant and Iraq say كانون الثاني, the Maghreb says جانفي.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from hijridate import Gregorian

from .digits import localize_digits

MONTHS_EGYPTIAN = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
MONTHS_LEVANTINE = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)
MONTHS_MAGHREBI = (
    "جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان",
    "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
MONTH_STYLES = {
    "egyptian": MONTHS_EGYPTIAN,
    "levantine": MONTHS_LEVANTINE,
    "maghrebi": MONTHS_MAGHREBI,
}
HIJRI_MONTHS = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


def gregorian_date(day: dt.date, month_style: str = "egyptian", digits: str = "latn", weekday: bool = True) -> str:
    """`day` as e.g. «الأحد 29 نوفمبر 2026» (or «29 نوفمبر 2026» without the weekday, for cards)."""
    months = MONTH_STYLES.get(month_style, MONTHS_EGYPTIAN)
    text = f"{day.day} {months[day.month - 1]} {day.year}"
    if weekday:
        text = f"{WEEKDAYS[day.weekday()]} {text}"
    return localize_digits(text, digits)


def hijri_parts(day: dt.date, adjustment: int = 0) -> tuple[int, int, int] | None:
    """(year, month, day) in the Umm al-Qura calendar, shifted by the site's day adjustment.

    The adjustment lets a newsroom follow its local moon-sighting announcement, which can
    differ from the computed calendar by a day or two. Returns None outside the range the
    Umm al-Qura tables cover (1343–1500 AH).
    """
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
        if adjustment:
            shifted = day + dt.timedelta(days=adjustment)
            hijri = Gregorian(shifted.year, shifted.month, shifted.day).to_hijri()
    except (OverflowError, ValueError):
        return None
    return hijri.year, hijri.month, hijri.day


def hijri_date(day: dt.date, adjustment: int = 0, digits: str = "latn") -> str:
    """`day` in the Hijri calendar, e.g. «19 جمادى الآخرة 1448 هـ»; empty when out of range."""
    parts = hijri_parts(day, adjustment)
    if parts is None:
        return ""
    year, month, mday = parts
    return localize_digits(f"{mday} {HIJRI_MONTHS[month - 1]} {year} هـ", digits)


def clock_time(moment: dt.datetime, digits: str = "latn") -> str:
    """24-hour time «14:05», the convention of Arabic news sites."""
    return localize_digits(moment.strftime("%H:%M"), digits)


def to_zone(moment: dt.datetime, time_zone: str) -> dt.datetime:
    """`moment` on the wall clock of `time_zone`; naive values are taken as UTC, unknown zones as UTC.

    The calendar day of a story is the reader's day: 23:30 UTC is already tomorrow in Riyadh,
    in both calendars.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return moment.astimezone(zone)


@dataclass(frozen=True)
class Dateline:
    """A moment written for a site's readers: machine-readable and in both calendars."""

    iso: str  # for <time datetime="…">, with the site's UTC offset
    gregorian: str
    short_gregorian: str
    time: str
    hijri: str  # "" outside the Umm al-Qura tables


def dateline(
    moment: dt.datetime,
    time_zone: str = "UTC",
    month_style: str = "egyptian",
    digits: str = "latn",
    hijri_adjustment: int = 0,
) -> Dateline:
    """Everything a page prints about `moment`, in the site's time zone, month names and digits."""
    local = to_zone(moment, time_zone)
    day = local.date()
    return Dateline(
        iso=local.isoformat(timespec="minutes"),
        gregorian=gregorian_date(day, month_style, digits),
        short_gregorian=gregorian_date(day, month_style, digits, weekday=False),
        time=clock_time(local, digits),
        hijri=hijri_date(day, hijri_adjustment, digits),
    )
