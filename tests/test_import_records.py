"""From a corpus record to article values: dates, paragraphs, slugs and the shortcuts the importer takes."""

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from akhbar.arabic.text import clean_line
from akhbar.importers.jsonl import JsonLine
from akhbar.importers.records import RecordError, article_from_line, one_line, paragraphs_html, parse_date
from akhbar.news.models import ArticlePage

TUNIS = zoneinfo.ZoneInfo("Africa/Tunis")


def parse(**fields):
    data = {"id": "X-1", "title": "عنوان", "body": "نص", "category": "sport", "date": "2018-01-10T08:00:00+00:00"}
    data.update(fields)
    return article_from_line(JsonLine(Path("f.jsonl"), 7, data), TUNIS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-07-30T07:12:48+00:00", dt.datetime(2018, 7, 30, 7, 12, 48, tzinfo=dt.UTC)),
        ("2017-01-22T17:18:00+01:00", dt.datetime(2017, 1, 22, 16, 18, tzinfo=dt.UTC)),
        ("2016-07-01", dt.datetime(2016, 7, 1, 12, 0, tzinfo=TUNIS)),
        ("2016-07-01T09:30:00", dt.datetime(2016, 7, 1, 9, 30, tzinfo=TUNIS)),
    ],
)
def test_dates(value, expected):
    assert parse_date(value, TUNIS) == expected


@pytest.mark.parametrize("value", ["", "30/07/2018", "2018-02-30", "yesterday", "2018-07-30T25:00"])
def test_impossible_dates_are_refused(value):
    with pytest.raises(RecordError):
        parse_date(value, TUNIS)


def test_paragraphs_are_escaped_text_with_hashtags_as_words():
    body = "أول\u00a0فقرة   مع #وسم_طويل و#وسم.\r\n\r\n\n  ثانية <b>عريضة</b>\nوسطر\x00 آخر  \n\n"
    assert paragraphs_html(body) == [
        "<p>أول فقرة مع وسم طويل ووسم.</p>",
        "<p>ثانية &lt;b&gt;عريضة&lt;/b&gt;<br/>وسطر آخر</p>",
    ]


@pytest.mark.parametrize(
    "text",
    ["عنوان عادي", "  مسافات   كثيرة ", "خبر\u202e معكوس", "سطر\nثانٍ", "e\u0301", "\u200fفرانس 24\u200f", "tab\there"],
)
def test_fast_one_line_cleaning_matches_clean_line(text):
    assert one_line(text) == clean_line(text)


def test_search_text_shortcut_gives_the_words_of_the_real_body():
    """The importer indexes a plain-text copy of the body; it must hold exactly the words of the real one."""
    item = parse(body="فقرة <script>x</script> &amp; أولى\n\nثانية\nوسطر #وسم_هنا")
    body_field = ArticlePage._meta.get_field("body")
    real = body_field.get_searchable_content(body_field.to_python(item.body_blocks()))
    shortcut = body_field.get_searchable_content(body_field.to_python(item.search_blocks()))
    assert " ".join(shortcut).split() == " ".join(real).split()


def test_record_values_are_cleaned():
    item = parse(
        id=" X-1 ",
        title="عنوان\u202e مقلوب",
        tags=["#كأس_العالم", "كأس العالم", " ", "تونس"],
        author="\u2067العربية.نت\u2069",
        publisher="سكاي نيوز عربية",
        source_url="https://example.com/أخبار/عنوان طويل",
        summary="  ملخص\nعلى سطرين  ",
    )
    assert item.external_id == "X-1" and item.line_no == 7
    assert item.title == "عنوان مقلوب"
    assert item.slug_base == "عنوان-مقلوب"
    assert item.tags == ["كأس العالم", "تونس"]
    assert item.author_name == "العربية.نت"
    assert item.source_url == "https://example.com/أخبار/عنوان%20طويل"
    assert item.lede == "ملخص على سطرين"


def test_numeric_ids_are_accepted_as_text():
    assert parse(id=12345).external_id == "12345"


def test_checksum_follows_content_and_section():
    first, same, other = parse(), parse(), parse(title="عنوان آخر")
    for item in (first, same, other):
        item.section_id = 3
    assert first.compute_checksum() == same.compute_checksum() != other.compute_checksum()
    same.section_id = 4
    assert same.compute_checksum() != first.compute_checksum()
