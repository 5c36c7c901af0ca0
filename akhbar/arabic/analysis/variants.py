"""Spelling variants of foreign names and words (loanwords), for query expansion.

Arabic writes foreign names several ways, and news outlets do not agree: ترامب/ترمب,
غوغل/جوجل/قوقل, الكونغرس/الكونجرس, بوتين/بوتن, يورغن/يورجين, تشيلسي/تشلسي. The differences
are a small set of edits, each a choice a writer makes when transcribing a foreign sound:

- the letter for /g/ (and the letters readers swap with it): ج غ ك ق;
- emphatic or plain: ت/ط, س/ص, ز/ذ; "ch" as تش or ش;
- a long vowel written or left out (ترامب/ترمب, كريستيانو/كرستيانو), or written with
  another letter (كيمياوي/كيميائي, folded to كيمياوي/كيميايي);

`variant_candidates(word)` applies up to two of these edits to a normalised word and returns
every resulting spelling with a prior weight (fewer and likelier edits weigh more). Nothing
here knows which spellings are real: the search side keeps only candidates that occur in the
site's own index vocabulary, so the variants are learned from the articles as they are
indexed, and a new name is covered without anyone editing a list.

Ordinary Arabic words must not meet here: كتاب/كتب/كاتب, قريب/غريب, حاكم/حكام, القرض/الغرض
differ by the same edits. Letters alone cannot tell ترمب/ترامب from كتب/كتاب (the same vowel
in the same place), so the rule (`known_variants`) asks the index vocabulary how each word
behaves, which is the difference between a name and a word of the language:

- an ordinary word is inflected: the index holds it with pronoun or plural endings
  (كاتبه, كاتبين), in other persons if it is a verb (يقوم: تقوم, سيقوم), or it is itself
  an ending added to a word the index holds (الطلبات → طلب, طالبت → طالب), or it appears
  both with and without the article; a foreign name has none of that (ترامب, غوغل, بوتين).
  Neither the query word nor the candidate may be an ordinary word;
- that evidence counts only for a word found in RELIABLE_DOCUMENTS articles or more (the
  word typed or the candidate); a rarer pair needs its letters to look foreign too
  (`looks_foreign`);
- the candidate must be in at least two articles and 1.5 times as common as the word typed
  (the reader is taken to the spelling the site uses), or, weighing less, a rarer spelling
  when both are in RELIABLE_DOCUMENTS articles or more (ترامب → ترمب);
- a word whose first letters are a particle before a word of the index (بفضل = ب + فضل)
  is that word, not a name;
- words (after particles) of fewer than 4 letters get no variants (they are roots), the first
  letter changes only between ج and غ (غوغل/جوجل), and ق/ك/ت/ط/س/ص/ز/ذ are swapped only in
  foreign-looking words (in Arabic words they are different sounds: قرض/غرض, تحسن/تحصن).

Measured on the evaluation index's vocabulary (2,000 random words seen in 3+ articles), about
2% get any variant, half of them real spellings of one name (تشلسي/تشيلسي, اتليتكو/اتلتيكو,
غوتيرش/غوتيريش), the rest mostly rare forms meeting a common relative (يخشين/يخشون); the
word as typed always keeps its full weight, a variant weighs 0.58–0.9.

Left out: ق for /g/ in ordinary-looking words (قوقل), a rare spelling of a common name
(ترامب ↛ a spelling in 5 articles), foreign adjectives the site inflects
(الانكليزي/الانجليزي).
"""

from collections.abc import Iterator
from functools import lru_cache

from akhbar.arabic.analysis.stemmer import _suffix_readings  # the same endings the stemmer strips

VOWELS = "اوي"
# Letters writers choose between for one foreign sound; each letter → the others of its group.
_G = "جغكق"
_GROUPS = (_G, "تط", "سص", "زذ")
SUBSTITUTES: dict[str, str] = {letter: group.replace(letter, "") for group in _GROUPS for letter in group}
# ق, ك, ت, س, ص, ط, ز, ذ are distinct sounds in Arabic words (قرض/غرض, تحسن/تحصن): swapped
# only in foreign-looking words; ج/غ (Egyptian vs Levantine /g/) everywhere.
_G_ONLY = {"ج": "غ", "غ": "ج"}

