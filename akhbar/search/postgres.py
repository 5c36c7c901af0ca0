"""PostgreSQL: Akhbar's analysed terms as weighted tsvectors in modelsearch's IndexEntry table.

The vectors are written as tsvector literals, not through to_tsvector, so PostgreSQL's own
parser, stemming and stop words never touch the terms (the analysis is Akhbar's):

    body    every term: heading surface A, heading stems B, text surface C, text stems D
    title   the heading terms only (A, B), for searches restricted to the title

A query word is `'surface':AC | 'reading':BD | …` (surface forms match only surface words,
readings only stems), looked up through the GIN index on `body`. ts_rank has no notion of
rarity, so each word's rank is multiplied by its inverse document frequency (as in BM25).
"""

import math

from django.db import connections
from django.db.models.expressions import RawSQL
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchRebuilder,
    PostgresSearchResults,
)
from modelsearch.conf import get_app_config

from .index import AnalysedIndexMixin
from .autocomplete import NormalisedAutocompleteMixin
from .ranking import ALL, HEADING, ArabicBackendMixin, ArabicSearchQueryCompiler

IndexEntry = get_app_config().get_model("IndexEntry", require_ready=False)

# ts_rank weights, in PostgreSQL's order {D, C, B, A}: text stems, text surface, heading stems, heading surface.
RANK_WEIGHTS = "{0.1,0.25,0.45,1.0}"
# ts_rank normalisation 1: divide by 1 + log(document length).
RANK_NORMALISATION = 1
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_TERMS = 100_000  # per list; a tsvector may not exceed 1 MB
BATCH = 200


def quote_lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(*blocks: tuple[list[str], str, list[str], str]) -> str:
    """A tsvector from blocks of (surface terms, weight, stem terms, weight).

    Surface words take the odd positions and stems the even ones of a block, so a stem equal
    to its word keeps its own (lower) weight instead of being merged into the word's position.
    """
    positions: dict[str, list[str]] = {}
    start = 1
    for surface, surface_weight, stems, stem_weight in blocks:
        for offset, terms, weight in ((0, surface, surface_weight), (1, stems, stem_weight)):
            for index, term in enumerate(terms[:MAX_TERMS]):
                position = min(MAX_POSITION, start + 2 * index + offset)
                positions.setdefault(term, []).append(f"{position}{weight}")
        start = min(MAX_POSITION, start + 2 * max(len(surface), len(stems)) + 2)
    return " ".join(f"{quote_lexeme(term)}:{','.join(marks)}" for term, marks in positions.items())


def word_tsquery(term, group: str) -> str:
    surface_weights, stem_weights = {ALL: ("AC", "BD"), HEADING: ("A", "B"), "text": ("C", "D")}[group]
    items = [f"{quote_lexeme(term.surface)}:{surface_weights}"]
    items += [f"{quote_lexeme(reading)}:{stem_weights}" for reading in term.readings]
    return " | ".join(items)


class PostgresArabicIndex(AnalysedIndexMixin, PostgresIndex):
    def write_documents(self, content_type_id, documents):
        rows = []
        for object_id, document in documents.items():
            heading = (document.heading.surface, "A", document.heading.stems, "B")
            text = (document.text.surface, "C", document.text.stems, "D")
            autocomplete = (document.autocomplete, "D", [], "D")
            rows.append(
                (
                    content_type_id,
                    object_id,
                    tsvector_literal(heading),
                    tsvector_literal(autocomplete),
                    tsvector_literal(heading, text),
                    document.heading_plain,
                )
            )
        table = IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                values = ", ".join(["(%s, %s, %s::tsvector, %s::tsvector, %s::tsvector, 1.0, %s, '')"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text) "
                    f"VALUES {values} ON CONFLICT (content_type_id, object_id) DO UPDATE SET "
                    "title = EXCLUDED.title, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                    "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                    [value for row in chunk for value in row],
                )


class PostgresArabicRebuilder(PostgresSearchRebuilder):
    def finish(self):
        pass


class PostgresArabicAtomicRebuilder(PostgresSearchAtomicRebuilder):
    def finish(self):
        self.transaction.__exit__(None, None, None)
        self.transaction_opened = False


class PostgresArabicQueryCompiler(ArabicSearchQueryCompiler):
    def fetch_word_hits(self, term, group, content_type_ids):
        column = "title" if group == HEADING else "body"
        query = word_tsquery(term, group)
        lexemes = len({term.surface, *term.readings})
        sql = (
            f"SELECT object_id, ts_rank(%s::float4[], {column}, %s::tsquery, {RANK_NORMALISATION}) "
            f"FROM {IndexEntry._meta.db_table} WHERE content_type_id = ANY(%s) AND {column} @@ %s::tsquery"
        )
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, [RANK_WEIGHTS, query, list(content_type_ids), query])
            rows = cursor.fetchall()
        if not rows:
            return {}
        # ts_rank divides an OR query's rank by its number of lexemes: undo that, then weight by rarity.
        documents = self._corpus_size(len(rows))
        idf = math.log(1 + (documents - len(rows) + 0.5) / (len(rows) + 0.5))
        return {object_id: rank * lexemes * idf for object_id, rank in rows}

    def _corpus_size(self, at_least: int) -> int:
        """Number of index entries, from the planner's statistics (exact enough for IDF, and free)."""
        if not hasattr(self, "_documents"):
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [IndexEntry._meta.db_table])
                row = cursor.fetchone()
                self._documents = row[0] if row and row[0] and row[0] > 0 else None
                if self._documents is None:
                    cursor.execute(f"SELECT count(*) FROM {IndexEntry._meta.db_table}")
                    self._documents = cursor.fetchone()[0]
        return max(self._documents, at_least)

    def pk_subquery(self, pks):
        pk = self.queryset.model._meta.pk
        db_type = pk.db_type(connections[self.queryset.db]) or "text"
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", [list(pks)])


class PostgresArabicAutocompleteCompiler(NormalisedAutocompleteMixin, PostgresAutocompleteQueryCompiler):
    pass


class PostgresArabicSearchBackend(ArabicBackendMixin, PostgresSearchBackend):
    query_compiler_class = PostgresArabicQueryCompiler
    autocomplete_query_compiler_class = PostgresArabicAutocompleteCompiler
    index_class = PostgresArabicIndex
    autocomplete_results_class = PostgresSearchResults
    rebuilder_class = PostgresArabicRebuilder
    atomic_rebuilder_class = PostgresArabicAtomicRebuilder

    def __init__(self, params):
        super().__init__(params)
        self.config = "simple"  # only for modelsearch's own paths (autocomplete): no stemming, no stop words
