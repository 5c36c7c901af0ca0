"""Arabic text analysis for search (pure Python, no Django).

    from akhbar.arabic.analysis import ANALYZER
    ANALYZER.normalize(text) -> str                  # folded text, punctuation kept
    ANALYZER.tokens(text, limit=None) -> list[Token] # Token(surface, start, end, norm, stop)
    ANALYZER.index_terms(text) -> IndexTerms         # IndexTerms(surface: list[str], stems: list[str])
    ANALYZER.query_words(text) -> list[QueryWord]    # QueryWord(surface: str, stems: frozenset[str])
    ANALYZER.stems(norm_word) -> frozenset[str]      # every reading of one normalised word
    ANALYZER.protect(words)                          # names never to be cut (seeded in protected.py)

The same analyser runs at index and at query time; a query word matches a document word
when its surface equals the document's surface word (weight high) or when one of its stem
readings is among the document's stems (weight low). Terms are letters and digits only.
Stop words are left out of `surface` and kept in `stems` as themselves (in their light form,
على not علي), so that a query made only of stop words still finds something.

Where the decisions are explained: normalize.py (letter folding, hamza, digits),
stopwords.py (the list, written for Akhbar), stemmer.py (readings, minimum lengths, how
and why it differs from Snowball), protected.py (names). What light stemming cannot join is
left to query expansion (akhbar/search/expansion.py), with candidates from variants.py
(loanword spellings: ترمب/ترامب, جوجل/غوغل) and plurals.py (broken plurals: صاروخ/صواريخ, and
how that differs from Snowball, ISRI and Lucene), filtered by the index vocabulary.
"""

from akhbar.arabic.analysis.analyzer import ArabicAnalyzer, IndexTerms, QueryWord, Token
from akhbar.arabic.analysis.stopwords import STOP_WORDS

ANALYZER = ArabicAnalyzer()

__all__ = ["ANALYZER", "ArabicAnalyzer", "IndexTerms", "QueryWord", "STOP_WORDS", "Token"]