# Prior weight of one edit (the probability-like cost of a spelling choice).
WEIGHT_LETTER = 0.9  # ج/غ/ك/ق, ت/ط, س/ص, ز/ذ
WEIGHT_VOWEL = 0.85  # a long vowel written, left out or written with another letter
WEIGHT_CH = 0.9  # تش/ش
MAX_EDITS = 2
MIN_LENGTH = 4  # shorter words (and candidates) are left alone: 3-letter words are roots
MAX_LENGTH = 15  # longer "words" are not names readers type

# The particles and article a query word may carry; variants are made of what follows.
PROCLITICS = ("وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال", "و", "ب", "ل", "ف")


def strip_proclitics(word: str) -> tuple[str, str]:
    """(particles, rest): the longest leading particle/article leaving at least MIN_LENGTH letters."""
    for prefix in PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_LENGTH:
            return prefix, word[len(prefix) :]
    return "", word


_FOREIGN_ENDINGS = ("و", "ينغ", "انغ", "ونغ", "ينج", "ونج", "انج", "يكس", "ستر", "يلد", "بيرغ", "برغ")


def looks_foreign(core: str) -> bool:
    """True when a word (without particles) has letters Arabic words rarely have together.

    Checked on the shared corpus: تش, a doubled vowel letter (يي, وو) inside the word, three
    long vowels or more, or an ending typical of transcriptions (…و as in مورينيو, …ينغ/…ونج as
    in بوينغ/سامسونج, …ستر, …برغ) mark foreign names and words; Arabic words built on
    roots and patterns seldom have them.
    """
    if "تش" in core or "يي" in core[1:] or "وو" in core[1:]:
        return True
    if sum(1 for ch in core[1:] if ch in VOWELS) >= 3:
        return True
    return len(core) >= 5 and core.endswith(_FOREIGN_ENDINGS)


def _edits(word: str, all_letters: bool) -> Iterator[tuple[str, float]]:
    """Every spelling one edit away from `word`. The first letter is never changed (particles
    and derivational prefixes live there) and the last only to another letter for /g/
    (سامسونغ/سامسونج); vowels are added or removed inside the word only."""
    length = len(word)
    for i in range(1, length):
        ch = word[i]
        if i == length - 1 and ch not in _G:
            continue
        for other in SUBSTITUTES.get(ch, "") if all_letters else _G_ONLY.get(ch, ""):
            yield word[:i] + other + word[i + 1 :], WEIGHT_LETTER
        if ch == "ت" and i + 1 < length and word[i + 1] == "ش":
            yield word[:i] + word[i + 1 :], WEIGHT_CH  # تش → ش
        if ch == "ش" and word[i - 1] != "ت":
            yield word[:i] + "ت" + word[i:], WEIGHT_CH  # ش → تش
    for other in (SUBSTITUTES if all_letters else _G_ONLY).get(word[0], "") if word[0] in _G else "":
        yield other + word[1:], WEIGHT_LETTER  # غوغل/جوجل/قوقل
    if word[0] == "ش":
        yield "ت" + word, WEIGHT_CH
    if word.startswith("تش"):
        yield word[1:], WEIGHT_CH
    for i in range(1, length - 1):
        ch = word[i]
        if ch in VOWELS:
            yield word[:i] + word[i + 1 :], WEIGHT_VOWEL
            for other in VOWELS:
                if other != ch:
                    yield word[:i] + other + word[i + 1 :], WEIGHT_VOWEL
    # A vowel added between two letters, neither of them a vowel (no doubled/long runs).
    for i in range(1, length):
        before, after = word[i - 1], word[i]
        if before in VOWELS or after in VOWELS:
            continue
        for vowel in VOWELS:
            yield word[:i] + vowel + word[i:], WEIGHT_VOWEL


def _acceptable(candidate: str) -> bool:
    if len(candidate) < MIN_LENGTH:
        return False
    return not any(candidate[i] == candidate[i + 1] for i in range(len(candidate) - 1))


def core_variants(core: str, max_edits: int = MAX_EDITS) -> dict[str, float]:
    """Spellings of a word without particles, up to `max_edits` edits away, with prior weights."""
    return dict(_core_variants(core, max_edits))


