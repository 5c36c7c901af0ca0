"""PostgreSQL only: a small pending list for the search index's GIN indexes.

GIN gathers new entries in an unsorted pending list (4 MB by default) that every search reads
through before the index proper, until a vacuum or a full list moves them in. With a full
list each lookup of a word cost half a millisecond more, a dozen lookups a search. 256 kB
keeps the insert batching and makes that cost negligible; akhbar.core.planner empties the
list after a bulk import.
"""

from django.db import migrations

PENDING_LIST_KB = 256


def gin_indexes(schema_editor, table):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s AND indexdef LIKE '%%USING gin%%'",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def alter_gin_indexes(clause: str):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
        for index in gin_indexes(schema_editor, table):
            schema_editor.execute(f"ALTER INDEX {schema_editor.quote_name(index)} {clause}")

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("akhbar_search", "0002_indexed_word"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(
            alter_gin_indexes(f"SET (gin_pending_list_limit = {PENDING_LIST_KB})"),
            alter_gin_indexes("RESET (gin_pending_list_limit)"),
            elidable=False,
        )
    ]
