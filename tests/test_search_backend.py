"""Search with Akhbar's Arabic analysis (akhbar/search): what a reader notices.

Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one. Every search goes through
Wagtail's own entry points (`.search()` on a queryset, the API's `?search=`), so the backend
is the one settings choose.
"""

import datetime as dt

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.test import override_settings
from django.utils import timezone
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Not, Phrase, PlainText

from akhbar.news.models import ArticlePage
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db
API = "/api/v2/pages/"


def paragraph(text: str):
    return [("paragraph", f"<p>{text}</p>")]


def found(query: str, **kwargs) -> list[str]:
    return [page.title for page in ArticlePage.objects.live().search(query, **kwargs)[:20]]


def api_search(client, query: str, **params) -> dict:
    response = client.get(API, {"search": query, "type": "news.ArticlePage", "fields": "external_id", **params})
    assert response.status_code == 200, response.content[:500]
    return response.json()


FILLER = [
    ("الحكومة تقر الموازنة", "أقر مجلس الوزراء الموازنة العامة."),
    ("هطول أمطار غزيرة", "توقعت الأرصاد أمطارا على السواحل."),
    ("افتتاح معرض الكتاب", "يستمر المعرض أسبوعين."),
    ("ارتفاع أسعار القمح", "ارتفعت أسعار الحبوب عالميا."),
    ("فوز الفريق بالكأس", "احتفل المشجعون بالفوز."),
    ("إطلاق قمر صناعي", "انطلق الصاروخ فجرا."),
    ("تراجع معدلات البطالة", "أعلنت الهيئة أرقاما جديدة."),
    ("مهرجان الموسيقى العربية", "تشارك فرق من عدة دول."),
]


@pytest.fixture
def section(home):
    """A section with a few unrelated articles: ranking needs a corpus in which query words are rare (BM25's IDF)."""
    news = make_section(home, "أخبار", slug="news")
    for title, text in FILLER:
        make_article(news, title, body=paragraph(text))
    return news


@pytest.fixture
def spelled(section):
    """Articles written with hamza, ة, ى, and a particle-free word; readers type them differently."""
    return {
        "us": make_article(section, "انتخابات الولايات المتحدة", body=paragraph("نص عن حملة الانتخابات."), external_id="us"),
        "cairo": make_article(section, "مؤتمر في القاهرة", body=paragraph("اجتمع الوزراء في المدينة."), external_id="cairo"),
        "ahmad": make_article(section, "أحمد مصطفى يفوز بالجائزة", body=paragraph("فاز الكاتب."), external_id="ahmad"),
        "putin": make_article(section, "فلاديمير بوتين يزور الصين", body=paragraph("زيارة رسمية."), external_id="putin"),
        "other": make_article(section, "أسعار النفط ترتفع", body=paragraph("ارتفعت الأسعار في الأسواق."), external_id="other"),
    }


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("بالولايات", "us"),  # attached particle
        ("والولايات المتحده", "us"),  # particle + ة written ه
        ("الـــولايـات", "us"),  # tatweel
        ("الوِلايَاتُ", "us"),  # diacritics
        ("موتمر", "cairo"),  # ؤ written و
        ("القاهره", "cairo"),  # ة written ه
        ("احمد مصطفي", "ahmad"),  # أ without hamza, ى written ي
        ("فلادِيمِير", "putin"),  # a diacritic never splits a word
        ("لبوتين", "putin"),  # a particle on a name that starts like one (بوتين, not وتين)
    ],
)
def test_spelling_variants_find_the_article_through_search_and_the_api(client, spelled, query, key):
    assert found(query)[0] == spelled[key].title
    items = api_search(client, query)["items"]
    assert items[0]["external_id"] == key
    assert "other" not in {item["external_id"] for item in items}


def test_a_word_nobody_wrote_finds_nothing(spelled):
    assert found("كمبيوتر") == []
    assert ArticlePage.objects.live().search("كمبيوتر").count() == 0


def test_exact_word_outranks_a_stem_only_match(section):
    """Same length, same field; the stem-only article is newer, so only the analysis can put the exact one first."""
    now = timezone.now()
    exact = make_article(section, "تقرير أول", body=paragraph("نمو الاقتصاد هذا العام."), published_at=now - dt.timedelta(days=2))
    stem = make_article(section, "تقرير ثان", body=paragraph("نمو بالاقتصاد هذا العام."), published_at=now - dt.timedelta(days=1))
    assert found("الاقتصاد") == [exact.title, stem.title]
    assert found("بالاقتصاد") == [stem.title, exact.title]


