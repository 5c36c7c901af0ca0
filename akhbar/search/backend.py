"""Wagtail search backend with Akhbar's Arabic analysis (WAGTAILSEARCH_BACKENDS BACKEND "akhbar.search.backend").

Like modelsearch's "database" backend it picks its implementation from the default
database: SQLite FTS5 (sqlite.py) or PostgreSQL (postgres.py). Other databases are not
supported. Switching between this backend and the stock one needs `manage.py update_index`:
the two store different text.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def SearchBackend(params):  # noqa: N802 - the name modelsearch looks up in a backend module
    if connection.vendor == "postgresql":
        from .postgres import PostgresArabicSearchBackend

        return PostgresArabicSearchBackend(params)
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteArabicSearchBackend

        return SQLiteArabicSearchBackend(params)
    raise ImproperlyConfigured(
        f"Akhbar's Arabic search supports SQLite and PostgreSQL, not {connection.vendor}; "
        "set AKHBAR_SEARCH_ANALYSIS=stock to use Wagtail's own database search."
    )
