"""Should-match and must-not-match word pairs through the public API (query side vs index side)."""

import pytest
from snowballstemmer.arabic_stemmer import ArabicStemmer  # the pure-Python class, never PyStemmer

from akhbar.arabic.analysis import ANALYZER
from tests.arabic.word_pairs import MUST_NOT_MATCH, SHOULD_MATCH


def query_terms(word: str) -> set[str]:
    (query_word,) = ANALYZER.query_words(word)
    return {query_word.surface} | query_word.stems


def document_terms(word: str) -> set[str]:
    terms = ANALYZER.index_terms(word)
    return set(terms.surface) | set(terms.stems)


def test_the_lists_are_long_enough():
    assert len(SHOULD_MATCH) >= 40 and len(MUST_NOT_MATCH) >= 20


@pytest.mark.parametrize(("query", "document"), SHOULD_MATCH)
def test_should_match(query, document):
    assert query_terms(query) & document_terms(document), (query, document)


@pytest.mark.parametrize(("query", "document"), MUST_NOT_MATCH)
def test_must_not_match(query, document):
    assert not query_terms(query) & document_terms(document), (query, document)


@pytest.mark.parametrize(("query", "document"), MUST_NOT_MATCH)
def test_must_not_match_either_way(query, document):
    assert not query_terms(document) & document_terms(query), (document, query)


def test_the_unstripped_word_is_always_a_reading():
    for query, document in SHOULD_MATCH + MUST_NOT_MATCH:
        for word in (query, document):
            for query_word in ANALYZER.query_words(word):
                assert query_word.surface in query_word.stems


def test_snowball_would_merge_what_akhbar_keeps_apart():
    """Why Akhbar has its own stemmer: Snowball cuts names and leaves spellings apart."""
    snowball = ArabicStemmer()
    assert snowball.stemWord("بوتين") == "وتين"  # «aorta»
    assert snowball.stemWord("فيسبوك") == "يسب"  # «insults»
    assert snowball.stemWord("مستشفى") != snowball.stemWord("مستشفي")
    assert not query_terms("وتين") & document_terms("بوتين")
    assert query_terms("مستشفى") & document_terms("مستشفي")