def test_title_outranks_body_and_recency_breaks_ties(section):
    now = timezone.now()
    in_title = make_article(section, "الزلزال يضرب المنطقة", body=paragraph("تفاصيل."), published_at=now - dt.timedelta(days=5))
    in_body = make_article(section, "تفاصيل جديدة", body=paragraph("الزلزال يضرب المنطقة."), published_at=now - dt.timedelta(days=1))
    older = make_article(section, "الطقس غدا", body=paragraph("أمطار غزيرة."), published_at=now - dt.timedelta(days=9))
    newer = make_article(section, "الطقس غدا", body=paragraph("أمطار غزيرة."), published_at=now - dt.timedelta(days=3))
    assert found("الزلزال") == [in_title.title, in_body.title]
    assert [page.pk for page in ArticlePage.objects.live().search("الطقس")] == [newer.pk, older.pk]


def test_more_of_the_words_ranks_higher_and_one_unknown_word_does_not_empty_the_results(section):
    both = make_article(section, "اتفاق تجاري جديد", body=paragraph("وقع وزير مصر ووزير السودان الاتفاق."))
    one = make_article(section, "بطولة إقليمية", body=paragraph("تستضيف مصر البطولة هذا العام."))
    assert found("مصر السودان") == [both.title, one.title]
    # A typo in one word: the articles with the other words are still found.
    assert found("مصر السوادن")[0] in {both.title, one.title}
    assert found("مصر السودان", operator="and") == [both.title]


def test_searching_respects_the_queryset_and_its_filters(section, home):
    sport = make_section(home, "رياضة", slug="sport")
    news_item = make_article(section, "المنتخب يستعد", body=paragraph("تدريبات."))
    sport_item = make_article(sport, "المنتخب يفوز", body=paragraph("مباراة."))
    draft = make_article(sport, "المنتخب في المعسكر", body=paragraph("معسكر."))
    draft.unpublish()
    assert set(found("المنتخب")) == {news_item.title, sport_item.title}
    in_sport = ArticlePage.objects.live().filter(section=sport).search("المنتخب")
    assert [page.pk for page in in_sport] == [sport_item.pk]
    assert in_sport.count() == 1


def test_fields_restricts_to_the_title(section):
    titled = make_article(section, "الميزانية الجديدة", body=paragraph("تفاصيل."))
    make_article(section, "خبر اقتصادي", body=paragraph("عن الميزانية الجديدة."))
    assert found("الميزانية", fields=["title"]) == [titled.title]


def test_edits_and_deletions_reach_the_index(section):
    article = make_article(section, "عنوان قديم عن الزراعة", body=paragraph("نص."))
    assert found("الزراعة") == [article.title]
    article.title = "عنوان جديد عن السياحة"
    article.save_revision().publish()
    assert found("الزراعة") == []
    assert found("السياحة") == [article.title]
    article.delete()
    assert found("السياحة") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM akhbar_search_fts f LEFT JOIN wagtailsearch_indexentry e ON e.id = f.rowid WHERE e.id IS NULL")
            assert cursor.fetchone()[0] == 0  # no orphaned analysed text


def test_update_index_rebuilds_the_analysed_index(spelled):
    from django.core.management import call_command

    call_command("update_index", stdout=open("/dev/null", "w"))
    assert found("بالولايات")[0] == spelled["us"].title
    assert len(found("بالولايات")) == 1


def test_scores_can_be_annotated_and_pages_sliced(section):
    for n in range(7):
        make_article(section, f"الانتخابات البلدية {n}", body=paragraph("نص " * (n + 1)))
    results = ArticlePage.objects.live().search("الانتخابات").annotate_score("relevance")
    assert results.count() == 7
    page_one, page_two = list(results[:4]), list(results[4:8])
    assert len(page_one) == 4 and len(page_two) == 3
    assert not {p.pk for p in page_one} & {p.pk for p in page_two}
    scores = [page.relevance for page in page_one + page_two]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_query_objects_and_not(section):
    backend = get_search_backend()
    oil = make_article(section, "تقرير النفط", body=paragraph("النفط والغاز."))
    gas = make_article(section, "تقرير الغاز", body=paragraph("الغاز وحده."))
    queryset = ArticlePage.objects.live()
    assert [p.pk for p in backend.search(And([PlainText("تقرير"), Not(PlainText("النفط"))]), queryset)] == [gas.pk]
    assert {p.pk for p in backend.search(Phrase("الغاز وحده"), queryset)} == {gas.pk}  # every word (not adjacency)
    without_gas = {p.pk for p in backend.search(Not(PlainText("الغاز")), queryset)}
    assert without_gas == set(queryset.exclude(pk__in=[oil.pk, gas.pk]).values_list("pk", flat=True))
    assert {p.pk for p in backend.search(PlainText("تقرير", operator="or"), queryset)} == {oil.pk, gas.pk}


