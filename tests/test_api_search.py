"""The Wagtail API's `search=` is the site's search: same analysis, same ranking, counts and pages that add up.

Every request asks for `type=news.ArticlePage&fields=external_id`, as API clients (and the
search evaluation) do. Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one.
"""

import datetime as dt

import pytest
from django.utils import timezone

from akhbar.news.models import ArticlePage
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db
API = "/api/v2/pages/"


def paragraph(text: str):
    return [("paragraph", f"<p>{text}</p>")]


def api(client, query: str, **params) -> dict:
    response = client.get(API, {"search": query, "type": "news.ArticlePage", "fields": "external_id", **params})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def api_ids(client, query: str, **params) -> list[str]:
    return [item["external_id"] for item in api(client, query, **params)["items"]]


def site_ids(query: str, **kwargs) -> list[str]:
    """What the site's own search (Wagtail's `.search()` on live articles) ranks, in order."""
    return [page.external_id for page in ArticlePage.objects.live().public().search(query, **kwargs)[:100]]


@pytest.fixture
def newsroom(home):
    """Articles a reader looks for in other spellings, among unrelated ones (so query words are rare)."""
    news = make_section(home, "أخبار", slug="news")
    now = timezone.now()
    specs = [
        ("us-election", "انتخابات الولايات المتحدة", "بدأت حملة الانتخابات الرئاسية في الولايات."),
        ("us-economy", "اقتصاد أمريكا", "نما الاقتصاد في الولايات المتحدة بنسبة ضئيلة."),
        ("cairo", "مؤتمر الطاقة في القاهرة", "اجتمع الوزراء في العاصمة المصرية."),
        ("hospital", "افتتاح مستشفى جديد", "المستشفى يخدم القرى المجاورة."),
        ("putin", "فلاديمير بوتين يزور الصين", "زيارة رسمية تستمر يومين."),
        ("rain", "هطول أمطار غزيرة", "توقعت الأرصاد أمطارا على السواحل."),
        ("wheat", "ارتفاع أسعار القمح", "ارتفعت أسعار الحبوب عالميا."),
        ("cup", "فوز الفريق بالكأس", "احتفل المشجعون بالفوز."),
        ("books", "افتتاح معرض الكتاب", "يستمر المعرض أسبوعين."),
        ("jobs", "تراجع معدلات البطالة", "أعلنت الهيئة أرقاما جديدة."),
    ]
    return {
        key: make_article(news, title, body=paragraph(text), external_id=key, published_at=now - dt.timedelta(hours=n))
        for n, (key, title, text) in enumerate(specs)
    }


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("بالولايات", "us-election"),  # attached particle
        ("والانتخابات", "us-election"),  # conjunction + article
        ("الولايات المتحده", "us-election"),  # ة written ه
        ("موتمر القاهره", "cairo"),  # ؤ written و, ة written ه
        ("مستشفي", "hospital"),  # ى written ي
        ("المُستشفى", "hospital"),  # diacritics
        ("مـــؤتمر", "cairo"),  # tatweel
        ("لبوتين", "putin"),  # particle on a name that starts like one
        ("امطار", "rain"),  # hamza dropped
        ("الولايت", "us-election"),  # one letter missing: corrected against the site's own words
    ],
)
def test_a_spelling_variant_or_particle_form_finds_the_article_first(client, newsroom, query, wanted):
    assert api_ids(client, query)[0] == wanted


@pytest.mark.parametrize(
    "query",
    ["الولايات", "بالولايات المتحدة", "الولايات القاهرة", "افتتاح", "امطار غزيره", "اسعار الحبوب", "الولايت المتحده", "مستشفي القاهره"],
)
def test_api_ranks_exactly_as_the_sites_search(client, newsroom, query):
    ranked = site_ids(query)
    assert ranked, "the query should find something"
    body = api(client, query, limit=100)
    assert [item["external_id"] for item in body["items"]] == ranked
    assert body["meta"]["total_count"] == len(ranked)


def test_total_count_counts_every_match_not_the_page(client, newsroom):
    body = api(client, "الولايات", limit=1)
    assert body["meta"]["total_count"] == 2
    assert len(body["items"]) == 1
    assert api(client, "كلمة لم يكتبها أحد")["meta"]["total_count"] == 0


def test_pages_of_results_join_up_without_gaps_or_repeats(client, home, newsroom):
    news = newsroom["cup"].get_parent()
    for n in range(7):
        make_article(news, f"قمة المناخ {n}", body=paragraph("تغير المناخ " * (n + 1)), external_id=f"climate-{n}")
    whole = api_ids(client, "المناخ", limit=100)
    assert len(whole) == 7
    pages = [api(client, "المناخ", offset=offset, limit=3) for offset in (0, 3, 6, 9)]
    assert [item["external_id"] for page in pages for item in page["items"]] == whole
    assert {page["meta"]["total_count"] for page in pages} == {7}
    assert pages[-1]["items"] == []


def test_search_operator_and_or(client, newsroom):
    both = {"us-economy"}  # اقتصاد and الولايات
    assert set(api_ids(client, "الاقتصاد الولايات", search_operator="and")) == both
    assert set(api_ids(client, "الاقتصاد الولايات", search_operator="or")) == {"us-election", "us-economy"}
    # The default (no operator, or one the API does not know) finds any word and ranks the article with both first.
    assert api_ids(client, "الاقتصاد الولايات")[0] == "us-economy"
    assert api_ids(client, "الاقتصاد الولايات", search_operator="nonsense") == api_ids(client, "الاقتصاد الولايات")
    # Operators see the analysis too: particles and spelling variants still match every word.
    assert set(api_ids(client, "بالاقتصاد والولايات", search_operator="and")) == both


def test_order_with_search_sorts_the_matches_by_date(client, newsroom):
    newest_first = api(client, "الولايات", order="-published_at")
    assert [item["external_id"] for item in newest_first["items"]] == ["us-election", "us-economy"]
    assert newest_first["meta"]["total_count"] == 2
    oldest_first = api_ids(client, "الولايات", order="published_at")
    assert oldest_first == ["us-economy", "us-election"]
    assert api_ids(client, "افتتاح", order="-published_at", limit=1, offset=1) == ["books"]


def test_drafts_and_private_articles_are_not_searchable_through_the_api(client, newsroom):
    from wagtail.models import PageViewRestriction

    newsroom["us-economy"].unpublish()
    PageViewRestriction.objects.create(page=newsroom["cairo"], restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert api_ids(client, "الولايات") == ["us-election"]
    assert api(client, "القاهرة")["meta"]["total_count"] == 0
