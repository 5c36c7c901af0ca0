"""SQLite: Akhbar's analysed text in an FTS5 table of its own, ranked with BM25.

    akhbar_search_fts(title, title_stems, body, body_stems)   rowid = modelsearch IndexEntry.id

modelsearch's IndexEntry row stays the record of what is indexed (object, content type,
autocomplete words): deleting it deletes the FTS row (trigger in migration 0001). Its own FTS
table gets the normalised title only, so nothing is stored twice. BM25 weights the four
columns, heading surface words highest, text stems lowest.
"""

import json

from django.db import connections
from django.db.models.expressions import RawSQL
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteIndex,
    SQLiteSearchAtomicRebuilder,
    SQLiteSearchBackend,
    SQLiteSearchRebuilder,
    SQLiteSearchResults,
)
from modelsearch.conf import get_app_config

from .autocomplete import NormalisedAutocompleteMixin
from .bm25 import HEADING_STEMS, HEADING_SURFACE, TEXT_STEMS, TEXT_SURFACE
from .filter_cache import MAX_ROWS, remember
from .fts5 import word_match
from .index import AnalysedIndexMixin
from .ranking import ArabicBackendMixin, ArabicSearchQueryCompiler

FTS_TABLE = "akhbar_search_fts"
FTS_COLUMNS = ("title", "title_stems", "body", "body_stems")
# BM25 weight per column, in FTS_COLUMNS order.
COLUMN_WEIGHTS = (HEADING_SURFACE, HEADING_STEMS, TEXT_SURFACE, TEXT_STEMS)
BATCH = 500

IndexEntry = get_app_config().get_model("IndexEntry", require_ready=False)


class SQLiteArabicIndex(AnalysedIndexMixin, SQLiteIndex):
    def write_documents(self, content_type_id, documents):
        entries = self.entries.filter(content_type_id=content_type_id).only("id", "object_id", "title", "autocomplete")
        object_ids = list(documents)
        existing = {}
        for start in range(0, len(object_ids), BATCH):
            existing.update((entry.object_id, entry) for entry in entries.filter(object_id__in=object_ids[start : start + BATCH]))
        changed = []
        for object_id, entry in existing.items():
            document = documents[object_id]
            autocomplete = " ".join(document.autocomplete)
            if entry.title != document.heading_plain or entry.autocomplete != autocomplete:
                entry.title, entry.autocomplete = document.heading_plain, autocomplete
                changed.append(entry)
        if changed:
            IndexEntry._default_manager.bulk_update(changed, ["title", "autocomplete"], batch_size=BATCH)
        fresh = [
            IndexEntry(
                content_type_id=content_type_id,
                object_id=object_id,
                title=document.heading_plain,
                autocomplete=" ".join(document.autocomplete),
                body="",
            )
            for object_id, document in documents.items()
            if object_id not in existing
        ]
        created = IndexEntry._default_manager.bulk_create(fresh, batch_size=BATCH)
        existing.update((entry.object_id, entry) for entry in created)
        rows = [
            (
                existing[object_id].id,
                " ".join(document.heading.surface),
                " ".join(document.heading.stems),
                " ".join(document.text.surface),
                " ".join(document.text.stems),
            )
            for object_id, document in documents.items()
        ]
        with self.write_connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (%s, %s, %s, %s, %s)",
                rows,
            )

    def reset(self):
        for connection in connections.all():
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {FTS_TABLE}")
        super().reset()

    def optimize(self):
        """Merge the FTS index segments (after a full rebuild): faster queries, smaller file."""
        with self.write_connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


class SQLiteArabicRebuilder(SQLiteSearchRebuilder):
    def finish(self):
        self.index.optimize()


class SQLiteArabicAtomicRebuilder(SQLiteSearchAtomicRebuilder):
    def finish(self):
        self.index.optimize()
        self.transaction.__exit__(None, None, None)
        self.transaction_opened = False


class SQLiteArabicQueryCompiler(ArabicSearchQueryCompiler):
    hits_keyed_by_pk = True  # both ways of fetching below give {primary key: score}

    def fetch_hits(self, terms, group, content_type_ids):
        objects = self.entry_objects(content_type_ids)
        if objects is None:
            return self.fetch_hits_joined(terms, group, content_type_ids)
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        # bm25() is negative, lower is better. Rows become {pk: score} through dict and set
        # operations: a common word has tens of thousands.
        sql = f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        hits = []
        with connections[self.queryset.db].cursor() as cursor:
            for term in terms:
                cursor.execute(sql, [word_match(term, group)])
                scores = dict(cursor.fetchall())
                rows = list(scores.keys() & objects.keys())
                hits.append(dict(zip(map(objects.__getitem__, rows), map(scores.__getitem__, rows), strict=True)))
        return hits

    def entry_objects(self, content_type_ids) -> dict | None:
        """{FTS row (index entry id): primary key} of the entries of these content types, remembered
        until the next commit (filter_cache.py); None when not remembered here."""
        model = self.queryset.model
        key = ("entries", model._meta.label, tuple(sorted(content_type_ids)))

        def compute():
            to_pk = model._meta.pk.to_python
            entries = IndexEntry._default_manager.using(self.queryset.db).filter(content_type_id__in=content_type_ids)
            rows = list(entries.values_list("id", "object_id")[: MAX_ROWS + 1])
            return {entry: to_pk(object_id) for entry, object_id in rows} if len(rows) <= MAX_ROWS else None

        return remember(self.queryset.db, key, compute)

    def fetch_hits_joined(self, terms, group, content_type_ids):
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        placeholders = ", ".join(["%s"] * len(content_type_ids))
        # CROSS JOIN keeps the FTS match as the outer loop (otherwise SQLite may probe the FTS
        # table once per index entry).
        sql = (
            f"SELECT entry.object_id, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "
            f"CROSS JOIN {IndexEntry._meta.db_table} entry ON entry.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND entry.content_type_id IN ({placeholders})"
        )
        to_pk = self.queryset.model._meta.pk.to_python
        hits = []
        with connections[self.queryset.db].cursor() as cursor:
            for term in terms:
                cursor.execute(sql, [word_match(term, group), *content_type_ids])
                hits.append({to_pk(object_id): score for object_id, score in cursor.fetchall()})
        return hits

    def pk_subquery(self, pks):
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(pks))])


class SQLiteArabicAutocompleteCompiler(NormalisedAutocompleteMixin, SQLiteAutocompleteQueryCompiler):
    pass


class SQLiteArabicSearchBackend(ArabicBackendMixin, SQLiteSearchBackend):
    query_compiler_class = SQLiteArabicQueryCompiler
    autocomplete_query_compiler_class = SQLiteArabicAutocompleteCompiler
    index_class = SQLiteArabicIndex
    rebuilder_class = SQLiteArabicRebuilder
    atomic_rebuilder_class = SQLiteArabicAtomicRebuilder
    autocomplete_results_class = SQLiteSearchResults
