"""Fresh planner statistics after a bulk write.

PostgreSQL plans queries from table statistics that only ANALYZE (or autovacuum, which a
server may run late or not at all) refreshes. Right after a large import they still describe
the empty tables, and the planner then picks nested loops over tens of thousands of rows
(seen: estimates of 6 rows for 30,000 pages). SQLite's planner does well without statistics,
so it is left alone there.
"""

from django.db import connections

# Below this many written rows the old statistics are close enough.
BULK_WRITE_ROWS = 500


def refresh_after_bulk_write(rows_written: int, using: str = "default") -> bool:
    """ANALYZE the database after a bulk write on PostgreSQL; True when it ran."""
    connection = connections[using]
    if rows_written < BULK_WRITE_ROWS or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
