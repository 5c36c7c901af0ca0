"""The index vocabulary: every normalised surface word of the indexed documents, with the number
of documents containing it (IndexedWord).

    known_words(words) -> {word: documents}    one query, for any number of words
    record(connection, old, new)               after documents were (re)indexed or removed
    relearn()                                  an exact recount from the search index itself

Two ways of keeping it, because they cost differently:

- As documents are indexed (akhbar/search/index.py), each document's words before and after
  are compared and the counts moved by the difference, in the indexing transaction: a word
  of a newly published article is known at once. Words are written in sorted order, so
  concurrent indexing transactions on PostgreSQL lock rows in the same order (no deadlocks).
- `relearn()` recounts everything from the index in the database engine itself (SQLite: an
  fts5vocab table over the FTS table; PostgreSQL: ts_stat over the body vectors), first into
  a temporary table, then writes only the differences. It runs in the task worker (hourly)
  and at the end of `import_jsonl` and `update_index`; it corrects whatever the incremental
  counts missed (entries deleted without the backend, a failed transaction elsewhere).

Only words of Akhbar's Arabic backends are learned; with the stock backend the table stays empty.
"""

import json
from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import connections, router, transaction

from .models import MAX_WORD_LENGTH, IndexedWord

TABLE = IndexedWord._meta.db_table
FTS_TABLE = "akhbar_search_fts"  # akhbar/search/sqlite.py
STEM_MARK = "~"  # akhbar/search/postgres.py: stems are marked, surface words are not


def database_alias() -> str:
    return router.db_for_write(IndexedWord)


def _entry_table() -> str:
    from modelsearch.conf import get_app_config

    return get_app_config().get_model("IndexEntry")._meta.db_table


def _usable(words: Iterable[str]) -> list[str]:
    return [word for word in dict.fromkeys(words) if isinstance(word, str) and 0 < len(word) <= MAX_WORD_LENGTH]


def known_words(words: Iterable[str], using: str | None = None) -> dict[str, int]:
    """{word: documents} for those of `words` that occur in the index (one query, any number of words)."""
    words = _usable(words)
    if not words:
        return {}
    connection = connections[using or router.db_for_read(IndexedWord)]
    if connection.vendor == "postgresql":
        sql, parameter = f"SELECT word, documents FROM {TABLE} WHERE word = ANY(%s)", words
    else:  # the JSON list drives the loop: one primary-key probe per word (twice as fast as IN here)
        sql, parameter = f"SELECT word, documents FROM json_each(%s) asked CROSS JOIN {TABLE} ON word = asked.value", json.dumps(words)
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter])
        return {word: documents for word, documents in cursor.fetchall() if documents > 0}


def vocabulary_size(using: str | None = None) -> int:
    return IndexedWord.objects.using(using or router.db_for_read(IndexedWord)).filter(documents__gt=0).count()


# Incremental upkeep ---------------------------------------------------------------------------


def document_words(document) -> set[str]:
    """The surface words of an AnalysedDocument (heading and text), each once."""
    return set(document.heading.surface) | set(document.text.surface)


def stored_words(connection, entry_condition: str, params: list) -> dict[tuple[int, str], set[str]]:
    """{(content type, object id): surface words} of the index entries matching `entry_condition`
    (SQL over the IndexEntry table aliased `entry`), as the index holds them now."""
    entries = _entry_table()
    words: dict[tuple[int, str], set[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT entry.content_type_id, entry.object_id, lexeme FROM {entries} entry, unnest(entry.body) "
                f"WHERE {entry_condition} AND left(lexeme, 1) <> %s",
                [*params, STEM_MARK],
            )
            for content_type_id, object_id, lexeme in cursor.fetchall():
                words.setdefault((content_type_id, object_id), set()).add(lexeme)
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT entry.content_type_id, entry.object_id, fts.title, fts.body FROM {entries} entry "
                f"JOIN {FTS_TABLE} fts ON fts.rowid = entry.id WHERE {entry_condition}",
                params,
            )
            for content_type_id, object_id, title, body in cursor.fetchall():
                words[(content_type_id, object_id)] = set((title or "").split()) | set((body or "").split())
    return words


def stored_words_of_objects(connection, content_type_id: int, object_ids: list[str]) -> dict[str, set[str]]:
    """{object id: surface words} of those objects already in the index (before they are rewritten)."""
    if not object_ids:
        return {}
    if connection.vendor == "postgresql":
        condition, params = "entry.content_type_id = %s AND entry.object_id = ANY(%s)", [content_type_id, object_ids]
    else:
        condition = "entry.content_type_id = %s AND entry.object_id IN (SELECT value FROM json_each(%s))"
        params = [content_type_id, json.dumps(object_ids)]
    return {object_id: words for (_ct, object_id), words in stored_words(connection, condition, params).items()}


def stored_words_of_item(connection, item) -> list[set[str]]:
    """The surface words of each index entry of `item` (a model instance), before it is removed."""
    content_types = list(item.index_entries.values_list("content_type_id", flat=True)) if hasattr(item, "index_entries") else []
    if not content_types:
        return []
    object_id = str(item.pk)
    if connection.vendor == "postgresql":
        condition, params = "entry.object_id = %s AND entry.content_type_id = ANY(%s)", [object_id, content_types]
    else:
        condition = "entry.object_id = %s AND entry.content_type_id IN (SELECT value FROM json_each(%s))"
        params = [object_id, json.dumps(content_types)]
    return list(stored_words(connection, condition, params).values())


