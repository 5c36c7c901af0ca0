"""/healthz (the process answers) and /readyz (database, cache and task queue answer)."""

import json

import pytest
from django.test import override_settings

from tests.app_servers import AppServer, app_env, fetch, free_port

CLOSED_PORT = 8699  # in this suite's port range and never listened on
REDIS_DOWN = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0"}}


def test_healthz_answers_without_the_database_or_the_cache(client):
    # No django_db mark: any database access here would raise.
    with override_settings(CACHES=REDIS_DOWN):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_reports_every_dependency_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "tasks": "ok"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_readyz_checks_the_database_queue(client):
    assert client.get("/readyz").json()["checks"]["tasks"] == "ok"


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
def test_readyz_names_a_cache_that_is_down_with_503(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["cache"]
    assert str(CLOSED_PORT) not in response.content.decode()


@pytest.mark.slow
def test_a_server_whose_services_are_down_is_alive_but_not_ready(tmp_path):
    """A real app server pointed at a PostgreSQL and a Redis that do not answer."""
    pytest.importorskip("psycopg")
    env = app_env(
        tmp_path,
        free_port(),
        DATABASE_URL=f"postgres://akhbar:db-secret@127.0.0.1:{CLOSED_PORT}/akhbar?connect_timeout=2",
        REDIS_URL=f"redis://:redis-secret@127.0.0.1:{CLOSED_PORT}/0",
    )
    server = AppServer(env, tmp_path / "server.log")
    try:
        assert fetch(f"{server.base}/healthz")[0] == 200
        status, headers, body = fetch(f"{server.base}/readyz")
    finally:
        server.stop()
    assert status == 503, body
    answer = json.loads(body)
    assert answer["failed"] == ["database", "cache", "tasks"]
    assert headers["Cache-Control"] == "no-store"
    text = body.decode()
    assert "secret" not in text and str(CLOSED_PORT) not in text
