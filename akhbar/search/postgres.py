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

1. every candidate, from the GIN indexes and the title vector alone: is any form of the word
   there, is the exact word there, how often in the title;
2. the REFINE_DEPTH best candidates again, from their body vectors: how often each form
   occurs in each class.
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


def occurrences(vector_text: str, lexeme: str) -> str:
    """The weight letter of each occurrence of `lexeme` in a tsvector's text form ("" if absent; D is unmarked)."""
    needle = quote_lexeme(lexeme) + ":"
    start = vector_text.find(needle)
    while start > 0 and vector_text[start - 1] != " ":
        start = vector_text.find(needle, start + 1)
    if start < 0:
        return ""
    end = vector_text.find(" ", start)
    marks = vector_text[start + len(needle) : end if end >= 0 else len(vector_text)]
    return "".join(position[-1] if position[-1] in "ABC" else "D" for position in marks.split(","))


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


class FirstStepScorer:
    """A word's BM25 score from what the first step knows: whether the exact word is in the
    document, the title's occurrences, the length. The exact word brings every reading of it
    along; for a stem-only match the reading is not known yet and counts as the most common one."""

    def __init__(self, term, frequencies: dict[str, int], statistics: Statistics):
        self.phrases = phrases(term)
        self.idfs = {lexeme: idf(frequencies[lexeme], statistics.documents) for lexeme, _classes in self.phrases}
        reading_idfs = [self.idfs[lexeme] for lexeme, classes in self.phrases if classes == "BD"]
        self.surface_idf, self.readings_idf = self.idfs[term.surface], sum(reading_idfs)
        self.some_reading_idf = min(reading_idfs, default=0.0)
        self.average_length = statistics.average_length

    def score(self, exact: bool, title: str | None, length: float) -> float:
        if title is None:  # most documents: phrase_score() written out, it runs for every one
            saturation = K1 * (1 - B + B * length / self.average_length)
            if exact:
                return (K1 + 1) * (
                    self.surface_idf * TEXT_SURFACE / (TEXT_SURFACE + saturation)
                    + self.readings_idf * TEXT_STEMS / (TEXT_STEMS + saturation)
                )
            return (K1 + 1) * self.some_reading_idf * TEXT_STEMS / (TEXT_STEMS + saturation)
        score = 0.0
        for lexeme, classes in self.phrases:
            tf = weighted_tf(occurrences(title, lexeme), classes)
            if exact and not (classes == "AC" and tf):  # the exact word may be in the title only
                tf += TEXT_SURFACE if classes == "AC" else TEXT_STEMS
            score += phrase_score(tf, self.idfs[lexeme], length, self.average_length)
        return score


class PostgresArabicQueryCompiler(ArabicSearchQueryCompiler):
    refine_depth = REFINE_DEPTH

    def fetch_hits(self, terms, group, content_type_ids):
        """First step, for every document with any form of a word: GIN lookups and the title vector."""
        column = "title" if group == HEADING else "body"
        table = IndexEntry._meta.db_table
        # Only the GIN-indexable condition inside the CTEs: with the content type beside it,
        # the planner prefers the content type's b-tree and then reads every body vector.
        per_term = f"""(
            WITH found AS MATERIALIZED (SELECT id, content_type_id, object_id, title, title_norm FROM {table} WHERE {column} @@ %s::tsquery),
                 exact AS MATERIALIZED (SELECT id FROM {table} WHERE {column} @@ %s::tsquery)
            SELECT %s, object_id, id IN (SELECT id FROM exact), CASE WHEN title @@ %s::tsquery THEN title::text END, title_norm
            FROM found WHERE content_type_id = ANY(%s)
        )"""
        params = []
        for index, term in enumerate(terms):
            params += [any_form_query(term), quote_lexeme(term.surface), index, any_form_query(term), list(content_type_ids)]
        with connections[self.queryset.db].cursor() as cursor, index_scans(cursor):
            cursor.execute(" UNION ALL ".join([per_term] * len(terms)), params)
            rows = cursor.fetchall()
        statistics = Statistics.get(self.queryset.db)
        frequencies = statistics.frequencies([lexeme for term in terms for lexeme, _classes in phrases(term)])
        hits = [{} for _term in terms]
        scorers = [FirstStepScorer(term, frequencies, statistics) for term in terms]
        for index, object_id, exact, title, length in rows:
            hits[index][object_id] = scorers[index].score(exact, title, length)
        return hits

    def refine(self, order):
        """Second step, for the best candidates: every occurrence of every form, from the body vectors."""
        words = self.plan().words
        head = order[:REFINE_DEPTH]
        if len(head) < 2 or not words:
            return order
        sql = (
            f"SELECT object_id, body::text, title_norm FROM {IndexEntry._meta.db_table} "
            "WHERE content_type_id = ANY(%s) AND object_id = ANY(%s)"
        )
        content_types = get_descendants_content_types_pks(self.queryset.model)
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, [content_types, [str(pk) for pk, _value in head]])
            vectors = {object_id: (body, length) for object_id, body, length in cursor.fetchall()}
        statistics = Statistics.get(self.queryset.db)
        terms = [form for term, _hits, _boost in words for form in (term, *self.alternative_terms(term))]
        frequencies = statistics.frequencies([lexeme for term in terms for lexeme, _classes in phrases(term)])
        idfs = {lexeme: idf(found, statistics.documents) for lexeme, found in frequencies.items()}
        refined = []
        for pk, (matched, score) in head:
            vector = vectors.get(str(pk))
            if vector is not None:
                body, length = vector

                def term_score(term, body=body, length=length):
                    return sum(
                        phrase_score(weighted_tf(occurrences(body, lexeme), classes), idfs[lexeme], length, statistics.average_length)
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
    """The planner does not count the cost of reading toasted vectors: a sequential scan looks
    cheaper than the GIN index, and is a hundred times slower. Off for one statement."""
    cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        cursor.execute("RESET enable_seqscan")
