"""Rate limits on the public search endpoints: 429 with a clear Arabic message, across processes."""

import json
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from akhbar.core.ratelimit import parse_rate, rate_limited
from tests.app_servers import AppServer, app_env, fetch, free_port

ARABIC_MESSAGE = "طلبات كثيرة"


def test_rates_are_read_as_requests_per_seconds():
    assert parse_rate("30/60") == (30, 60)
    assert parse_rate("5") == (5, 60)
    assert parse_rate("off") is None
    assert parse_rate("") is None
    with pytest.raises(ValueError):
        parse_rate("lots")


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"suggest": "3/3600"})
def test_suggestions_answer_429_in_arabic_after_the_limit(client):
    for _ in range(3):
        assert client.get("/search/suggest/", {"q": ""}, REMOTE_ADDR="198.51.100.1").status_code == 200
    response = client.get("/search/suggest/", {"q": ""}, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert ARABIC_MESSAGE in response.json()["error"]
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response["Cache-Control"] == "no-store"
    # Another reader has a budget of their own.
    assert client.get("/search/suggest/", {"q": ""}, REMOTE_ADDR="198.51.100.2").status_code == 200


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"search": "1/3600"})
def test_the_search_page_answers_a_readable_arabic_page_over_the_limit(client, home):
    assert client.get("/search/", REMOTE_ADDR="198.51.100.1").status_code == 200
    response = client.get("/search/", {"q": "مصر"}, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert ARABIC_MESSAGE in page and 'dir="rtl"' in page
    assert response["Retry-After"].isdigit()


def ok_view(request):
    return HttpResponse("ok")


@override_settings(
    RATE_LIMITS={"probe": "1/60"},
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:8699/0"}},
)
def test_a_cache_that_is_down_lets_requests_through_instead_of_failing():
    view = rate_limited("probe")(ok_view)
    for _ in range(3):
        assert view(RequestFactory().get("/")).status_code == 200


@override_settings(RATE_LIMITS={"probe": "so many"})
def test_a_mistyped_limit_lets_requests_through():
    assert rate_limited("probe")(ok_view)(RequestFactory().get("/")).status_code == 200


# Across two real app servers sharing one cache ------------------------------------------------

LIMIT = 5


@pytest.fixture(params=["file cache", "redis"])
def shared_cache_env(request, tmp_path):
    """Environment for two servers sharing a cache: the file cache in one var/, or Redis."""
    env = {
        "AKHBAR_RATE_LIMIT_SUGGEST": f"{LIMIT}/3600",
        "AKHBAR_TRUSTED_PROXIES": "127.0.0.1",
    }
    if request.param == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    return env


@pytest.mark.slow
def test_the_limit_holds_across_two_app_servers(tmp_path, shared_cache_env):
    if 3600 - time.time() % 3600 < 30:  # keep the fixed window from ending mid-test
        time.sleep(3600 - time.time() % 3600 + 1)
    first_port = free_port()
    first = AppServer(app_env(tmp_path, first_port, **shared_cache_env), tmp_path / "first.log")
    try:
        second = AppServer(app_env(tmp_path, free_port({first_port}), **shared_cache_env), tmp_path / "second.log")
        try:
            servers = [first, second]
            reader = {"X-Forwarded-For": "198.51.100.7"}  # as the local proxy reports it
            statuses = [
                fetch(f"{servers[n % 2].base}/search/suggest/?q=", reader)[0] for n in range(LIMIT + 2)
            ]
            assert statuses == [200] * LIMIT + [429, 429]

            status, headers, body = fetch(f"{second.base}/search/suggest/?q=", reader)
            assert status == 429 and int(headers["Retry-After"]) > 0
            assert ARABIC_MESSAGE in json.loads(body)["error"]
            # Another reader behind the same proxy is not affected.
            assert fetch(f"{first.base}/search/suggest/?q=", {"X-Forwarded-For": "198.51.100.8"})[0] == 200
        finally:
            second.stop()
    finally:
        first.stop()
