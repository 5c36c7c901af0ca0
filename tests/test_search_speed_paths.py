"""The search's fast paths give the answers of the plain ones.

- What the caller's queryset keeps is remembered until the next commit (filter_cache.py): an
  article unpublished, published or moved after a search is seen by the next search.
- The ranking sums every word's scores with dict operations and picks only the page asked
  for: the same sums as a plain loop, and pages that put together give the full order.
"""

import datetime as dt
import random

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.news.models import ArticlePage
from akhbar.search import filter_cache
from akhbar.search.ranking import _summed
from tests.factories import make_article, make_section

API = "/api/v2/pages/"


def api(client, query: str, **params) -> dict:
    response = client.get(API, {"search": query, "type": "news.ArticlePage", "fields": "external_id", **params})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def found(client, query: str) -> list[str]:
    return [item["external_id"] for item in api(client, query, limit=50)["items"]]


def paragraph(text: str):
    return [("paragraph", f"<p>{text}</p>")]


@pytest.mark.django_db(transaction=True)
def test_a_search_after_publishing_or_unpublishing_sees_the_change(client, home):
    """Outside a transaction (as a web request runs), between searches that may be remembered."""
    news = make_section(home, "أخبار", slug="news")
    other = make_section(home, "رياضة", slug="sport")
    now = timezone.now()
    first = make_article(news, "قمة المناخ في القاهرة", body=paragraph("اجتماع الوزراء"), external_id="first", published_at=now)
    second = make_article(news, "المناخ يتغير", body=paragraph("ارتفاع الحرارة"), external_id="second", published_at=now - dt.timedelta(hours=1))
    assert set(found(client, "المناخ")) == {"first", "second"}
    assert api(client, "المناخ")["meta"]["total_count"] == 2
    assert filter_cache.kept_pks(ArticlePage.objects.live()) is not None  # the path these searches take

    first.unpublish()
    assert found(client, "المناخ") == ["second"]
    assert api(client, "المناخ")["meta"]["total_count"] == 1

    third = make_article(other, "مؤتمر المناخ", body=paragraph("في الرياضة أيضا"), external_id="third", published_at=now)
    assert set(found(client, "المناخ")) == {"second", "third"}
    assert api(client, "المناخ")["meta"]["total_count"] == 2

    third.move(news, pos="last-child")
    assert set(found(client, "المناخ")) == {"second", "third"}
    ArticlePage.objects.filter(pk=second.pk).update(live=False)  # a write that bypasses Wagtail's signals
    assert found(client, "المناخ") == ["third"]


@pytest.mark.django_db
def test_nothing_is_remembered_inside_a_transaction(home):
    """Its own uncommitted writes would not be seen by the watching connection."""
    assert connection.in_atomic_block
    assert filter_cache.kept_pks(ArticlePage.objects.live()) is None


def _summed_plainly(scored, members):
    scores = {}
    for _term, hits, boost in scored:
        for pk, score in hits.items():
            if pk in members:
                matched, total = scores.get(pk, (0, 0.0))
                scores[pk] = (matched + 1, total + boost * score)
    return scores


words_hits = st.lists(
    st.tuples(
        st.dictionaries(st.integers(1, 60), st.floats(0.001, 50, allow_nan=False), max_size=40),
        st.sampled_from([1.0, 0.5, 0.8, 2.0]),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(words_hits, st.floats(0, 1), st.randoms())
def test_summed_scores_equal_a_plain_loop_over_every_hit(scored, share, rnd):
    scored = [(n, hits, boost) for n, (hits, boost) in enumerate(scored)]
    every = sorted(set().union(*(hits for _n, hits, _boost in scored)))
    members = set(rnd.sample(every, round(share * len(every))))
    assert _summed(scored, members) == _summed_plainly(scored, members)


@pytest.mark.django_db
def test_pages_of_results_put_together_give_the_whole_ranking(home):
    """Many equal scores (identical texts) straddle the page boundaries; recency orders them."""
    news = make_section(home, "أخبار", slug="news")
    now = timezone.now()
    texts = ["مباراة كرة القدم", "مباراة كرة القدم", "مباراة القدم", "كرة السلة", "مباراة الكرة الطائرة"]
    rng = random.Random(7)
    for n in range(60):
        make_article(news, f"{rng.choice(texts)} {n}", body=paragraph(rng.choice(texts)), external_id=f"a{n}",
                     published_at=now - dt.timedelta(minutes=rng.randint(0, 5)))
    results = ArticlePage.objects.live().search("مباراة كرة")
    whole = [page.pk for page in results[:100]]
    assert len(whole) == results.count()
    pieces = []
    for start in range(0, len(whole), 7):
        pieces += [page.pk for page in ArticlePage.objects.live().search("مباراة كرة")[start : start + 7]]
    assert pieces == whole


@pytest.mark.django_db
def test_postgresql_first_step_scores_as_the_body_vectors_do(home):
    """PostgreSQL scores every candidate on the server without reading body vectors, then the
    best ones again from their vectors (refine). Where the first step knows all there is (the
    word once in the text, not in the title), both give the same BM25 score, whatever the
    document's length; shorter documents come first."""
    if connection.vendor != "postgresql":
        pytest.skip("the two-step scoring is PostgreSQL's")
    news = make_section(home, "أخبار", slug="news")
    filler = "وجاء في البيان الصادر اليوم أن اللجنة ستجتمع مرة أخرى "
    for n in range(6):
        make_article(news, f"نشرة رقم {n}", body=paragraph(filler * (n + 1) + "وزار الوفد موسكو أمس"), external_id=f"m{n}")
    for n in range(20):  # other documents, so the word is not in every one
        make_article(news, f"أخبار الطقس {n}", body=paragraph("أمطار غزيرة ورياح"), external_id=f"w{n}")
    compiler = ArticlePage.objects.live().search("موسكو", operator="or").query_compiler
    first_step = compiler.plan().scores
    assert len(first_step) == 6
    refined = dict(compiler.refine(compiler.best(None)))
    for pk, (_matched, score) in first_step.items():
        assert refined[pk][1] == pytest.approx(score, rel=1e-9)
    by_score = sorted(first_step, key=lambda pk: -first_step[pk][1])
    assert [ArticlePage.objects.get(pk=pk).external_id for pk in by_score] == [f"m{n}" for n in range(6)]
