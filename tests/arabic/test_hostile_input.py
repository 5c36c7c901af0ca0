"""Any input: no exception, terms of letters and digits only, bounded, deterministic."""

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.arabic.analysis import ANALYZER, ArabicAnalyzer
from akhbar.arabic.analysis.analyzer import MAX_QUERY_WORDS, MAX_TERM_LENGTH

# Arabic letters, harakat, tatweel, digits of three scripts, bidi/zero-width controls,
# presentation forms, FTS/SQL syntax and spaces, mixed with anything else.
ARABIC_SOUP = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from(list("\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\u061c\u00ad ـ\"*:()-^+NEAROR_'%;\\\n\t0123456789")),
        st.characters(),
    ),
    max_size=300,
)
ANY_TEXT = st.one_of(st.text(max_size=300), ARABIC_SOUP)


def assert_term(term: str) -> None:
    assert term and len(term) <= MAX_TERM_LENGTH
    assert all(ch.isalnum() for ch in term), ascii(term)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_index_terms_are_letters_and_digits_only(text):
    terms = ANALYZER.index_terms(text)
    for term in terms.surface + terms.stems:
        assert_term(term)
    assert len(terms.surface) <= 4 * len(text)  # NFKC: ﷺ is four words
    assert ANALYZER.index_terms(text) == terms


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_query_words_are_bounded_and_deterministic(text):
    words = ANALYZER.query_words(text)
    assert len(words) <= MAX_QUERY_WORDS
    for word in words:
        assert_term(word.surface)
        assert word.surface in word.stems
        for stem in word.stems:
            assert_term(stem)
    assert ANALYZER.query_words(text) == words


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_tokens_slice_the_text(text):
    for token in ANALYZER.tokens(text):
        assert text[token.start : token.end] == token.surface
        assert_term(token.norm)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A).filter(lambda c: c != "ـ"), min_size=2, max_size=12),
    st.lists(st.sampled_from(list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670ـ\u200c\u200d\u200f")), max_size=6),
    st.randoms(use_true_random=False),
)
def test_marks_anywhere_inside_a_word_change_nothing(word, marks, rnd):
    decorated = list(word)
    for mark in marks:
        decorated.insert(rnd.randint(1, len(decorated)), mark)
    decorated = "".join(decorated)
    assert [t.norm for t in ANALYZER.tokens(decorated)] == [t.norm for t in ANALYZER.tokens(word)]


def test_a_ten_thousand_character_query_is_cut_short():
    query = ("الولايات المتحدة " * 700)[:10_000]
    assert len(ANALYZER.query_words(query)) == 2
    words = ANALYZER.query_words(" ".join(f"كلمة{i}" for i in range(2000)))
    assert len(words) == MAX_QUERY_WORDS
    assert len(ANALYZER.query_words("ب" * 10_000)[0].surface) == MAX_TERM_LENGTH


def test_only_diacritics_controls_or_syntax_give_nothing():
    for text in ["ًٌٍَُِّْ", "\u202e\u2066\u200b", 'NEAR("*" OR :) -', "ـــــ", "\x00\x01\x1b[31m"]:
        terms = ANALYZER.index_terms(text)
        assert all(term.isalnum() for term in terms.surface + terms.stems)
    assert ANALYZER.query_words("ًٌٍَُِّْ ـــ \u202e") == []
    assert [w.surface for w in ANALYZER.query_words('NEAR("*" OR :)')] == ["near", "or"]


def test_unpaired_surrogates_and_nul_do_not_raise():
    assert ANALYZER.index_terms("\ud800مدرسة\x00") is not None


def test_a_large_article_is_analysed_whole():
    article = "وقال الرئيس الروسي فلاديمير بوتين إن بلاده ستواصل دعمها للحكومة السورية. " * 5000
    terms = ANALYZER.index_terms(article)
    assert len(terms.surface) == 10 * 5000  # إن is a stop word
    assert len(set(terms.stems)) < 100


def test_protected_words_are_added_safely_from_several_threads():
    analyzer = ArabicAnalyzer(protected=[])
    assert "كوري" in analyzer.stems("كوريا")
    threads = [threading.Thread(target=analyzer.protect, args=([f"اسم{i}", "كوريا"],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {"كوريا", "اسم0", "اسم7"} <= analyzer.protected
    assert analyzer.stems("كوريا") == frozenset({"كوريا"})
    assert analyzer.stems("وكوريا") == frozenset({"وكوريا", "كوريا"})


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_a_text_searched_for_finds_itself(text):
    """Same analysis at index and query time: every query word meets the indexed text."""
    indexed = ANALYZER.index_terms(text)
    surface, stems = set(indexed.surface), set(indexed.stems)
    for word in ANALYZER.query_words(text):
        assert word.surface in surface or word.stems <= stems


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalize_is_idempotent(text):
    once = ANALYZER.normalize(text)
    assert ANALYZER.normalize(once) == once
