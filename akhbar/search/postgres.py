"""PostgreSQL: Akhbar's analysed terms as tsvectors in modelsearch's IndexEntry table.

The vectors are written as tsvector literals, not through to_tsvector, so PostgreSQL's own
parser, stemming and stop words never touch the terms (the analysis is Akhbar's). Stems are
marked with a leading "~", so a surface word and a stem are different lexemes:

    body    every term: heading surface A, heading stems B, text surface C, text stems D
    title   the heading terms only (A, B): small, stored in the row itself

Ranking is the SQLite backend's (FTS5's BM25 with column weights, see bm25.py), computed
here: a query word is its surface form (matched in classes A and C) and each of its readings
(B and D), each with its own document frequency. Reading a body vector (compressed, out of
line) costs far more than a GIN lookup, so it happens in two steps:

1. every candidate, from GIN lookups alone: is any form of the word there, is the exact word
   there, which forms are in the title; the server computes the scores and sends back arrays
   of ids and scores (first_step_statement);
2. the REFINE_DEPTH best candidates again, from their body vectors: how often each form
   occurs in each class (the server unnests the vectors and sends only the query's lexemes).
"""

import time
from collections import OrderedDict
from contextlib import contextmanager

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
from modelsearch.utils import get_descendants_content_types_pks

from .autocomplete import NormalisedAutocompleteMixin
from .bm25 import B, HEADING_STEMS, HEADING_SURFACE, K1, TEXT_STEMS, TEXT_SURFACE, idf, phrase_score
from .index import AnalysedIndexMixin
from .ranking import HEADING, ArabicBackendMixin, ArabicSearchQueryCompiler

IndexEntry = get_app_config().get_model("IndexEntry", require_ready=False)

STEM_MARK = "~"
CLASS_WEIGHTS = {"A": HEADING_SURFACE, "B": HEADING_STEMS, "C": TEXT_SURFACE, "D": TEXT_STEMS}
REFINE_DEPTH = 20  # the first pages; on the evaluation set the first step alone ranks nearly as well
# Seconds for which index size, average length and document frequencies are reused (or until the index changes).
STATISTICS_TTL = 600
MAX_CACHED_FREQUENCIES = 50_000
_STATISTICS: dict[str, "Statistics"] = {}
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_TERMS = 100_000  # per list; a tsvector may not exceed 1 MB
BATCH = 200
INTEGER_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField")


def quote_lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(*blocks: tuple[list[str], str, list[str], str]) -> str:
    """A tsvector from blocks of (surface terms, weight, stem terms, weight); stems get STEM_MARK."""
    positions: dict[str, list[str]] = {}
    start = 1
    for surface, surface_weight, stems, stem_weight in blocks:
        for terms, weight, mark in ((surface, surface_weight, ""), (stems, stem_weight, STEM_MARK)):
            for index, term in enumerate(terms[:MAX_TERMS]):
                positions.setdefault(mark + term, []).append(f"{min(MAX_POSITION, start + index)}{weight}")
        start = min(MAX_POSITION, start + max(len(surface), len(stems)) + 1)
    return " ".join(f"{quote_lexeme(term)}:{','.join(marks)}" for term, marks in positions.items())


def any_form_query(term) -> str:
    """tsquery: the word itself among surface words or any of its readings among stems."""
    return " | ".join(quote_lexeme(lexeme) for lexeme, _classes in phrases(term))


def phrases(term) -> list[tuple[str, str]]:
    """(lexeme, weight classes it counts in): the surface form in A and C, each reading in B and D."""
    return [(term.surface, "AC")] + [(STEM_MARK + reading, "BD") for reading in term.readings]


def weighted_tf(marks: str, classes: str) -> float:
    return sum(CLASS_WEIGHTS[mark] for mark in marks if mark in classes)


