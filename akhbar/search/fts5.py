"""FTS5 query text for Akhbar's analysed columns (akhbar_search_fts); no database needed.

Every term goes inside double quotes, where FTS5 reads nothing as syntax (a quote is doubled),
so no query can produce an FTS5 syntax error, whatever the analysis lets through.
"""

from .ranking import ALL, HEADING, TEXT

SURFACE_COLUMNS = {ALL: "{title body}", HEADING: "{title}", TEXT: "{body}"}
STEM_COLUMNS = {ALL: "{title_stems body_stems}", HEADING: "{title_stems}", TEXT: "{body_stems}"}


def fts_phrase(term: str) -> str:
    """A quoted FTS5 string: inside double quotes nothing is syntax (quotes are doubled)."""
    return '"' + term.replace('"', '""') + '"'


def word_match(term, group: str) -> str:
    """FTS5 MATCH text for one query word: its surface form among surface words, or any reading among stems."""
    readings = " OR ".join(fts_phrase(reading) for reading in term.readings)
    return f"({SURFACE_COLUMNS[group]} : {fts_phrase(term.surface)}) OR ({STEM_COLUMNS[group]} : ({readings}))"
