"""SQLite only: the FTS5 table holding Akhbar's analysed text (see akhbar/search/sqlite.py).

A row shares its rowid with Wagtail's search IndexEntry (modelsearch's model, in the wagtailsearch
app); the trigger removes it with the entry, whichever way the entry is deleted (page deleted,
stale entries, index reset).
"""

from django.db import migrations

FTS_TABLE = "akhbar_search_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    entry_table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, title_stems, body, body_stems)"
    )
    schema_editor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {entry_table} "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id; END"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
