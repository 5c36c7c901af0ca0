"""No input ever gives a 500: the search page, the API's `search=` and the admin's search, over HTTP.

Property-based (hypothesis): queries built from full-text syntax of FTS5 and tsquery, control
and bidi characters, diacritics and tatweel alone, mixed scripts, odd Unicode, 10,000
characters, and raw percent-encoded bytes that are not UTF-8 at all. Every answer must be a
page (HTML for readers, JSON for the API, 400 with a message for a parameter the API refuses),
and the API's count must agree with what it lists. Runs on SQLite, and on PostgreSQL when
DATABASE_URL points at one.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from akhbar.arabic.analysis.normalize import IGNORABLE
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"
SEARCH_PAGE = "/search/"
# ~50 examples a property keeps the suite fast; the data stays in place between examples (read-only).
BAD_INPUT = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

SYNTAX = ['"', "*", "NEAR", "NEAR(", ":", "^", "(", ")", "{", "}", "AND", "OR", "NOT", "-", "'", "\\", "&", "|",
          "!", "<->", ":*", "+", "~", "%", "_", "[", "]", ";", "--", "/*", "title:", "body_stems:", "$", "@@"]  # fmt: skip
CONTROLS = ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\t", "\n", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe"]
BIDI = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
MARKS = ["\u064b", "\u064e", "\u0650", "\u0651", "\u0652", "\u0670", "\u0640", "\u0300", "\u20dd"]  # harakat, tatweel, combining
WORDS = ["الولايات", "بالولايات", "ال", "و", "في", "على", "Trump", "Путин", "川普", "١٢٣", "2018", "ﻻ", "ﷲ", "🇺🇸",
         "👨‍👩‍👧", "\U000e0041", "\U0010ffff", "x" * 41, "<script>", "&amp;", "%00", "%D8%A7"]  # fmt: skip
NO_WORD = [piece for piece in SYNTAX if not any(ch.isalnum() for ch in piece)] + CONTROLS + BIDI + MARKS + [" ", "\u00a0", "\u3000"]
PIECES = st.sampled_from(SYNTAX + CONTROLS + BIDI + MARKS + WORDS + [" ", "\u00a0"])

# Any code point Django's test client can send (no surrogates: UTF-8 cannot carry them; raw bytes below).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
QUERIES = st.one_of(
    st.lists(st.one_of(PIECES, ANY_TEXT), max_size=14).map("".join),
    st.tuples(PIECES, st.integers(1, 10_000)).map(lambda pair: (pair[0] * pair[1])[:10_000]),
)
# Raw query-string bytes, percent-encoded: invalid UTF-8, encoded surrogates, overlong forms, stray "%".
RAW_BYTES = st.one_of(
    st.binary(max_size=40).map(lambda data: "".join(f"%{byte:02X}" for byte in data)),
    st.sampled_from(["%ED%A0%80", "%ED%BF%BF", "%C0%80", "%FF%FE", "%", "%%", "%zz", "%u0627", "%D8", "+", "%2B%26%3D", "q=%00"]),
)


def any_query(test):
    """Run `test` for the queries QUERIES builds, and always for 10,000 characters and for NUL with a bidi override."""
    test = example(query="\x00\u202e")(example(query="x" * 10_000)(test))
    return BAD_INPUT(given(query=QUERIES)(test))


@pytest.fixture
def site_articles(home):
    news = make_section(home, "أخبار", slug="news")
    return {
        "us": make_article(news, "انتخابات الولايات المتحدة", external_id="us"),
        "cairo": make_article(news, "مؤتمر في القاهرة", external_id="cairo"),
        "oil": make_article(news, "أسعار النفط ترتفع", external_id="oil"),
    }


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("h6-editor", "editor@example.org", "secret-pass-123"))
    return client


def assert_html_page(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    assert b"<html" in response.content.lower()


def assert_api_answer(response, limit: int = 20) -> dict:
    """A 200 whose count agrees with its items, or a 400 that says why: never anything else."""
    assert response.status_code in (200, 400), response.content[:300]
    body = json.loads(response.content)
    if response.status_code == 400:
        assert body["message"]
        return body
    assert 0 <= len(body["items"]) <= min(limit, body["meta"]["total_count"])
    return body


def api(client, search: str, **params):
    return client.get(API, {"search": search, "type": "news.ArticlePage", "fields": "external_id", **params})


# The search page -------------------------------------------------------------------------------


@any_query
@example(query="")
@example(query="   \t\n")
@example(query="ًٌٍَُِّْـــ")
@example(query="\"NEAR(الولايات* title:^ AND (OR NOT -'\\")
def test_search_page_answers_every_query_with_a_page(client, site_articles, query):
    assert_html_page(client.get(SEARCH_PAGE, {"q": query}))


@BAD_INPUT
@given(raw=RAW_BYTES)
def test_search_page_answers_undecodable_query_strings(client, site_articles, raw):
    assert_html_page(client.get(f"{SEARCH_PAGE}?q={raw}"))


FILTER_VALUES = st.one_of(st.sampled_from(["", "-1", "0", "1", "2", "10" * 40, "abc", "٣", "2026-13-45", "1e3", "\x00", "9" * 5000]), ANY_TEXT)


@BAD_INPUT
@given(values=st.dictionaries(st.sampled_from(["page", "sort", "section", "from", "to", "order"]), FILTER_VALUES, max_size=4))
def test_search_page_survives_any_filter_sort_or_page_value(client, site_articles, values):
    """An odd section, date, sort or page number is dropped with a notice: still the results page."""
    assert_html_page(client.get(SEARCH_PAGE, {"q": "الولايات", **values}))


@any_query
def test_suggestions_answer_every_query_with_json(client, site_articles, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200, response.content[:300]
    assert isinstance(response.json()["suggestions"], list)


def test_markup_in_the_query_is_shown_as_text(client, site_articles):
    response = client.get(SEARCH_PAGE, {"q": '<script>alert("x")</script> الولايات'})
    assert_html_page(response)
    assert b'<script>alert("x")' not in response.content


# The API ------------------------------------------------------------------------------------


@any_query
@example(query="")
@example(query="\u202e\u2066\u200f\x00")
@example(query="'الولايات':* & !المتحدة <-> (")
def test_api_search_answers_every_query_with_consistent_json(client, site_articles, query):
    response = api(client, query)
    assert response.status_code == 200
    items = assert_api_answer(response)["items"]
    assert all(set(item) >= {"id", "meta", "external_id"} for item in items)


@BAD_INPUT
@given(query=st.lists(st.sampled_from(NO_WORD), max_size=20).map("".join))
def test_a_query_with_no_letters_or_digits_finds_nothing(client, site_articles, query):
    body = assert_api_answer(api(client, query))
    assert body["meta"]["total_count"] == 0


@BAD_INPUT
@given(raw=RAW_BYTES)
def test_api_search_answers_undecodable_query_strings(client, site_articles, raw):
    response = client.get(f"{API}?type=news.ArticlePage&fields=external_id&search={raw}")
    assert response.status_code == 200
    assert_api_answer(response)


NUMBERS = st.sampled_from(["", "0", "1", "2", "20", "100", "101", "-1", "-0", " 5", "٣", "1e3", "abc", "\x00", str(2**31), str(2**63), "9" * 30, "9" * 5000])


@BAD_INPUT
@given(
    query=st.one_of(st.sampled_from(["الولايات", "بالولايات القاهره", "النفط OR", ""]), QUERIES),
    operator=st.one_of(st.none(), st.sampled_from(["and", "or", "AND", "Or", "", "garbage", "and or", "\x00", "near"])),
    order=st.one_of(st.none(), st.sampled_from(["-published_at", "published_at", "title", "-title", "id", "-id", "random", "lede", "", "-", "\x00", "published_at,title"])),
    offset=st.one_of(st.none(), NUMBERS),
    limit=st.one_of(st.none(), NUMBERS),
)
@example(query="الولايات", operator="and", order="-published_at", offset=str(2**63), limit="100")
@example(query="الولايات", operator=None, order=None, offset="9" * 30, limit=None)
def test_api_search_parameters_give_an_answer_or_a_reason(client, site_articles, query, operator, order, offset, limit):
    params = {"search_operator": operator, "order": order, "offset": offset, "limit": limit}
    params = {name: value for name, value in params.items() if value is not None}
    response = api(client, query, **params)
    asked = int(limit) if limit and limit.strip().isdecimal() and len(limit.strip()) <= 3 else 20
    assert_api_answer(response, limit=asked)


@BAD_INPUT
@given(
    page_type=st.one_of(st.sampled_from(["news.ArticlePage", "news.articlepage", "wagtailcore.Page", "news", "news.Nope", ".", "", "news.ArticlePage,news.SectionPage"]), ANY_TEXT),
    fields=st.one_of(st.sampled_from(["external_id", "*", "-title", "_,title", "body", "lede(x)", "tags(name)", ""]), ANY_TEXT),
)
def test_api_search_with_any_type_or_fields_gives_an_answer_or_a_reason(client, site_articles, page_type, fields):
    assert_api_answer(client.get(API, {"search": "الولايات", "type": page_type, "fields": fields}))


@pytest.mark.parametrize("offset", [str(2**31), str(2**63), "9" * 30])
def test_an_offset_past_any_database_integer_is_an_empty_page(client, site_articles, offset):
    """Wagtail hands the offset to the database, whose integers end at 2**63 (a 500 before Akhbar caps it)."""
    for params in ({}, {"search": "الولايات"}, {"search": "الولايات", "order": "-published_at"}):
        response = client.get(API, {"type": "news.ArticlePage", "offset": offset, **params})
        assert response.status_code == 200
        assert response.json()["items"] == []
        assert response.json()["meta"]["total_count"] >= 1


NOISE = st.lists(st.sampled_from(sorted(set(IGNORABLE) & set(BIDI + MARKS + ["\u200b", "\u200c", "\u200d", "\u00ad"]))), min_size=1, max_size=3).map("".join)


@BAD_INPUT
@given(noise=st.lists(NOISE, min_size=8, max_size=8))
def test_invisible_marks_inside_a_word_do_not_change_the_answer(client, site_articles, noise):
    """Bidi controls, diacritics and tatweel a reader cannot see (or pasted along) leave the word whole."""
    word = "بالولايات"
    noisy = "".join(letter + mark for letter, mark in zip(word, noise + [""], strict=False))
    items = assert_api_answer(api(client, noisy))["items"]
    assert [item["external_id"] for item in items] == ["us"]


# The admin ---------------------------------------------------------------------------------


@any_query
def test_admin_page_search_answers_every_query(editor, site_articles, query):
    response = editor.get("/admin/pages/search/", {"q": query})
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("path", ["/admin/pages/search/", "/admin/images/", "/admin/documents/", "/admin/snippets/news/author/", "/admin/pages/{home}/"])
@pytest.mark.parametrize("raw", ["%ED%A0%80", "%00%FF", "x%00y", "%", '%22NEAR(%2A', quote("ـًـ\u202e\u2069")])
def test_admin_searches_answer_undecodable_and_hostile_query_strings(editor, site_articles, home, path, raw):
    response = editor.get(f"{path.format(home=home.pk)}?q={raw}")
    assert response.status_code == 200, response.content[:300]