def test_autocomplete_matches_the_start_of_normalised_words(spelled):
    titles = [page.title for page in ArticlePage.objects.live().autocomplete("الولا")]
    assert titles == [spelled["us"].title]
    assert [page.title for page in ArticlePage.objects.live().autocomplete("مؤتم")] == [spelled["cairo"].title]
    for hostile in ['"', "*", "NEAR(", "title:", "-", "ًٌ", ""]:
        list(ArticlePage.objects.live().autocomplete(hostile))


def test_snippets_and_images_are_searched_with_the_analysis_too(db):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from akhbar.news.models import Author

    author = Author.objects.create(name="سلمى العبيدي", slug="salma")
    Author.objects.create(name="خالد منصور", slug="khaled")
    image = get_image_model().objects.create(title="صورة مؤتمر الطاقة", file=get_test_image_file())
    assert list(get_search_backend().search("والعبيدى", Author)) == [author]
    assert list(get_image_model().objects.search("المؤتمر")) == [image]


# The API ---------------------------------------------------------------------------------


def test_api_pages_total_count_and_offset(client, section):
    for n in range(5):
        make_article(section, f"قمة المناخ {n}", body=paragraph("نص."), external_id=f"climate-{n}")
    first = api_search(client, "المناخ", limit=2)
    assert first["meta"]["total_count"] == 5
    rest = api_search(client, "المناخ", limit=10, offset=2)
    ids = [item["external_id"] for item in first["items"] + rest["items"]]
    assert sorted(ids) == [f"climate-{n}" for n in range(5)]


def test_api_search_with_order_and_operator(client, section):
    now = timezone.now()
    old = make_article(section, "الدوري المصري", body=paragraph("نص."), published_at=now - dt.timedelta(days=3), external_id="old")
    new = make_article(section, "الدوري السعودي", body=paragraph("نص."), published_at=now - dt.timedelta(days=1), external_id="new")
    ordered = api_search(client, "الدوري", order="-published_at")["items"]
    assert [item["external_id"] for item in ordered] == [new.external_id, old.external_id]
    assert [i["external_id"] for i in api_search(client, "الدوري المصري", search_operator="and")["items"]] == ["old"]
    assert api_search(client, "الدوري", search_operator="nonsense")["meta"]["total_count"] == 2
    # Wagtail refuses to order search results by a field that is not a FilterField.
    assert client.get(API, {"search": "الدوري", "type": "news.ArticlePage", "order": "lede"}).status_code == 400


