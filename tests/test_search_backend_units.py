"""The pieces of the search backends that turn text into query syntax and back, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.search import bm25
from akhbar.search.analysis import QueryTerm, clean_term, clean_terms, query_terms


@pytest.fixture
def postgres_helpers():
    """akhbar.search.postgres imports modelsearch's PostgreSQL backend, which needs psycopg only."""
    pytest.importorskip("psycopg")
    from akhbar.search import postgres

    return postgres


def test_clean_term_keeps_letters_and_digits_only():
    assert clean_term('"NEAR(الولايات*') == "nearالولايات"
    assert clean_term("ً\u202e-:") == ""
    assert clean_terms(["abc", "DEF"]) == ["abc", "def"]
    assert clean_terms(["ok", 'x"y', ""]) == ["ok", "xy"]


@given(st.text(max_size=80))
def test_query_terms_are_always_plain_letters_and_digits(text):
    for term in query_terms(text):
        for piece in (term.surface, *term.readings):
            assert piece and piece.isalnum() and piece == piece.lower()
        assert term.surface in term.readings


def test_fts5_match_quotes_every_term():
    from akhbar.search.fts5 import fts_phrase, word_match

    assert fts_phrase('a"b') == '"a""b"'
    match = word_match(QueryTerm("كتاب", ("كتاب", "كتب")), "all")
    assert match == '({title body} : "كتاب") OR ({title_stems body_stems} : ("كتاب" OR "كتب"))'
    assert word_match(QueryTerm("x", ("x",)), "heading").startswith("({title} :")


def test_tsvector_literal_marks_stems_and_weights(postgres_helpers):
    literal = postgres_helpers.tsvector_literal((["كتاب", "جديد"], "A", ["كتاب", "كتب"], "B"), (["كتاب"], "C", ["كتب"], "D"))
    assert literal == "'كتاب':1A,4C 'جديد':2A '~كتاب':1B '~كتب':2B,4D"
    assert postgres_helpers.quote_lexeme("it's\\") == "'it''s\\\\'"


def test_weighted_tf_counts_only_the_classes_of_the_form(postgres_helpers):
    """A surface form counts in A and C (heading and text surface words), a reading in B and D."""
    assert postgres_helpers.weighted_tf("AC", "AC") == bm25.HEADING_SURFACE + bm25.TEXT_SURFACE
    assert postgres_helpers.weighted_tf("BDD", "BD") == bm25.HEADING_STEMS + 2 * bm25.TEXT_STEMS
    assert postgres_helpers.weighted_tf("BD", "AC") == 0


def test_bm25_weights_before_saturation_and_rewards_rarity():
    average = 100.0
    title = bm25.phrase_score(bm25.HEADING_SURFACE, 1.0, 100, average)
    text = bm25.phrase_score(bm25.TEXT_SURFACE, 1.0, 100, average)
    assert text < title < 2.5 * text  # weights count before saturation, as in FTS5
    assert bm25.phrase_score(1.0, bm25.idf(5, 10_000), 100, average) > bm25.phrase_score(1.0, bm25.idf(500, 10_000), 100, average)
    assert bm25.phrase_score(1.0, 1.0, 50, average) > bm25.phrase_score(1.0, 1.0, 400, average)  # shorter wins
    assert bm25.idf(9_000, 10_000) == 1e-6  # a word in most documents counts (almost) nothing
