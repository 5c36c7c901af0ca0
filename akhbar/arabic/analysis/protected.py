"""Words never cut by the stemmer.

A seed of frequent names whose first or last letters look like a particle or a suffix and
whose cut form is another common word: بوتين → وتين «aorta», لبنان → لبن «milk»,
طالبان → طالب «student», سلمان → سلم «peace», ماكرون → ماكر «cunning». Names whose cut
form is no word (فرنسا → رنسا) need no entry: the whole word is always a reading too.
The search index can add more at run time (`ArabicAnalyzer.protect`), e.g. names learned
from its own articles. Written as readers write them; normalised when loaded.
"""

SEED_PROTECTED_NAMES = """
بوتين لبنان طالبان ميلان سلمان ماكرون شعبان السودان سودان عدنان حمدان زيدان نيسان
"""
