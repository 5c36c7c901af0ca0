"""The reader's search page (/search/) and its suggestions endpoint (/search/suggest/).

What a reader sees: results in order of relevance (newest first on request), a count in Arabic,
filters by section and dates, pages of results, the matched words highlighted in titles and
snippets (attached particles included), a correction offer, and an Arabic sentence instead of
an error for any input. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import datetime as dt
import json
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from akhbar.news.models import ArticlePage
from akhbar.search import views
from tests.factories import make_article, make_section
from tests.test_templates import soup

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 21  # whatever the archive holds; one query word (SQLite looks each word up once); the heading bonus reads 20 titles in one
RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")  # RegionalSettings' default time zone


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=RIYADH)


def paragraph(text: str):
    return [("paragraph", f"<p>{text}</p>")]


@pytest.fixture
def site(home):
    news = make_section(home, "أخبار", slug="news")
    world = make_section(news, "أخبار حول العالم", slug="world")
    sport = make_section(home, "رياضة", slug="sport")
    economy = make_section(home, "اقتصاد", slug="economy")
    articles = {
        "title": make_article(world, "وفد الولايات المتحدة يصل إلى تونس", published_at=at(10), body=paragraph("وصل الوفد صباح اليوم.")),
        "prefixed": make_article(
            news,
            "زيارة رسمية للوفد",
            published_at=at(12),
            body=paragraph("قال المتحدث إن اللقاء الذي عقد بالولايات المتحدة تناول ملفات التجارة."),
        ),
        "sport": make_article(sport, "منتخب الولايات المتحدة يفوز بالمباراة", published_at=at(5)),
        "economy": make_article(economy, "أسعار النفط ترتفع", published_at=at(15), body=paragraph("ارتفعت أسعار النفط في الأسواق.")),
    }
    return {"news": news, "world": world, "sport": sport, "economy": economy, "articles": articles}


def result_titles(page) -> list[str]:
    return [a.get_text() for a in page.select("ol.search-results__list .search-result__title a")]


def result_urls(page) -> list[str]:
    return [a["href"] for a in page.select("ol.search-results__list .search-result__title a")]


def notices(page) -> str:
    box = page.select_one(".search-page__notices")
    return box.get_text(" ", strip=True) if box else ""


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200, params
    return soup(response)


# Results, count, order -------------------------------------------------------------------------


def test_results_are_ordered_by_relevance_with_an_arabic_count(client, site):
    page = search(client, q="الولايات المتحدة")
    titles = result_titles(page)
    assert len(titles) == 3
    # Both words in the title beat the words in the body only.
    assert set(titles[:2]) == {"وفد الولايات المتحدة يصل إلى تونس", "منتخب الولايات المتحدة يفوز بالمباراة"}
    assert titles[2] == "زيارة رسمية للوفد"
    assert page.select_one(".search-results__count").get_text(strip=True) == "3 نتائج"
    assert "«الولايات المتحدة»" in page.select_one("title").get_text()


def test_equally_relevant_results_come_newest_first(client, home):
    section = make_section(home, "أخبار", slug="news")
    older = make_article(section, "قمة المناخ", published_at=at(1))
    newer = make_article(section, "قمة المناخ", published_at=at(2))
    assert result_urls(search(client, q="قمة المناخ")) == [newer.url, older.url]


@pytest.mark.parametrize(
    ("count", "text"),
    [(1, "نتيجة واحدة"), (2, "نتيجتان"), (7, "7 نتائج"), (11, "11 نتيجة"), (0, "لا نتائج")],
)
def test_the_count_uses_arabic_plural_forms(client, home, count, text):
    section = make_section(home, "أخبار", slug="news")
    for n in range(count):
        make_article(section, f"مهرجان السينما {n}")
    make_article(section, "خبر آخر")
    assert search(client, q="مهرجان").select_one(".search-results__count").get_text(strip=True) == text


def test_the_count_follows_the_sites_digits(client, site):
    from tests.test_templates import regional

    regional(digits="arab")
    assert search(client, q="الولايات").select_one(".search-results__count").get_text(strip=True) == "٣ نتائج"


def test_sort_by_newest(client, site):
    articles = site["articles"]
    page = search(client, q="الولايات", sort="newest")
    assert result_urls(page) == [articles["prefixed"].url, articles["title"].url, articles["sport"].url]
    sort = page.select_one("nav.search-results__sort")
    assert sort.select_one("a[aria-current]").get_text(strip=True) == "الأحدث أولًا"
    # The search form keeps the order when the reader searches again.
    assert page.select_one('form[role=search] input[type=hidden][name=sort]')["value"] == "newest"
    relevance = sort.select("a")[0]["href"]
    assert "sort=" not in relevance and "q=" in relevance


# Filters ---------------------------------------------------------------------------------------


def test_section_filter_includes_subsections(client, site):
    articles = site["articles"]
    page = search(client, q="الولايات", section=site["news"].pk)
    assert sorted(result_urls(page)) == sorted([articles["title"].url, articles["prefixed"].url])
    selected = page.select_one("select[name=section] option[selected]")
    assert selected["value"] == str(site["news"].pk)
    labels = [option.get_text() for option in page.select("select[name=section] option")]
    assert labels == ["كل الأقسام", "أخبار", "— أخبار حول العالم", "رياضة", "اقتصاد"]
    assert result_urls(search(client, q="الولايات", section=site["sport"].pk)) == [articles["sport"].url]


def test_date_range_is_inclusive_in_the_sites_time_zone(client, site):
    articles = site["articles"]
    page = search(client, q="الولايات", **{"from": "2026-03-10", "to": "2026-03-12"})
    assert sorted(result_urls(page)) == sorted([articles["title"].url, articles["prefixed"].url])
    assert page.select_one("input[name=from]")["value"] == "2026-03-10"
    assert page.select_one("details.search-page__filters").has_attr("open")
    # Arabic-Indic digits typed by hand are read too.
    assert result_urls(search(client, q="الولايات", to="٢٠٢٦-٠٣-٠٥")) == [articles["sport"].url]
    # Just after midnight in Riyadh is still the 12th there, though the 11th in UTC.
    late = make_article(site["world"], "الولايات في المساء", published_at=dt.datetime(2026, 3, 12, 0, 30, tzinfo=RIYADH))
    assert late.url in result_urls(search(client, q="الولايات", **{"from": "2026-03-12", "to": "2026-03-12"}))
    assert late.url not in result_urls(search(client, q="الولايات", to="2026-03-11"))


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "yesterday", "0001-01-01", "9999999-01-01", "2026-03-10' OR 1=1"])
def test_an_invalid_date_gives_an_arabic_notice_and_is_ignored(client, site, value):
    page = search(client, q="الولايات", **{"from": value})
    assert "ليس تاريخًا صحيحًا" in notices(page)
    assert len(result_titles(page)) == 3


def test_swapped_dates_are_put_in_order(client, site):
    page = search(client, q="الولايات", **{"from": "2026-03-12", "to": "2026-03-10"})
    assert "بُدّل بينهما" in notices(page)
    assert len(result_titles(page)) == 2


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "1.5"])
def test_an_unknown_section_gives_an_arabic_notice(client, site, value):
    page = search(client, q="الولايات", section=value)
    assert "هذا القسم غير موجود" in notices(page)
    assert len(result_titles(page)) == 3


def test_a_filter_that_leaves_nothing_offers_to_search_everything(client, site):
    page = search(client, q="الولايات", section=site["economy"].pk)
    assert result_titles(page) == []
    assert "لا نتائج تطابق «الولايات»" in page.select_one(".search-results__empty").get_text()
    link = page.select_one(".search-results__empty a")
    assert link.get_text(strip=True) == "ابحث في كل الأقسام والتواريخ"
    assert "section=" not in link["href"] and "q=" in link["href"]


# Pages -----------------------------------------------------------------------------------------


@pytest.fixture
def many(home):
    section = make_section(home, "أخبار", slug="news")
    start = at(1)
    return [make_article(section, f"تقرير الطاقة رقم {n}", published_at=start + dt.timedelta(hours=n)) for n in range(45)]


def test_results_come_in_numbered_pages(client, many):
    first = search(client, q="الطاقة")
    assert len(result_titles(first)) == 20
    assert first.select_one(".search-results__count").get_text(" ", strip=True) == "45 نتيجة · الصفحة 1 من 3"
    nav = first.select_one("nav.search-pagination")
    assert nav["aria-label"] == "صفحات النتائج"
    assert nav.select_one("a[aria-current=page]").get_text(" ", strip=True) == "الصفحة 1"
    assert nav.select_one("a[rel=next]")["href"] == "?q=%D8%A7%D9%84%D8%B7%D8%A7%D9%82%D8%A9&page=2"
    assert nav.select_one("a[rel=prev]") is None

    second = search(client, q="الطاقة", page="2")
    assert second.select_one("ol.search-results__list")["start"] == "21"
    assert not set(result_urls(second)) & set(result_urls(first))
    last = search(client, q="الطاقة", page="3")
    assert len(result_titles(last)) == 5 and last.select_one("a[rel=next]") is None
    everything = set(result_urls(first)) | set(result_urls(second)) | set(result_urls(last))
    assert everything == {article.url for article in many}


def test_page_links_keep_the_filters_and_order(client, many):
    page = search(client, q="الطاقة", sort="newest", section=many[0].section_id, page="2")
    next_link = page.select_one("nav.search-pagination a[rel=next]")["href"]
    assert "sort=newest" in next_link and f"section={many[0].section_id}" in next_link and "page=3" in next_link
    assert result_urls(page) == [article.url for article in reversed(many)][20:40]


@pytest.mark.parametrize(
    ("value", "notice"),
    [
        ("9999999", "يعرض البحث 50 صفحة من النتائج على الأكثر"),
        ("99999999999999999999999", "لم نفهم رقم الصفحة"),
        ("abc", "لم نفهم رقم الصفحة"),
        ("0", "لم نفهم رقم الصفحة"),
        ("4", "لهذا البحث 3 صفحات من النتائج فقط"),
    ],
)
def test_absurd_page_numbers_get_an_arabic_notice(client, many, value, notice):
    page = search(client, q="الطاقة", page=value)
    assert notice in notices(page)
    assert page.select_one("nav.search-pagination a") is not None  # a way back to real pages


# Highlighting ----------------------------------------------------------------------------------


def test_matched_words_are_marked_in_titles_and_snippets_including_attached_particles(client, site):
    page = search(client, q="الولايات")
    results = {a["href"]: a.find_parent("article") for a in page.select(".search-result__title a")}
    prefixed = results[site["articles"]["prefixed"].url]
    assert [m.get_text() for m in prefixed.select(".search-result__snippet mark")] == ["بالولايات"]
    assert "اللقاء الذي عقد بالولايات المتحدة تناول" in prefixed.select_one(".search-result__snippet").get_text()
    titled = results[site["articles"]["title"].url]
    assert [m.get_text() for m in titled.select(".search-result__title mark")] == ["الولايات"]


def test_the_snippet_shows_the_passage_where_the_words_are(client, home):
    section = make_section(home, "أخبار", slug="news")
    filler = " ".join(["كان الطقس معتدلًا في المدينة طوال الأسبوع الماضي."] * 30)
    make_article(section, "تقرير أسبوعي", body=paragraph(filler + " وأعلنت الحكومة خطة لدعم المزارعين في الجنوب. " + filler))
    snippet = search(client, q="المزارعين").select_one(".search-result__snippet")
    text = snippet.get_text()
    assert "وأعلنت الحكومة خطة لدعم المزارعين في الجنوب" in text
    assert text.startswith("…") and text.endswith("…") and len(text) < 400
    assert [m.get_text() for m in snippet.select("mark")] == ["المزارعين"]


def test_spelling_variants_and_diacritics_are_marked_as_written(client, home):
    section = make_section(home, "أخبار", slug="news")
    make_article(section, "مُؤتمر صحفي للرئيسة", body=paragraph("عقدت الرئيسه مؤتمرا صحفيا."))
    page = search(client, q="مؤتمر")
    assert [m.get_text() for m in page.select("mark")] == ["مُؤتمر", "مؤتمرا"]


def test_hostile_titles_and_text_are_escaped_and_still_highlighted(client, home):
    section = make_section(home, "أخبار", slug="news")
    make_article(
        section,
        '<script>alert("t")</script> الانتخابات <img src=x onerror=alert(1)>',
        lede='"><b>الانتخابات</b><script>alert(2)</script>',
        body=paragraph("<i>الانتخابات</i> &lt;script&gt;alert(3)&lt;/script&gt;"),
    )
    response = client.get("/search/", {"q": "الانتخابات <script>"})
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html and "<i>" not in html
    page = soup(response)
    title = page.select_one(".search-result__title a")
    assert title.get_text() == '<script>alert("t")</script> الانتخابات <img src=x onerror=alert(1)>'
    assert {m.get_text() for m in title.select("mark")} == {"script", "الانتخابات"}  # «script» was a query word too
    assert title.select("script, img") == []
    snippet = page.select_one(".search-result__snippet")
    assert snippet.select("b, i, script") == [] and snippet.select("mark")


def test_highlighting_rules_without_the_database():
    from akhbar.search.highlight import Highlighter, html_to_text

    marked = lambda html: re.findall(r"<mark>(.*?)</mark>", str(html))  # noqa: E731
    # A query of stop words marks them as written, never the name that folds like one (علي).
    assert marked(Highlighter.for_query("على").highlight("على الطاولة وقال علي")) == ["على"]
    # Latin words whatever their case; a word glued to an Arabic article is marked whole.
    assert marked(Highlighter.for_query("bbc").highlight("قالت الـBBC إن Bbc")) == ["الـBBC", "Bbc"]
    # The snippet picks the passage with the most different query words.
    text = "النفط " + "كلام عادي هنا. " * 40 + "ارتفعت أسعار النفط في الأسواق العالمية. " + "كلام عادي هنا. " * 40
    snippet = Highlighter.for_query("أسعار النفط").snippet(text)
    assert marked(snippet) == ["أسعار", "النفط"] and str(snippet).startswith("… ارتفعت")
    # No query words: the start of the text, escaped.
    assert str(Highlighter.for_query("").snippet("<b>نص</b> قصير")) == "&lt;b&gt;نص&lt;/b&gt; قصير"
    # Rich text: blocks apart, inline markup joined.
    assert html_to_text("<p>وصل <b>بـ</b>الوفد</p><p>أمس &amp; اليوم</p>").split() == ["وصل", "بـالوفد", "أمس", "&", "اليوم"]


def test_long_texts_give_snippets_as_good_as_a_full_analysis():
    """Only the passage around the best match of a long text is analysed word by word; the
    snippet shows as many different query words as analysing every word would, and the same
    snippet where one passage alone holds the most of them."""
    from akhbar.search.highlight import Highlighter

    class EveryWord(Highlighter):
        def region(self, text, size):
            return 0, len(text)

    filler = "وقال المتحدث إن الاجتماع سيعقد في موعده المحدد. "
    texts = {
        "at the start": "ارتفعت أسعار النفط اليوم. " + filler * 60,
        "in the middle": filler * 30 + "ارتفعت أسعار النفط في الأسواق. " + filler * 30,
        "at the end": filler * 60 + "وفي الختام ارتفعت أسعار النفط",
        "two passages": filler * 10 + "النفط " + filler * 20 + "أسعار النفط والغاز. " + filler * 20,
        "nowhere": filler * 50,
        "diacritics and particles": filler * 25 + "وبِأَسْعَارِ النِّفطِ تغيّرت الحال. " + filler * 25,
    }
    marked = lambda html: re.findall(r"<mark>(.*?)</mark>", str(html))  # noqa: E731
    for query in ("أسعار النفط", "النفط"):
        for name, text in texts.items():
            assert str(Highlighter.for_query(query).snippet(text)) == str(EveryWord.for_query(query).snippet(text)), (query, name)
    # Both words in many passages (one of them in every passage): equally good windows.
    for name, text in texts.items():
        quick, full = Highlighter.for_query("الاجتماع النفط"), EveryWord.for_query("الاجتماع النفط")
        distinct = lambda highlighter, snippet: {index for word in marked(snippet) for index in highlighter.matched_terms(word, False)}  # noqa: E731
        assert distinct(quick, quick.snippet(text)) == distinct(full, full.snippet(text)), name


def test_suggestion_parts_keep_hostile_titles_as_plain_text():
    from akhbar.search.highlight import prefix_parts

    parts = prefix_parts("<img src=x onerror=alert(1)> المؤتمر", ["سياره", "img"])
    assert "".join(part["text"] for part in parts) == '<img src=x onerror=alert(1)> المؤتمر'
    assert [part["text"] for part in parts if part["mark"]] == ["img"]
    assert prefix_parts("نص", []) == [{"text": "نص", "mark": False}]


def test_stem_readings_are_parts_of_the_word_as_highlighting_assumes():
    """highlight.Highlighter rules a word out when no query reading is part of it (no stems computed).
    That holds while every stem reading is a substring of its word; if the analyser ever adds
    readings that are not, the highlighter must compute stems for every word instead."""
    from akhbar.arabic.analysis import ANALYZER

    text = (
        "وبالولايات المتحدة الأمريكية قال الرئيس للصحفيين إن المفاوضات والاتفاقيات ستستمر، "
        "وأضافت الوزيرة أن المدن والمدينة فسيكفيكهم كتابهم ومعلماتهن سيارتان مهندسون بوتين ترامب"
    )
    for token in ANALYZER.tokens(text):
        for stem in ANALYZER.stems(token.norm):
            assert stem in token.norm, (token.norm, stem)


def test_words_found_for_a_typo_are_marked_too(client, home):
    from akhbar.search.ranking import ArabicSearchQueryCompiler

    if not hasattr(ArabicSearchQueryCompiler, "alternative_terms"):
        pytest.skip("needs query expansion in the search backend (ranking.py alternative_terms)")
    section = make_section(home, "أخبار", slug="news")
    for n in range(3):
        make_article(section, f"الانتخابات الرئاسية في تونس {n}")
    page = search(client, q="الانتخبات")  # one letter missing
    assert result_titles(page)
    assert {m.get_text() for m in page.select(".search-result__title mark")} == {"الانتخابات"}


def test_extra_terms_are_highlighted_like_query_words():
    from akhbar.search.analysis import query_terms
    from akhbar.search.highlight import Highlighter

    highlighter = Highlighter.for_query("الانتخبات", query_terms("الانتخابات"))  # as the backend's alternative
    assert re.findall(r"<mark>(.*?)</mark>", str(highlighter.highlight("بالانتخابات الرئاسية"))) == ["بالانتخابات"]


# Did you mean ----------------------------------------------------------------------------------


def test_did_you_mean_is_offered_when_little_is_found(client, site, monkeypatch):
    asked = []

    def suggest_spelling(query):
        asked.append(query)
        return "الولايات المتحدة"

    monkeypatch.setattr(views, "suggest_spelling", suggest_spelling)
    page = search(client, q="الولايت المتحدة", section=site["news"].pk)
    offer = page.select_one(".search-results__did-you-mean")
    assert offer.get_text(" ", strip=True).startswith("هل تقصد:")
    link = offer.select_one("a")
    assert link.get_text(" ", strip=True) == "الولايات المتحدة"
    assert [strong.get_text() for strong in link.select("strong")] == ["الولايات"]  # the corrected word stands out
    assert f"section={site['news'].pk}" in link["href"] and "q=" in link["href"]
    assert asked == ["الولايت المتحدة"]


def test_did_you_mean_corrects_a_typing_error_against_the_sites_own_words(client, site):
    """The real spelling corrector, not a stand-in: ق typed for its neighbour ف."""
    page = search(client, q="أسعار النقط")
    offer = page.select_one(".search-results__did-you-mean a")
    assert offer is not None
    assert offer.get_text(" ", strip=True) == "أسعار النفط"
    assert [strong.get_text() for strong in offer.select("strong")] == ["النفط"]


def test_no_offer_when_the_search_finds_enough_or_nothing_is_better(client, many, monkeypatch):
    monkeypatch.setattr(views, "suggest_spelling", lambda query: "تقرير")
    assert search(client, q="الطاقة").select_one(".search-results__did-you-mean") is None  # 45 results
    monkeypatch.setattr(views, "suggest_spelling", lambda query: None)
    assert search(client, q="كلمةلاتوجد").select_one(".search-results__did-you-mean") is None
    monkeypatch.setattr(views, "suggest_spelling", lambda query: "الطَاقة")  # the same words
    assert search(client, q="الطاقه", section="999").select_one(".search-results__did-you-mean") is None


# Bad input -------------------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "ا" * 10_000,
    "خبر " * 2_500,
    "\u064e\u064f\u0650\u0651\u0652",  # diacritics only
    "\u0640\u0640\u0640",  # tatweel only
    "\u202e\u2066الولايات\u2069\u202c",  # bidi controls around a word
    '"',
    '"الولايات',
    "*",
    "الولا*",
    "NEAR",
    "الولايات NEAR المتحدة",
    "NEAR(الولايات المتحدة, 2)",
    ":",
    "title:الولايات",
    "-الولايات",
    "الولايات OR 1=1; DROP TABLE wagtailcore_page; --",
    "' \\ % _ ^ ( ) { } [ ]",
    "\x00\x01\x1b[31m",
    "😀🇸🇦",
    "Putin بوتين",
    "٣٤",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_gives_a_page_never_an_error(client, site, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("main h1").get_text(strip=True) == "بحث"
    if query.strip() and page.select_one("section.search-results") is None:
        assert "اكتب كلمة أو اسمًا" in notices(page)


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_gives_suggestions_json_never_an_error(client, site, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200
    data = response.json()
    assert isinstance(data["suggestions"], list)


def test_a_long_query_is_cut_with_a_notice(client, site):
    page = search(client, q="الولايات " * 100)
    assert "استُخدم أول 200 حرفًا منه فقط" in notices(page)
    assert len(page.select_one("main form[role=search] input[name=q]")["value"]) <= 200
    assert len(result_titles(page)) == 3


def test_repeated_parameters_and_odd_values_do_not_break_the_page(client, site):
    response = client.get("/search/?q=الولايات&q=تونس&page=2&page=x&sort=oldest&sort[]=1&from=&to=")
    assert response.status_code == 200


# Suggestions as you type -----------------------------------------------------------------------


def test_suggestions_answer_titles_of_matching_articles(client, site):
    response = client.get("/search/suggest/", {"q": "الولا"})
    assert response["Content-Type"].startswith("application/json")
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert not response.cookies
    data = json.loads(response.content)
    titles = {item["title"] for item in data["suggestions"]}
    assert titles == {"وفد الولايات المتحدة يصل إلى تونس", "منتخب الولايات المتحدة يفوز بالمباراة"}
    urls = {item["url"] for item in data["suggestions"]}
    assert urls == {site["articles"]["title"].url, site["articles"]["sport"].url}
    assert {item["section"] for item in data["suggestions"]} == {"أخبار حول العالم", "رياضة"}
    assert data["status"] == "اقتراحان."
    marked = {"".join(part["text"] for part in item["title_parts"] if part["mark"]) for item in data["suggestions"]}
    assert marked == {"الولايات"}  # the word that begins with what was typed
    assert all("".join(part["text"] for part in item["title_parts"]) == item["title"] for item in data["suggestions"])
    assert "الولا" in response.content.decode()  # Arabic as such, not \u escapes


def test_suggestions_find_words_with_attached_particles_through_the_search(client, site):
    data = client.get("/search/suggest/", {"q": "بالولايات"}).json()
    assert site["articles"]["title"].url in {item["url"] for item in data["suggestions"]}


def test_suggestions_need_two_letters_and_are_few(client, home):
    section = make_section(home, "أخبار", slug="news")
    for n in range(10):
        make_article(section, f"مباراة القمة {n}")
    assert client.get("/search/suggest/", {"q": "م"}).json()["suggestions"] == []
    data = client.get("/search/suggest/", {"q": "مبار"}).json()
    assert len(data["suggestions"]) == views.SUGGESTIONS
    assert data["status"] == "6 اقتراحات."


def test_suggestions_are_cached_briefly(client, site):
    client.get("/search/suggest/", {"q": "الولا"})
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/suggest/", {"q": "الولا"})
    assert len(queries) == 0
    assert len(again.json()["suggestions"]) == 2


def test_a_suggestion_lookup_costs_a_few_queries(client, site):
    client.get("/search/suggest/", {"q": "تونس"})  # warm per-process caches (site root paths)
    for typed in ("الولا", "بالولايات", "كلمةلاتوجد"):
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/suggest/", {"q": typed})
        assert len(queries) <= QUERY_BUDGET, (typed, [query["sql"][:80] for query in queries])


def test_suggestions_do_not_offer_unpublished_articles(client, site):
    draft = site["articles"]["sport"]
    draft.unpublish()
    data = client.get("/search/suggest/", {"q": "منتخب"}).json()
    assert draft.url not in {item["url"] for item in data["suggestions"]}


# The page itself -------------------------------------------------------------------------------


def test_the_page_works_without_javascript_as_a_plain_get_form(client, site):
    page = search(client, q="الولايات")
    form = page.select_one("main form[role=search]")
    assert form["method"] == "get" and form["action"] == "/search/"
    assert {field["name"] for field in form.select("[name]")} >= {"q", "section", "from", "to"}
    for field in form.select("input:not([type=hidden]), select"):
        assert page.select_one(f'label[for="{field["id"]}"]').get_text(strip=True), field
    box = form.select_one("input[name=q]")
    assert box["data-suggest-url"] == "/search/suggest/" and box["autocomplete"] == "off"
    assert not box.has_attr("role")  # the script makes it a combobox; without it, a search field
    assert page.select_one(f'#{box["aria-describedby"]}').get_text(strip=True)
    assert page.select_one('script[src="/static/js/search.js"]').has_attr("defer")
    assert page.select_one('link[href="/static/css/search.css"]')


def test_search_page_cost_in_queries_does_not_grow_with_the_archive(client, home):
    section = make_section(home, "أخبار", slug="news")
    urls = [
        "/search/?q=الطاقة",
        "/search/?q=الطاقة&sort=newest",
        f"/search/?q=الطاقة&section={section.pk}&from=2020-01-01&to=2030-01-01",
        "/search/?q=الطاقة&page=2",
        "/search/?q=الطاقة&page=2&sort=newest",
    ]

    def grow_to(total):
        have = ArticlePage.objects.count()
        for n in range(have, total):
            body = [("paragraph", f"<p>تقرير عن الطاقة رقم {n}</p>"), ("subheading", "الطاقة"), ("quotation", {"text": "الطاقة", "speaker": "", "role": ""})]
            make_article(section, f"تقرير الطاقة رقم {n}", body=body)

    def counts():
        result = {}
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            result[url] = len(queries)
        return result

    grow_to(25)  # two pages of results
    small = counts()
    grow_to(70)  # four pages
    large = counts()
    assert large == small, (small, large)
    assert max(large.values()) <= QUERY_BUDGET, large


def test_a_search_with_few_results_stays_within_the_budget_with_its_correction(client, site):
    client.get("/search/", {"q": "تونس"})  # warm per-process caches (site root paths), as a running server has them
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/", {"q": "الولايت"})
    assert len(queries) <= QUERY_BUDGET


def test_arabic_letters_in_every_notice(client, site):
    page = search(client, q="\u064e", section="x", page="y", **{"from": "z"})
    for item in page.select(".search-page__notices li"):
        assert any(f"{chr(c)}" in item.get_text() for c in range(0x0621, 0x064B)), item
