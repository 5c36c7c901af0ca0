"""Planner statistics after a bulk import (akhbar/core/planner.py)."""

import pytest
from django.db import connection

from akhbar.core.planner import BULK_WRITE_ROWS, refresh_after_bulk_write

pytestmark = pytest.mark.django_db


def page_table_estimate() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'wagtailcore_page'")
        return cursor.fetchone()[0]


def test_a_small_write_keeps_the_statistics():
    assert refresh_after_bulk_write(BULK_WRITE_ROWS - 1) is False


def test_a_bulk_write_refreshes_postgresql_statistics_and_leaves_sqlite_alone():
    ran = refresh_after_bulk_write(BULK_WRITE_ROWS)
    if connection.vendor != "postgresql":
        assert ran is False
        return
    assert ran is True
    # ANALYZE counted the pages the migrations made (-1 means "never analysed").
    assert page_table_estimate() >= 1


def search_gin_indexes() -> list[tuple[str, list]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin' AND i.indrelid = 'wagtailsearch_indexentry'::regclass"
        )
        return cursor.fetchall()


def test_searches_read_no_long_gin_pending_list(home):
    """New index entries wait in a GIN pending list that every search reads through: it is kept
    small, and a bulk import empties it."""
    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's")
    from tests.factories import make_article, make_section

    indexes = search_gin_indexes()
    assert {name for name, _options in indexes} >= {"wagtailsear_body_90c85d_gin", "wagtailsear_title_9caae0_gin"}
    assert all("gin_pending_list_limit=256" in (options or []) for _name, options in indexes)

    section = make_section(home, "أخبار", slug="news")
    for number in range(3):
        make_article(section, f"خبر رقم {number} عن الطقس", external_id=f"weather-{number}")
    assert refresh_after_bulk_write(BULK_WRITE_ROWS) is True
    with connection.cursor() as cursor:
        for name, _options in indexes:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
            assert cursor.fetchone()[0] == 0, f"{name} still had a pending list"
