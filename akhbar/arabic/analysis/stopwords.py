"""Arabic stop words: particles, pronouns, demonstratives, relatives and common function words.

Written for Akhbar (no third-party list, so no licence to carry). Kept short on purpose:
only words that carry no topic of their own, plus their forms with an attached و/ف
«and/so» and the pronoun-suffixed prepositions that news prose is full of. Nouns and
verbs that merely happen to be frequent (قال «said», عام «year», اليوم «today») are
not stop words: they are often what a reader searches for.

The list is compared with the *light* normal form (hamza on alef, ؤ/ئ, diacritics and
tatweel folded, but ى and ة kept), so على «on» is a stop word while علي «Ali» is not, and
إلى «to» is while آلي «automatic» is not.
"""

from akhbar.arabic.analysis.normalize import light_normalize

_BASE = """
في من إلى الى على عن مع حتى منذ لدى عند نحو ضد بين حول دون عبر خلال تحت فوق أمام وراء قبل بعد عدا سوى
ثم أو أم بل لكن لكنه لكنها لكنهم لكن حيث إذ إذا اذا لو لولا كي لكي كما مثل بينما عندما لما كلما طالما فيما مما بما عما
إن أن إنه أنه إنها أنها إنهم أنهم إننا أننا إني أني لأن بأن كأن لعل ليت قد لقد سوف سوى غير إلا ألا أما إما
لا لم لن ما ليس ليست ليسوا لست
هل ماذا لماذا كيف متى أين كم أي أية أيها
هذا هذه هذان هاتان هذين هاتين هؤلاء ذلك تلك ذاك ذلكم أولئك هناك هنالك هنا ثمة
الذي التي الذين اللذان اللتان اللذين اللتين اللواتي اللاتي اللائي
أنا نحن أنت أنتما أنتم أنتن هو هي هما هم هن إياه إياها إياهم
كان كانت كانوا يكون تكون يكن تكن كنت صار أصبح
كل بعض جميع أيضا جدا فقط نعم بلى
ال
"""

# Prepositions and particles that take pronoun suffixes, written with their suffixes.
_SUFFIXED = """
فيه فيها فيهم فيهما فيهن فيك فيكم فينا في
منه منها منهم منهما منهن منك منكم منا مني
عنه عنها عنهم عنهما عنك عنكم عنا عني
عليه عليها عليهم عليهما عليك عليكم علينا علي
إليه إليها إليهم إليهما إليك إليكم إلينا إلي
معه معها معهم معهما معك معكم معنا معي
لديه لديها لديهم لدينا لدي عنده عندها عندهم عندنا عندي
له لها لهم لهما لهن لك لكم لنا لي به بها بهم بهما بهن بك بكم بنا بي
بينه بينها بينهم بيننا
"""

# A word of _BASE with و or ف in front is still a function word (وفي, فإن, ولم, وهو ...).
_CONJUNCTIONS = ("و", "ف")
# ... and so is a demonstrative or ما with ب/ل/ك in front (بهذا, لذلك, كذلك, بما).
_PREPOSITIONS = ("ب", "ل", "ك")
_TAKES_PREPOSITION = "هذا هذه هؤلاء ذلك تلك ما أن ان".split()


def _build() -> frozenset[str]:
    words = set(_BASE.split()) | set(_SUFFIXED.split())
    # A letter alone is a particle written apart (و), a date mark (2018م, 1440هـ) or an initial.
    words |= {chr(c) for c in range(0x0621, 0x064B) if chr(c).isalpha() and chr(c) != "\u0640"}
    # علي and إلي (with ي) are also the name Ali and «automatic» (آلي) once alef is folded:
    # only the ى spellings of those prepositions count as stop words.
    words -= {"علي", "إلي"}
    with_clitics = set(words)
    with_clitics |= {p + w for p in _PREPOSITIONS for w in _TAKES_PREPOSITION}
    with_clitics |= {c + w for c in _CONJUNCTIONS for w in list(with_clitics)}
    return frozenset(light_normalize(w) for w in with_clitics)


STOP_WORDS: frozenset[str] = _build()


def is_stop_word(light_form: str) -> bool:
    """`light_form` is a word after `light_normalize` (ى and ة still distinct)."""
    return light_form in STOP_WORDS
