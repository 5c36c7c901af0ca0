"""Light stemming that keeps ambiguity: every plausible reading of a word, never only one.

A leading و/ف/ب/ك/ل may be a particle or part of the word (وزير, بوتين, لبنان), a final
ه/ي/ا/ات/ين may be a suffix or part of the word; a light stemmer that picks one reading
destroys names and merges unrelated words. Here a word yields the set of its readings:
itself, then each allowed prefix strip and each allowed suffix strip and their
combinations, with minimum stem lengths so short words are not destroyed. Index and query
both use the sets, so a query matches a document when any reading is shared.

Works on fully normalised words (see normalize.py: ة is already ه, ى is ي).
"""

# Proclitics, longest first. Each entry: prefix → minimum length of what remains.
# ال (and the prefixes ending in it) leave at least 2 letters (الأب → اب); a lone
# single-letter particle leaves at least 3 (ببلد → بلد, but بيت stays بيت).
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")


def _build_prefixes() -> tuple[tuple[str, int], ...]:
    prefixes: dict[str, int] = {}
    for conj in _CONJ:
        for prep in _PREP:
            for article in ("", "ال"):
                if not (conj or prep or article):
                    continue
                if prep == "ل" and article:
                    prefix = conj + "لل"  # ل + ال is written لل
                else:
                    prefix = conj + prep + article
                prefixes[prefix] = 2 if article else 3
    return tuple(sorted(prefixes.items(), key=lambda item: -len(item[0])))


PREFIXES = _build_prefixes()

# Pronoun suffixes (outer layer) and number/gender/nisba suffixes (inner layer).
# Single ه counts in both: after folding it is also the feminine ة.
PRONOUN_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ه")
INFLECTION_SUFFIXES = ("يات", "يون", "يين", "تان", "تين", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ا")
MIN_STEM = 3  # a suffix is stripped only when at least this many letters remain


def _suffix_readings(word: str) -> set[str]:
    readings = {word}
    outer = [word]
    for suffix in PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            stem = word[: -len(suffix)]
            outer.append(stem)
            readings.add(stem)
            # ة is written ت before a pronoun: مدرستها → مدرست → مدرس (= مدرسة's stem)
            if stem.endswith("ت") and len(stem) - 1 >= MIN_STEM:
                readings.add(stem[:-1])
    for form in outer:
        for suffix in INFLECTION_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= MIN_STEM:
                readings.add(form[: -len(suffix)])
    return readings


def stem_readings(
    word: str, protected: frozenset[str] = frozenset(), excluded: frozenset[str] = frozenset()
) -> frozenset[str]:
    """All readings of a normalised word, the word itself included.

    A protected word (a name) is never cut, neither as a whole nor as what remains after a
    particle: لبوتين → {لبوتين, بوتين}. Readings in `excluded` (stop words) are left out,
    except the word itself: a stop-word reading would match nearly every document.
    """
    if word in protected or not word.isalpha():
        return frozenset((word,))
    readings: set[str] = set()
    certain_prefix = False  # a particle + article (بال, وال, لل ...) was found
    for prefix, min_rest in PREFIXES:  # longest first
        if not (word.startswith(prefix) and len(word) - len(prefix) >= min_rest):
            continue
        rest = word[len(prefix):]
        if rest in protected:
            readings.add(rest)
        elif certain_prefix:
            # وبالولايات: the shorter splits و|بالولايات, وب|الولايات add only the rest itself;
            # the stems come from the split وبال|ولايات.
            readings.add(rest)
        else:
            readings |= _suffix_readings(rest)
        if prefix.endswith("لل"):
            # ل + اللقاء is written للقاء (one lam dropped): the word may be ل|لقاء.
            rest = word[len(prefix) - 1 :]
            readings |= {rest} if rest in protected else _suffix_readings(rest)
        if len(prefix) >= 3 and (prefix.endswith("ال") or prefix.endswith("لل")):
            certain_prefix = True
    readings |= {word} if certain_prefix else _suffix_readings(word)
    readings -= excluded
    readings.add(word)
    return frozenset(readings)
