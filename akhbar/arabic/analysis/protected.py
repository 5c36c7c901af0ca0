"""Words never cut by the stemmer: names whose first or last letters look like particles or
suffixes and whose cut form is another common word (بوتين → وتين «aorta», لبنان → لبن
«milk»). A seed list; the search index can feed more (`ArabicAnalyzer.protect`).
Written in normalised form (normalize.py)."""

SEED_PROTECTED = frozenset(
    """
    بوتين لبنان
    """.split()
)