def test_api_search_across_all_page_types(client, spelled):
    response = client.get(API, {"search": "بالولايات"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == [spelled["us"].title]


def test_admin_page_search_folds_spelling(client, django_user_model, spelled):
    """The admin's page search is Wagtail's autocomplete: prefixes of the normalised words."""
    client.force_login(django_user_model.objects.create_superuser("rania", "rania@example.org", "secret-pass-123"))
    response = client.get("/admin/pages/search/", {"q": "موتمر"})
    assert response.status_code == 200
    assert spelled["cairo"].title in response.content.decode()
    assert spelled["us"].title not in response.content.decode()
    assert client.get("/admin/pages/search/", {"q": '"NEAR(*'}).status_code == 200


# Hostile input -------------------------------------------------------------------------------

HOSTILE = [
    "",
    "   ",
    '"',
    '"الولايات',
    '"الولايات" "المتحدة',
    "*",
    "الولايات*",
    "NEAR(",
    "NEAR(الولايات المتحدة, 2)",
    "title:",
    "title:الولايات",
    "{title body}: الولايات",
    "-",
    "-الولايات",
    "الولايات -المتحدة",
    "AND OR NOT",
    "(((",
    "^الولايات",
    "'",
    "\\",
    "'الولايات':*",
    "الولايات & | ! <->",
    "%_",
    "'; DROP TABLE wagtailsearch_indexentry; --",
    "ًٌٍَُِّْ",  # only diacritics
    "ـــــ",  # only tatweel
    "\u202bالولايات\u202c",  # bidi embedding around a word
    "\u200f\u200e\u2066\u2069\u061c",  # only bidi marks
    "\x00\x01\x1f",
    "x" * 10_000,
    "الولايات " * 2_000,
    "Trump ترامب 2018 ١٢٣ Трамп 川普",
    "🇺🇸 الولايات 🇺🇸",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail_and_stay_sensible(client, spelled, query):
    results = ArticlePage.objects.live().search(query)
    titles = [page.title for page in results[:10]]
    assert results.count() >= len(titles)
    if "الولايات" in query:
        assert titles[0] == spelled["us"].title
    if not any(ch.isalnum() for ch in query):
        assert titles == []
    api_search(client, query)


QUERY_PIECES = st.sampled_from(
    ['"', "*", "(", ")", ":", "-", "^", "{", "}", "NEAR", "AND", "OR", "NOT", "'", "\\", "&", "|", "!", "<->",
     " ", "ـ", "ً", "ّ", "\u202e", "\u200f", "\x00", "title", "الولايات", "ب", "ال", "٣", "😀"]
)
QUERIES = st.lists(st.one_of(QUERY_PIECES, st.text(max_size=4)), max_size=12).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_no_query_makes_search_or_the_api_fail(client, spelled, query):
    results = ArticlePage.objects.live().search(query)
    assert len(list(results[:10])) <= results.count()
    assert client.get(API, {"search": query, "type": "news.ArticlePage"}).status_code == 200


def test_lone_surrogates_in_a_python_string_do_not_break_search(spelled):
    assert found("الولايات\ud800") == [spelled["us"].title]


# The switch ------------------------------------------------------------------------------------

STOCK = {"default": {"BACKEND": "wagtail.search.backends.database"}}


def test_stock_switch_gives_wagtails_plain_database_search(section):
    with override_settings(WAGTAILSEARCH_BACKENDS=STOCK):
        article = make_article(section, "انتخابات الولايات المتحدة", body=paragraph("نص."))
        assert found("الولايات") == [article.title]
        assert found("بالولايات") == []  # no analysis: the particle is not stripped


@pytest.mark.parametrize(
    ("value", "backend"),
    [("", "akhbar.search.backend"), ("arabic", "akhbar.search.backend"), ("stock", "wagtail.search.backends.database")],
)
def test_setting_follows_akhbar_search_analysis(monkeypatch, value, backend):
    import importlib

    import akhbar.settings.base as base

    monkeypatch.setenv("AKHBAR_SEARCH_ANALYSIS", value)
    try:
        assert importlib.reload(base).WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == backend
    finally:
        monkeypatch.delenv("AKHBAR_SEARCH_ANALYSIS")
        importlib.reload(base)


def test_unknown_analysis_setting_is_a_clear_error(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import akhbar.settings.base as base

    monkeypatch.setenv("AKHBAR_SEARCH_ANALYSIS", "elasticsearch")
    try:
        with pytest.raises(ImproperlyConfigured, match="arabic or stock"):
            importlib.reload(base)
    finally:
        monkeypatch.delenv("AKHBAR_SEARCH_ANALYSIS")
        importlib.reload(base)


# Imports ------------------------------------------------------------------------------------


def test_imported_articles_are_found_with_the_analysis_without_a_worker(home, tmp_path):
    from tests.test_import_jsonl import record, run_import, write_jsonl

    path = write_jsonl(
        tmp_path,
        [
            record(1, title="اكتشاف أثري نادر في الأقصر", tags=["آثار مصرية"]),
            record(2, body="نص عن الزراعة المائية في الصحراء الكبرى."),
            record(3, title="أسعار الذهب", body="ارتفعت أسعار الذهب."),
        ],
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        assert run_import(path).error is None
        assert found("بالاقصر") == ["اكتشاف أثري نادر في الأقصر"]  # hamza + particle, title
        assert len(found("والزراعه")) == 1  # body text
        assert len(found("الاثار")) == 1  # tag names
        assert found("اسعار الذهب")[0] == "أسعار الذهب"