@lru_cache(maxsize=20_000)
def _core_variants(core: str, max_edits: int) -> tuple[tuple[str, float], ...]:
    if not (MIN_LENGTH <= len(core) <= MAX_LENGTH) or not core.isalpha() or core.isascii():
        return ()
    all_letters = looks_foreign(core)
    found: dict[str, float] = {}
    frontier = {core: 1.0}
    for _ in range(max_edits):
        following: dict[str, float] = {}
        for word, weight in frontier.items():
            for candidate, edit_weight in _edits(word, all_letters):
                value = weight * edit_weight
                if candidate != core and value > found.get(candidate, 0.0) and _acceptable(candidate):
                    found[candidate] = value
                    following[candidate] = value
        frontier = following
    return tuple(found.items())


def variant_candidates(word: str, max_edits: int = MAX_EDITS) -> dict[str, float]:
    """Candidate spellings of a normalised query word, with prior weights (0 < weight < 1).

    The particles a word carries are kept apart: "وترمب" gives "ترامب" (the search side
    matches it with or without particles, through the stems). Only spellings the index
    vocabulary contains are worth anything: filter by it.
    """
    _particles, core = strip_proclitics(word)
    return core_variants(core, max_edits)


# Endings Arabic nouns, adjectives and verbs take and foreign names almost never do: a word
# found in the index with two or more of them is an ordinary word (كاتب: كاتبه, كاتبين …),
# not a name (ترامب, غوغل, بوتين have none).
NATIVE_ENDINGS = ("ها", "هم", "ات", "ه", "ون", "ين", "وا", "ان", "تها", "ته", "تهم")
VERB_ENDINGS = ("ت", "وا", "تم", "نا")
MIN_NATIVE_FORMS = 2
MIN_CANDIDATE_DOCUMENTS = 2  # a spelling in a single article may be a typo
MIN_RATIO = 1.5  # the variant must be this many times as common as the query word
# Both with and without the article, the bare form being at least 1/ARTICLE_SHARE as common:
# an ordinary noun (غرض/الغرض: 4/36). A name with the article is seldom bare (كونغرس: 2/120).
ARTICLE_SHARE = 10
ARTICLE_CONCLUSIVE = 10  # both forms in this many articles: an ordinary word (عالم/العالم)
WEIGHT_RARER = 0.8  # the reader typed the common spelling; some articles use a rarer one
RELIABLE_DOCUMENTS = 20  # a word in this many articles and never inflected is a name


def native_probes(core: str) -> set[str]:
    """Words whose presence in the index shows `core` is an ordinary Arabic word: its
    inflected forms (كاتب → كاتبه, كاتبين …) and what is left when its own ending is read as
    an inflection (تسليمها → تسليم, الطلبات → طلب)."""
    if core.startswith("ال") and len(core) >= 2 + MIN_LENGTH:
        return native_probes(core[2:]) | {core[2:]}
    base = core[:-1] if core[-1] in "هاي" else core  # مدرسه → مدرست|ها, دوليا → دولي|ين
    forms = {base + ending for ending in NATIVE_ENDINGS}
    forms |= {core + ending for ending in NATIVE_ENDINGS[:3]}
    forms |= _suffix_readings(core)
    # A verb in the present or future: the other persons (يقوم, تقوم, سيقوم …).
    verb = core[2:] if core[:2] in ("سي", "ست", "سن") else core[1:] if core[0] in "يتن" else ""
    if len(verb) >= 2:
        forms |= {prefix + verb for prefix in ("ي", "ت", "ن", "سي", "ست")}
    forms.discard(core)
    return forms


def _lookups(core: str) -> set[str]:
    """Every word `_is_native` needs the documents of: the probes, the word with and without the article."""
    bare = core[2:] if core.startswith("ال") and len(core) >= 2 + MIN_LENGTH else core
    return native_probes(core) | {core, bare, "ال" + bare}


def _inflection_readings(core: str) -> set[str]:
    """What is left of `core` without a pronoun or plural ending. A gender or nisba ending
    (ه, ي, يه) is not counted: foreign adjectives take it too (كيمياوي/كيمياويه)."""
    readings = {reading for reading in _suffix_readings(core) - {core} if core[len(reading) :] not in ("ه", "ي", "يه")}
    # A verb in the past: طالبت, اقترحوا, قمنا (the stemmer keeps these whole).
    readings |= {core[: -len(ending)] for ending in VERB_ENDINGS if core.endswith(ending) and len(core) - len(ending) >= 3}
    return readings


