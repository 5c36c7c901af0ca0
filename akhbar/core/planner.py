"""Fresh planner statistics after a bulk write.

PostgreSQL plans queries from table statistics that only ANALYZE (or autovacuum, which a
server may run late or not at all) refreshes. Right after a large import they still describe
the empty tables, and the planner then picks nested loops over tens of thousands of rows
(seen: estimates of 6 rows for 30,000 pages). SQLite's planner does well without statistics,
so it is left alone there.

The search index's GIN indexes also keep new entries in a pending list that every search
reads through until a vacuum moves them in; after a bulk write it is emptied here as well.
"""

from django.db import connections

# Below this many written rows the old statistics are close enough.
BULK_WRITE_ROWS = 500


def refresh_after_bulk_write(rows_written: int, using: str = "default") -> bool:
    """ANALYZE the database and empty the GIN pending lists after a bulk write on PostgreSQL;
    True when it ran."""
    connection = connections[using]
    if rows_written < BULK_WRITE_ROWS or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
            "JOIN pg_am ON pg_am.oid = pg_class.relam WHERE pg_am.amname = 'gin' "
            "AND pg_index.indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)"
        )
        cursor.execute("ANALYZE")
    return True
