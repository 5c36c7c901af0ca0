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