def record(connection, old: Iterable[set[str]], new: Iterable[set[str]]) -> None:
    """Move the counts by the difference between documents' words before (`old`) and after (`new`)."""
    delta: Counter = Counter()
    for words in new:
        delta.update(words)
    for words in old:
        delta.subtract(words)
    changes = {word: change for word, change in delta.items() if change and len(word) <= MAX_WORD_LENGTH}
    if changes:
        apply_changes(connection, changes)


def apply_changes(connection, changes: Mapping[str, int]) -> None:
    """documents += change for each word (rows created as needed, removed when they reach 0).

    One statement for all the additions and two per distinct negative change, whatever the
    number of words (they travel as one JSON or array parameter).
    """
    words = sorted(changes)  # one lock order for every writer
    added = [word for word in words if changes[word] > 0]
    by_change: dict[int, list[str]] = {}
    for word in words:
        if changes[word] < 0:
            by_change.setdefault(changes[word], []).append(word)
    with connection.cursor() as cursor:
        if added:
            if connection.vendor == "postgresql":
                rows, params = "SELECT * FROM unnest(%s::text[], %s::integer[])", [added, [changes[word] for word in added]]
            else:
                rows, params = "SELECT key, value FROM json_each(%s) WHERE true", [json.dumps({word: changes[word] for word in added})]
            cursor.execute(
                f"INSERT INTO {TABLE} (word, documents) {rows} "
                f"ON CONFLICT (word) DO UPDATE SET documents = {TABLE}.documents + excluded.documents",
                params,
            )
        for change, removed in sorted(by_change.items()):
            condition, parameter = _word_in(connection, removed)
            cursor.execute(
                f"UPDATE {TABLE} SET documents = CASE WHEN documents > %s THEN documents - %s ELSE 0 END WHERE {condition}",
                [-change, -change, parameter],
            )
            cursor.execute(f"DELETE FROM {TABLE} WHERE documents = 0 AND {condition}", [parameter])


def _word_in(connection, words: list[str]) -> tuple[str, object]:
    """SQL condition and its one parameter: `word` is one of `words` (any number of them)."""
    if connection.vendor == "postgresql":
        return "word = ANY(%s)", list(words)
    return "word IN (SELECT value FROM json_each(%s))", json.dumps(list(words))


def forget_all(connection) -> None:
    """The index was emptied (reset before a rebuild)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


# Exact recount --------------------------------------------------------------------------------


def relearn(using: str | None = None) -> int:
    """Recount every word from the search index itself; returns the vocabulary size.

    Costs one pass over the index inside the database engine (seconds for 10,000 articles);
    meant for the worker and the end of bulk commands, never for a web request.
    """
    connection = connections[using or database_alias()]
    if connection.vendor == "sqlite":
        counted = _count_sqlite(connection)
    elif connection.vendor == "postgresql":
        counted = _count_postgres(connection)
    else:
        return 0
    if not counted:
        return 0
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Indexing transactions wait here rather than meet this one's row locks in another order.
            cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        # An anti-join over an indexed, analysed table: NOT IN over a subquery too big for
        # work_mem runs row by row on PostgreSQL (over 16 minutes at 30,000 articles).
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE INDEX akhbar_counted_words_word ON {counted} (word)")
            cursor.execute(f"ANALYZE {counted}")
        else:
            cursor.execute(f"CREATE INDEX temp.akhbar_counted_words_word ON akhbar_counted_words (word)")
        cursor.execute(f"DELETE FROM {TABLE} WHERE NOT EXISTS (SELECT 1 FROM {counted} counted WHERE counted.word = {TABLE}.word)")
        cursor.execute(
            f"INSERT INTO {TABLE} (word, documents) SELECT word, documents FROM {counted} WHERE true "
            f"ON CONFLICT (word) DO UPDATE SET documents = excluded.documents WHERE {TABLE}.documents <> excluded.documents"
        )
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        (size,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {counted}")
    return size


def _count_sqlite(connection) -> str:
    """Counts into a temporary table (no write lock on the database while the index is read)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return ""
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.akhbar_fts_instances USING fts5vocab(main, {FTS_TABLE}, instance)")
        cursor.execute("DROP TABLE IF EXISTS temp.akhbar_counted_words")
        cursor.execute(
            "CREATE TEMP TABLE akhbar_counted_words AS SELECT term AS word, count(DISTINCT doc) AS documents "
            f"FROM temp.akhbar_fts_instances WHERE col IN ('title', 'body') AND length(term) <= {MAX_WORD_LENGTH} GROUP BY term"
        )
    return "temp.akhbar_counted_words"


def _count_postgres(connection) -> str:
    entries = _entry_table()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.akhbar_counted_words")
        cursor.execute(
            "CREATE TEMP TABLE akhbar_counted_words AS SELECT word, ndoc AS documents "
            f"FROM ts_stat('SELECT body FROM {entries}') WHERE left(word, 1) <> %s AND length(word) <= {MAX_WORD_LENGTH}",
            [STEM_MARK],
        )
    return "pg_temp.akhbar_counted_words"
