"""The API the search backends consume: names, shapes, basic behaviour."""

from akhbar.arabic.analysis import ANALYZER, IndexTerms, QueryWord, Token


def test_normalize_folds_reader_variants():
    assert ANALYZER.normalize("أحمد إسرائيل آمال مستشفى مدرسة") == "احمد اسراييل امال مستشفي مدرسه"
    assert ANALYZER.normalize("فلادِيمِير كـــرة ٢٠١٨ ۲۰۱۸") == "فلاديمير كره 2018 2018"


def test_tokens_keep_original_slices_and_offsets():
    text = "قال فلادِيمِير: كـــرة"
    tokens = ANALYZER.tokens(text)
    assert [t.norm for t in tokens] == ["قال", "فلاديمير", "كره"]
    assert all(isinstance(t, Token) and text[t.start : t.end] == t.surface for t in tokens)
    assert tokens[1].surface == "فلادِيمِير"


def test_index_terms_drop_stop_words_from_surface_and_keep_every_stem_reading():
    terms = ANALYZER.index_terms("زار بوتين الولايات المتحدة في الصيف")
    assert isinstance(terms, IndexTerms)
    assert terms.surface == ["زار", "بوتين", "الولايات", "المتحده", "الصيف"]
    assert "بوتين" in terms.stems and "وتين" not in terms.stems
    assert "ولايات" in terms.stems


def test_query_words_share_a_stem_with_prefixed_document_word():
    (word,) = ANALYZER.query_words("الولايات")
    assert isinstance(word, QueryWord) and word.surface == "الولايات"
    assert word.stems & set(ANALYZER.index_terms("بالولايات").stems)


def test_query_of_only_stop_words_still_searches():
    words = ANALYZER.query_words("من هو")
    assert [w.surface for w in words] == ["من", "هو"]
    assert "من" in ANALYZER.index_terms("خرج من البيت").stems


def test_query_drops_stop_words_when_there_is_content():
    assert [w.surface for w in ANALYZER.query_words("في الولايات")] == ["الولايات"]


def test_empty_and_punctuation_only_input():
    assert ANALYZER.tokens("") == []
    assert ANALYZER.query_words("؟!،") == []
    assert ANALYZER.index_terms("  ") == IndexTerms([], [])