class PostgresArabicIndex(AnalysedIndexMixin, PostgresIndex):
    def write_documents(self, content_type_id, documents):
        rows = []
        for object_id, document in documents.items():
            heading = (document.heading.surface, "A", document.heading.stems, "B")
            text = (document.text.surface, "C", document.text.stems, "D")
            rows.append(
                (
                    content_type_id,
                    object_id,
                    tsvector_literal(heading),
                    tsvector_literal((document.autocomplete, "D", [], "D")),
                    tsvector_literal(heading, text),
                    # title_norm (modelsearch's, unused here) holds the length BM25 needs: all terms.
                    float(max(1, len(document.heading.surface) + len(document.heading.stems) + len(document.text.surface) + len(document.text.stems))),
                    document.heading_plain,
                )
            )
        table = IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                values = ", ".join(["(%s, %s, %s::tsvector, %s::tsvector, %s::tsvector, %s, %s, '')"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, "
                    f"title_text, body_text) VALUES {values} ON CONFLICT (content_type_id, object_id) DO UPDATE SET "
                    "title = EXCLUDED.title, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                    "title_norm = EXCLUDED.title_norm, title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                    [value for row in chunk for value in row],
                )
        _STATISTICS.pop(self.write_connection.alias, None)

    def delete_item(self, item):
        super().delete_item(item)
        _STATISTICS.pop(self.write_connection.alias, None)

    def reset(self):
        super().reset()
        _STATISTICS.clear()


class PostgresArabicRebuilder(PostgresSearchRebuilder):
    def finish(self):
        pass


class PostgresArabicAtomicRebuilder(PostgresSearchAtomicRebuilder):
    def finish(self):
        self.transaction.__exit__(None, None, None)
        self.transaction_opened = False


class Statistics:
    """Per database, reused for STATISTICS_TTL: index size, average length, and document frequencies
    of lexemes (the most common ones from PostgreSQL's own statistics, the others counted through
    the GIN index when first asked for)."""

    def __init__(self, alias: str):
        self.alias, self.loaded = alias, time.monotonic()
        table = IndexEntry._meta.db_table
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT count(*), avg(title_norm) FROM {table}")
            self.documents, average = cursor.fetchone()
            self.average_length = max(1.0, average or 1.0)
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs, (SELECT reltuples FROM pg_class WHERE oid = %s::regclass) "
                "FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s AND attname = 'body'",
                [table, table],
            )
            row = cursor.fetchone()
        self.counted: OrderedDict[str, int] = OrderedDict()
        self.common: dict[str, int] = {}
        if row and row[0]:
            lexemes, frequencies, analysed_rows = row
            self.common = {lexeme: round(frequency * analysed_rows) for lexeme, frequency in zip(lexemes, frequencies, strict=False)}

    @classmethod
    def get(cls, alias: str) -> "Statistics":
        statistics = _STATISTICS.get(alias)
        if statistics is None or time.monotonic() - statistics.loaded > STATISTICS_TTL:
            statistics = _STATISTICS[alias] = cls(alias)
        return statistics

    def known(self, lexeme: str) -> int | None:
        """The lexeme's document frequency if known without counting."""
        found = self.common.get(lexeme)
        return self.counted.get(lexeme) if found is None else found

    def remember(self, counted: dict[str, int]) -> None:
        """Document frequencies counted elsewhere (a search's first step), for the next searches."""
        self.counted.update((lexeme, found) for lexeme, found in counted.items() if lexeme not in self.common)
        while len(self.counted) > MAX_CACHED_FREQUENCIES:
            self.counted.popitem(last=False)

    def frequencies(self, lexemes) -> dict[str, int]:
        missing = [lexeme for lexeme in dict.fromkeys(lexemes) if lexeme not in self.common and lexeme not in self.counted]
        if missing:
            table = IndexEntry._meta.db_table
            counts = ", ".join([f"(SELECT count(*) FROM {table} WHERE body @@ %s::tsquery)"] * len(missing))
            with connections[self.alias].cursor() as cursor, index_scans(cursor):
                cursor.execute(f"SELECT {counts}", [quote_lexeme(lexeme) for lexeme in missing])
                self.counted.update(zip(missing, cursor.fetchone(), strict=True))
            while len(self.counted) > MAX_CACHED_FREQUENCIES:
                self.counted.popitem(last=False)
        return {lexeme: self.common.get(lexeme, self.counted.get(lexeme, 0)) for lexeme in lexemes}