def _is_native(core: str, documents: dict[str, int]) -> bool:
    """An ordinary word: an inflected form of a word in the index, or a word found with two of
    its inflections, or both with and without the article (names of people never take it,
    names with it are seldom written without: الكونغرس)."""
    if core.startswith("ال") and len(core) >= 2 + MIN_LENGTH:
        core = core[2:]
    if any(documents.get(reading, 0) >= 2 for reading in _inflection_readings(core)):
        return True
    forms = sum(1 for form in native_probes(core) if documents.get(form, 0) >= 2)
    bare, definite = documents.get(core, 0), documents.get("ال" + core, 0)
    if min(bare, definite) >= ARTICLE_CONCLUSIVE:
        return True
    if bare >= 2 and definite >= 2 and bare * ARTICLE_SHARE >= definite:
        forms += 1
    return forms >= MIN_NATIVE_FORMS


def _cores(word: str, max_edits: int = MAX_EDITS) -> dict[str, dict[str, float]]:
    """{core: its candidates}: the word without particles, and the whole word when a single
    leading letter may be its own (بوينج, لايبزيغ)."""
    particles, stripped = strip_proclitics(word)
    cores = {stripped: core_variants(stripped, max_edits)}
    if len(particles) == 1:
        cores[word] = core_variants(word, max_edits)
    return {core: candidates for core, candidates in cores.items() if candidates}


def _short_rests(word: str) -> set[str]:
    """What a leading particle or article leaves when that is a 3-letter word (بفضل → فضل,
    اللوم → لوم): if the index has it, the word is that word with a particle, not a name."""
    return {word[len(p) :] for p in PROCLITICS if word.startswith(p) and len(word) - len(p) == MIN_LENGTH - 1}


def variant_lookups(word: str, max_edits: int = MAX_EDITS) -> set[str]:
    """The words known_variants first asks the vocabulary about (to ask for many words at once)."""
    cores = _cores(word, max_edits)
    if not cores:
        return set()
    asked = {word, *(form for candidates in cores.values() for c in candidates for form in (c, "ال" + c))}
    return asked.union(_short_rests(word), *(_lookups(core) for core in cores))


def known_variants(word: str, known, max_edits: int = MAX_EDITS) -> dict[str, float]:
    """Spellings of `word` that the index holds, with weights, for a name-like word only.

    `known(words) -> {word: documents}` is the index vocabulary; the rule is in the module
    docstring. A candidate found only with the article is returned with it (الكونغرس). The
    weight is the prior of the edits. Two `known` calls per word.

    A leading و/ب/ل/ف may be a particle or the name's own first letter (بوينج, لايبزيغ), so
    both the whole word and the word without it are varied.
    """
    cores = _cores(word, max_edits)
    if not cores:
        return {}
    spellings = {c: (c, "ال" + c) for candidates in cores.values() for c in candidates}
    documents = known(variant_lookups(word, max_edits))
    stripped = strip_proclitics(word)[1]
    found: dict[str, tuple[str, float]] = {}
    for core, candidates in cores.items():
        if _is_native(core, documents):
            continue
        if core == word and any(documents.get(rest, 0) >= MIN_CANDIDATE_DOCUMENTS for rest in {stripped, *_short_rests(word)} - {word}):
            continue  # the first letters are a particle: the rest is a word of the index
        if core == stripped != word and len(word) - len(stripped) == 1 and documents.get(word, 0) > documents.get(stripped, 0):
            continue  # written joined more often than not: the first letter is the name's (بيونغ)
        own = max(documents.get(word, 0), documents.get(core, 0))
        sure_name = own >= RELIABLE_DOCUMENTS  # frequent enough for missing inflections to mean something
        for candidate, weight in candidates.items():
            best = max(spellings[candidate], key=lambda form: documents.get(form, 0))
            count = documents.get(best, 0)
            if count < MIN_CANDIDATE_DOCUMENTS or best == word:
                continue
            if count < MIN_RATIO * own:
                # A rarer spelling of a name the site writes often: both must be sure names.
                if not (sure_name and count >= RELIABLE_DOCUMENTS):
                    continue
                weight *= WEIGHT_RARER
            evidence = sure_name or count >= RELIABLE_DOCUMENTS
            if not (evidence or looks_foreign(core) or looks_foreign(candidate)):
                continue
            if weight > found.get(candidate, ("", 0.0))[1]:
                found[candidate] = (best, weight)
    if not found:
        return {}
    more = known(set().union(*(_lookups(candidate) for candidate in found)))
    return {form: weight for candidate, (form, weight) in found.items() if not _is_native(candidate, more)}
