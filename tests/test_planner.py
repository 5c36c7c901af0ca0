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