def first_step_statement(
    term, index: int, column: str, content_type_ids, statistics: "Statistics", integer_ids: bool
) -> tuple[str, list]:
    """One word's first step: its documents' ids and BM25 scores, and its forms' document frequencies.

    Known per document without reading its body vector, each from a GIN lookup of its own:
    whether the exact word is there (`exact`), which forms its title has (`titled`: the
    titles with any form, each tested for each form; title vectors are small and kept in the
    row); and its length. A form in the title counts once in the heading's class;
    the exact word brings every reading of it along in the text's classes; a document with
    only some reading in its text counts the most common reading (the first step cannot tell
    which). refine() scores the best candidates again from every occurrence in their vectors.

    The document frequencies come from the same lookups (the exact word's documents; with one
    reading, every document with any form has it) or, for a word with several readings, a
    count each. The arithmetic is bm25's, done by the server, so that arrays of ids and
    scores come back rather than a row per document for Python to score.
    """
    table = IndexEntry._meta.db_table
    lexemes = [lexeme for lexeme, _classes in phrases(term)]  # the surface form, then each reading
    counts = ["(SELECT count(*) FROM exact)"]
    count_params: list = []
    for lexeme in lexemes[1:]:
        known = statistics.known(lexeme) if column == "body" else None
        if known is not None:
            counts.append("%s::bigint")
            count_params.append(known)
        elif len(lexemes) == 2:
            counts.append("(SELECT count(*) FROM found)")
        else:
            counts.append(f"(SELECT count(*) FROM {table} WHERE {column} @@ %s::tsquery)")
            count_params.append(quote_lexeme(lexeme))
    idfs = [f"idf{position}" for position in range(len(lexemes))]
    # bm25.idf: ln((N − n + 0.5) / (n + 0.5)), at least 1e-6 (N is cached, n is counted now).
    idf_sql = ", ".join(
        f"greatest(1e-6, ln(greatest(%s::float8 - df{position} + 0.5, 1e-9) / (df{position} + 0.5))) AS {name}"
        for position, name in enumerate(idfs)
    )
    idf_params = [statistics.documents] * len(lexemes)

    saturation = f"{K1} * (1 - {B} + {B} * title_norm / %s::float8)"

    def saturated(tf: str, idf_name: str) -> str:
        """bm25.phrase_score: idf × tf·(k1+1) / (tf + k1·(1−b+b·D/avgD))."""
        return f"({idf_name} * {tf} * {K1 + 1} / ({tf} + {saturation}))"

    # The weighted occurrences this step assumes: tf0 for the surface form, tf1… for the
    # readings, from which forms the title has (t0, t1… of `titled`) and from `exact`.
    exact = "exact.id IS NOT NULL"
    tfs = [f"(CASE WHEN t0 THEN {HEADING_SURFACE} WHEN {exact} THEN {TEXT_SURFACE} ELSE 0 END)"] + [
        f"(CASE WHEN t{position} THEN {HEADING_STEMS} ELSE 0 END + CASE WHEN {exact} THEN {TEXT_STEMS} ELSE 0 END)"
        for position in range(1, len(lexemes))
    ]
    with_title = " + ".join(saturated(tf, name) for tf, name in zip(tfs, idfs, strict=True))
    exact_only = " + ".join([saturated(str(TEXT_SURFACE), idfs[0])] + [saturated(str(TEXT_STEMS), name) for name in idfs[1:]])
    # Only some reading in the text: the most common one, which has the smallest idf.
    some_reading = saturated(str(TEXT_STEMS), f"least({', '.join(idfs[1:])})") if len(idfs) > 1 else "0"
    score = f"CASE WHEN titled.id IS NOT NULL THEN {with_title} WHEN {exact} THEN {exact_only} ELSE {some_reading} END"
    score_params = [statistics.average_length] * score.count("%s")
    in_title = ", ".join(f"title @@ %s::tsquery AS t{position}" for position in range(len(lexemes)))
    object_id = "object_id::bigint" if integer_ids else "object_id"  # integer keys come back as numbers
    # Each lookup is a GIN index scan alone: with the content type beside it the planner
    # prefers the content type's b-tree, and then reads every body vector.
    sql = f"""(
        WITH found AS MATERIALIZED (SELECT id, content_type_id, object_id, title_norm FROM {table} WHERE {column} @@ %s::tsquery),
             exact AS MATERIALIZED (SELECT id FROM {table} WHERE {column} @@ %s::tsquery),
             titled AS MATERIALIZED (SELECT id, {in_title} FROM {table} WHERE title @@ %s::tsquery),
             frequencies AS MATERIALIZED (SELECT {", ".join(f"{count} AS df{position}" for position, count in enumerate(counts))}),
             weights AS MATERIALIZED (SELECT *, {idf_sql} FROM frequencies)
        SELECT %s, ARRAY[{", ".join(f"df{position}" for position in range(len(lexemes)))}]::bigint[], scored.ids, scored.scores
        FROM weights, LATERAL (
            SELECT array_agg({object_id}) AS ids, array_agg({score}) AS scores
            FROM found LEFT JOIN exact USING (id) LEFT JOIN titled USING (id)
            WHERE found.content_type_id = ANY(%s)
        ) scored
    )"""
    return sql, [
        any_form_query(term), quote_lexeme(term.surface), *[quote_lexeme(lexeme) for lexeme in lexemes], any_form_query(term),
        *count_params, *idf_params, index, *score_params, list(content_type_ids),
    ]


