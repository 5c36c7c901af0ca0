"""Light stemming that keeps ambiguity: every plausible reading of a word, never only one.

A leading و/ف/ب/ك/ل may be a particle or part of the word (وزير, بوتين, فريق, كتاب), a
final ه/ي/ا/ات/ين may be a suffix or part of the word (لبنان, سلمان); a light stemmer
that picks one reading destroys names and merges unrelated words. Here a word yields the
set of its readings: itself, then each allowed prefix split and each allowed suffix split
and their combinations. Index and query both use the sets, so a query word matches a
document word when they share any reading; the exact (surface) form is indexed apart and
weighted higher, so the right word still outranks a stem match.

Minimum lengths keep short words whole. They come from how often each particle is really
a particle in news text (measured on the shared corpus: a frequent word starting with ف or
ك is usually a word of its own — فريق, فيلم, كبير, كتاب — one starting with و, ب, ل
usually is not):
- ال and the prefixes ending in it leave at least 2 letters (الأب → اب);
- و, ب, ل leave at least 3 (وقال → قال, بشكل → شكل, لعام → عام);
- ف, ك leave at least 4 (فكرة and كامل stay whole); two particles together (وب, ول, فك …)
  leave what the second one alone would (وبحسب → حسب, but وكامل ↛ امل);
- a suffix leaves at least 3 letters; after a bare particle (no ال) at least 4, so that
  two cuts never make a 3-letter word out of a longer one (بعدما ↛ عدم, وزيره ↛ زير).

Works on fully normalised words (normalize.py: ة is already ه, ى is ي, ؤ/ئ are و/ي).
Differences from Snowball's Arabic stemmer (snowballstemmer), which returns one stem: it
also strips verb prefixes and suffixes (فيسبوك → يسب, سيارات → يارا), cuts names
(بوتين → وتين, فلاديمير → لاديمير) and, since it does not fold ة/ه or ى/ي before
stemming, gives مستشفى and مستشفي different stems. Akhbar keeps the whole word as one of the
readings, strips only noun clitics and inflections, and folds spellings first.
"""

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
_MIN_REST_AFTER = {"و": 3, "ب": 3, "ل": 3, "ف": 4, "ك": 4}


def _build_prefixes() -> tuple[tuple[str, int, bool], ...]:
    """(prefix, minimum letters left, has article), longest first."""
    prefixes: dict[str, tuple[int, bool]] = {}
    for conj in _CONJUNCTIONS:
        for prep in _PREPOSITIONS:
            for article in ("", "ال"):
                particles = conj + prep
                if not (particles or article):
                    continue
                prefix = conj + "لل" if prep == "ل" and article else particles + article  # ل + ال is written لل
                # وب|حسب is allowed because ب|حسب is: the last particle sets the minimum
                min_rest = 2 if article else _MIN_REST_AFTER[particles[-1]]
                prefixes[prefix] = (min_rest, bool(article))
    return tuple((p, m, a) for p, (m, a) in sorted(prefixes.items(), key=lambda item: -len(item[0])))


PREFIXES = _build_prefixes()

# Pronoun suffixes (outer layer) and number/gender/nisba/accusative suffixes (inner layer).
# A single ه is in both: after folding it is also the feminine ة.
PRONOUN_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ه")
INFLECTION_SUFFIXES = ("يات", "يون", "يين", "تان", "تين", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ا")
MIN_STEM = 3
MIN_STEM_AFTER_PARTICLE = 4


def _suffix_readings(word: str, min_stem: int = MIN_STEM) -> set[str]:
    """The word and every stem left by a pronoun and/or inflection suffix."""
    readings = {word}
    outer = [word]
    for suffix in PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            stem = word[: -len(suffix)]
            outer.append(stem)
            readings.add(stem)
            # ة is written ت before a pronoun: مدرستها → مدرست → مدرس (= مدرسة's stem)
            if stem.endswith("ت") and len(stem) - 1 >= min_stem:
                readings.add(stem[:-1])
    for form in outer:
        for suffix in INFLECTION_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= min_stem:
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
    if word in protected or not word.isalpha() or len(word) < 3:
        return frozenset((word,))
    for prefix, min_rest, _ in PREFIXES:  # longest first
        if word.startswith(prefix) and word[len(prefix) :] in protected:
            return frozenset((word, word[len(prefix) :]))  # وبوتين: no reading cuts into the name
    readings: set[str] = set()
    certain_prefix = False  # a particle + article (بال, وال …) was found
    for prefix, min_rest, has_article in PREFIXES:  # longest first
        if not (word.startswith(prefix) and len(word) - len(prefix) >= min_rest):
            continue
        rest = word[len(prefix) :]
        if certain_prefix:
            # وبالولايات: the shorter splits و|بالولايات, وب|الولايات add only the rest itself;
            # its stems came from the split وبال|ولايات.
            readings.add(rest)
        else:
            readings |= _suffix_readings(rest, MIN_STEM if has_article else MIN_STEM_AFTER_PARTICLE)
        if prefix.endswith("لل"):
            # ل + اللقاء is written للقاء (one lam dropped): the word may also be ل|لقاء.
            rest = word[len(prefix) - 1 :]
            readings |= _suffix_readings(rest, MIN_STEM)
        if has_article and len(prefix) >= 3:
            certain_prefix = True
    readings |= {word} if certain_prefix else _suffix_readings(word)
    readings -= excluded
    readings.add(word)
    return frozenset(readings)
