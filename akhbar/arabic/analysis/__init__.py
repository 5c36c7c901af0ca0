"""Arabic text analysis for search (pure Python, no Django).

    from akhbar.arabic.analysis import ANALYZER
    ANALYZER.normalize(text) -> str
    ANALYZER.tokens(text) -> list[Token]            # Token(surface, start, end, norm, stop)
    ANALYZER.index_terms(text) -> IndexTerms        # IndexTerms(surface: list[str], stems: list[str])
    ANALYZER.query_words(text) -> list[QueryWord]   # QueryWord(surface: str, stems: frozenset[str])

The same analyser runs at index and at query time. Terms consist of letters and digits only.
Normalisation decisions: normalize.py; stop words: stopwords.py; stemming: stemmer.py.
"""

from akhbar.arabic.analysis.analyzer import ArabicAnalyzer, IndexTerms, QueryWord, Token
from akhbar.arabic.analysis.stopwords import STOP_WORDS

ANALYZER = ArabicAnalyzer()

__all__ = ["ANALYZER", "ArabicAnalyzer", "IndexTerms", "QueryWord", "STOP_WORDS", "Token"]
