"""BM25 the way SQLite's FTS5 computes it, and the weights both database backends use.

FTS5's bm25(): for each phrase of the query, the occurrences in each column are multiplied by
the column's weight and added up (tf); the phrase scores idf × tf·(k1+1) / (tf + k1·(1−b+b·D/avgD)),
D being the row's length in tokens over all columns. Weighting before the saturation means a
title occurrence (weight 8) counts about twice a text occurrence, not eight times.
"""

import math

# Weights of the four kinds of occurrence (SQLite: FTS5 columns; PostgreSQL: tsvector weights A–D).
HEADING_SURFACE, HEADING_STEMS, TEXT_SURFACE, TEXT_STEMS = 8.0, 3.0, 1.0, 0.5
K1, B = 1.2, 0.75


def idf(found: int, documents: int) -> float:
    value = math.log((documents - found + 0.5) / (found + 0.5))
    return value if value > 0 else 1e-6


def phrase_score(weighted_tf: float, phrase_idf: float, length: float, average_length: float) -> float:
    if weighted_tf <= 0:
        return 0.0
    return phrase_idf * weighted_tf * (K1 + 1) / (weighted_tf + K1 * (1 - B + B * length / average_length))