class PostgresArabicQueryCompiler(ArabicSearchQueryCompiler):
    refine_depth = REFINE_DEPTH

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.frequencies: dict[str, int] = {}  # lexeme → documents, as counted by this search's first step

    @property
    def hits_keyed_by_pk(self) -> bool:
        """Integer primary keys (pages) come back from the server as numbers; others as object_id text."""
        field = self.queryset.model._meta.pk
        while field.is_relation:  # a page type's key is its parent page's
            field = field.target_field
        return field.get_internal_type() in INTEGER_FIELDS

    def fetch_hits(self, terms, group, content_type_ids):
        """First step, for every document with any form of a word: GIN lookups and the title vector."""
        column = "title" if group == HEADING else "body"
        statistics = Statistics.get(self.queryset.db)
        statements, params = [], []
        for index, term in enumerate(terms):
            sql, term_params = first_step_statement(term, index, column, content_type_ids, statistics, self.hits_keyed_by_pk)
            statements.append(sql)
            params += term_params
        with connections[self.queryset.db].cursor() as cursor, index_scans(cursor):
            cursor.execute(" UNION ALL ".join(statements), params)
            rows = cursor.fetchall()
        hits = [{} for _term in terms]
        for index, frequencies, object_ids, scores in rows:
            if column == "body":  # for refine() and later searches
                counted = dict(zip((lexeme for lexeme, _classes in phrases(terms[index])), frequencies, strict=True))
                self.frequencies.update(counted)
                statistics.remember(counted)
            if object_ids:
                hits[index] = dict(zip(object_ids, scores, strict=True))
        return hits

    def refine(self, order):
        """Second step, for the best candidates: every occurrence of every form, from the body vectors.

        The server unnests those vectors and sends back only the query's lexemes, with the
        weight letter of each occurrence.
        """
        words = self.plan().words
        head = order[:REFINE_DEPTH]
        if len(head) < 2 or not words:
            return order
        statistics = Statistics.get(self.queryset.db)
        terms = [form for term, _hits, _boost in words for form in (term, *self.alternative_terms(term))]
        lexemes = list(dict.fromkeys(lexeme for term in terms for lexeme, _classes in phrases(term)))
        missing = [lexeme for lexeme in lexemes if lexeme not in self.frequencies]
        frequencies = {**(statistics.frequencies(missing) if missing else {}), **self.frequencies}
        idfs = {lexeme: idf(found, statistics.documents) for lexeme, found in frequencies.items()}
        sql = (
            f"SELECT entry.object_id, entry.title_norm, found.lexeme, array_to_string(found.weights, '') "
            f"FROM {IndexEntry._meta.db_table} entry LEFT JOIN LATERAL unnest(entry.body) found ON found.lexeme = ANY(%s) "
            "WHERE entry.content_type_id = ANY(%s) AND entry.object_id = ANY(%s)"
        )
        content_types = get_descendants_content_types_pks(self.queryset.model)
        vectors: dict[str, tuple[dict, float]] = {}
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, [lexemes, content_types, [str(pk) for pk, _value in head]])
            for object_id, length, lexeme, weights in cursor.fetchall():
                found, _length = vectors.setdefault(object_id, ({}, length))
                if lexeme is not None:
                    found[lexeme] = weights
        refined = []
        for pk, (matched, score) in head:
            vector = vectors.get(str(pk))
            if vector is not None:
                found, length = vector

                def term_score(term, found=found, length=length):
                    return sum(
                        phrase_score(weighted_tf(found.get(lexeme, ""), classes), idfs[lexeme], length, statistics.average_length)
                        for lexeme, classes in phrases(term)
                    )

                # A word's score is its own or an alternative's (ranking.merged_score), as in the first step.
                score = sum(boost * self.merged_score(term, term_score) for term, _hits, boost in words)
            refined.append((pk, (matched, score)))
        refined.sort(key=lambda item: self.rank_key(item[1]))
        return refined + order[REFINE_DEPTH:]

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


@contextmanager
def index_scans(cursor):
    """For one statement: no sequential scans, no JIT.

    The planner does not count the cost of reading toasted vectors: a sequential scan looks
    cheaper than the GIN index, and is a hundred times slower. And a search's statement, one
    part per word, easily costs more than jit_above_cost: compiling it takes longer (a fifth
    of a second) than running it.
    """
    cursor.execute("SET enable_seqscan = off; SET jit = off")
    try:
        yield
    finally:
        cursor.execute("RESET enable_seqscan; RESET jit")
