"""Dates as Arab readers expect them: month-name traditions, digits, Umm al-Qura Hijri, the reader's day."""

import datetime as dt

import pytest

from akhbar.arabic.dates import dateline, gregorian_date, hijri_date, to_zone

UTC = dt.UTC


@pytest.mark.parametrize(
    ("style", "month"),
    [("egyptian", "يناير"), ("levantine", "كانون الثاني"), ("maghrebi", "جانفي")],
)
def test_month_name_follows_the_regional_style(style, month):
    assert gregorian_date(dt.date(2026, 1, 11), style) == f"الأحد 11 {month} 2026"


def test_unknown_month_style_falls_back_to_egyptian_names():
    assert "فبراير" in gregorian_date(dt.date(2026, 2, 1), "klingon")


def test_card_dates_can_leave_out_the_weekday():
    assert gregorian_date(dt.date(2026, 7, 4), "maghrebi", weekday=False) == "4 جويلية 2026"


def test_arabic_indic_digits_replace_every_western_digit():
    text = gregorian_date(dt.date(2025, 12, 31), "levantine", "arab")
    assert text == "الأربعاء ٣١ كانون الأول ٢٠٢٥"
    assert not any(ch.isascii() and ch.isdigit() for ch in text)


def test_hijri_date_follows_umm_al_qura():
    # 1 Ramadan 1446 AH fell on 1 March 2025 in the Umm al-Qura calendar.
    assert hijri_date(dt.date(2025, 3, 1)) == "1 رمضان 1446 هـ"
    assert hijri_date(dt.date(2025, 2, 28)) == "29 شعبان 1446 هـ"


@pytest.mark.parametrize(("adjustment", "expected"), [(-1, "29 شعبان 1446 هـ"), (1, "2 رمضان 1446 هـ"), (2, "3 رمضان 1446 هـ")])
def test_hijri_adjustment_shifts_the_day_across_month_ends(adjustment, expected):
    assert hijri_date(dt.date(2025, 3, 1), adjustment) == expected


def test_hijri_date_with_arabic_indic_digits():
    assert hijri_date(dt.date(2025, 3, 1), digits="arab") == "١ رمضان ١٤٤٦ هـ"


def test_hijri_date_outside_the_tables_is_empty_not_an_error():
    assert hijri_date(dt.date(1800, 1, 1)) == ""
    assert hijri_date(dt.date(2200, 1, 1)) == ""


def test_late_evening_utc_is_already_tomorrow_in_riyadh_in_both_calendars():
    moment = dt.datetime(2025, 2, 28, 22, 30, tzinfo=UTC)  # 01:30 on 1 March in Riyadh
    riyadh = dateline(moment, "Asia/Riyadh")
    london = dateline(moment, "Europe/London")
    assert riyadh.gregorian == "السبت 1 مارس 2025"
    assert riyadh.hijri == "1 رمضان 1446 هـ"
    assert riyadh.time == "01:30"
    assert riyadh.iso == "2025-03-01T01:30+03:00"
    assert london.gregorian == "الجمعة 28 فبراير 2025"
    assert london.hijri == "29 شعبان 1446 هـ"
    assert london.iso == "2025-02-28T22:30+00:00"


def test_early_morning_utc_is_still_yesterday_west_of_greenwich():
    moment = dt.datetime(2025, 3, 1, 0, 30, tzinfo=UTC)
    new_york = dateline(moment, "America/New_York")
    assert new_york.short_gregorian == "28 فبراير 2025"
    assert new_york.hijri == "29 شعبان 1446 هـ"
    assert dateline(moment, "Asia/Dubai").time == "04:30"


def test_daylight_saving_time_changes_the_offset():
    winter = dateline(dt.datetime(2025, 1, 15, 12, tzinfo=UTC), "Asia/Beirut")
    summer = dateline(dt.datetime(2025, 7, 15, 12, tzinfo=UTC), "Asia/Beirut")
    assert winter.iso.endswith("+02:00") and winter.time == "14:00"
    assert summer.iso.endswith("+03:00") and summer.time == "15:00"


def test_naive_datetimes_are_taken_as_utc_and_unknown_zones_fall_back_to_utc():
    naive = dt.datetime(2025, 3, 1, 23, 0)
    assert to_zone(naive, "Asia/Riyadh").day == 2
    assert dateline(naive, "Not/AZone").iso == "2025-03-01T23:00+00:00"
    assert dateline(naive, "../../etc/passwd").time == "23:00"


def test_dateline_combines_styles_digits_and_adjustment():
    line = dateline(dt.datetime(2025, 2, 28, 22, 30, tzinfo=UTC), "Asia/Amman", "levantine", "arab", 1)
    assert line.gregorian == "السبت ١ آذار ٢٠٢٥"
    assert line.short_gregorian == "١ آذار ٢٠٢٥"
    assert line.hijri == "٢ رمضان ١٤٤٦ هـ"
    assert line.time == "٠١:٣٠"  # Jordan has kept UTC+3 all year since 2022
    assert line.iso == "2025-03-01T01:30+03:00"  # the attribute stays machine-readable
