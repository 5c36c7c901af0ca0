"""Candidate corrections of a mistyped word: every word one edit away, and every split in two.

Pure generation, no judgement: which candidates are real words, and whether the typed word
needs correcting at all, is decided against the index vocabulary (akhbar/search/typos.py).
Works on normalised words (normalize.py), so the alphabet is the folded one: no أ/إ/آ, ة, ى,
ؤ or ئ (they are ا, ه, ي, و, ي by then), and a hamza or alef typo that folding already
undoes costs no edit.

One edit (Damerau–Levenshtein distance 1), the mistakes of a hurried typist: a dropped
letter (مواجهه → مواجه), two letters swapped, a letter replaced, a letter added. A missing
space is a split of the word into two words of at least MIN_SPLIT_PART letters
(اعداممغتصبي → اعدام مغتصبي).

Not every edit is as likely: a finger lands on a neighbouring key far more often than on
any other (the standard Arabic keyboard, KEYBOARD_ROWS below, the layout of PC keyboards and
of the phones' default Arabic keyboards). `scored_edits` says how plausible each candidate
is: dropped and swapped letters and a neighbouring key count fully; a far key counts little,
and so does an extra letter that neither doubles nor neighbours a letter beside it (it happens, with
other layouts and with dictation, but it should win only when it is much more common).
"""

ARABIC_ALPHABET = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MIN_SPLIT_PART = 2
# Shorter words have too many neighbours for one edit to mean anything (من, هو, في …).
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 30


# The standard Arabic layout (Windows/macOS «Arabic (101)» and the phones' default), by rows of
# the physical keyboard, written with the letters as normalised: لا is ل and ا, ى/ئ are ي, ة is ه, ؤ is و.
KEYBOARD_ROWS = (
    ("ض", "ص", "ث", "ق", "ف", "غ", "ع", "ه", "خ", "ح", "ج", "د"),
    ("ش", "س", "ي", "ب", "ل", "ا", "ت", "ن", "م", "ك", "ط"),
    ("ي", "ء", "و", "ر", "لا", "ي", "ه", "و", "ز", "ظ"),
)
LATIN_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
FAR = 0.05  # plausibility of a far key
STRAY = 0.3  # plausibility of an extra letter next to nothing like it


def _neighbours(rows) -> dict[str, frozenset[str]]:
    """Keys touching each key: beside it in its row, and the two above and below (rows are staggered
    by about half a key: key i of a row touches keys i-1 and i of the row below)."""
    touching: dict[str, set[str]] = {}

    def touch(a: str, b: str) -> None:
        for x in a:
            for y in b:
                if x != y:
                    touching.setdefault(x, set()).add(y)
                    touching.setdefault(y, set()).add(x)

    for r, row in enumerate(rows):
        for i, key in enumerate(row):
            touch(key, key)  # لا: ل and ا are one key
            if i + 1 < len(row):
                touch(key, row[i + 1])
            if r + 1 < len(rows):
                below = rows[r + 1]
                for j in (i - 1, i):
                    if 0 <= j < len(below):
                        touch(key, below[j])
    return {key: frozenset(near) for key, near in touching.items()}


NEIGHBOURS = {**_neighbours(KEYBOARD_ROWS), **_neighbours(LATIN_ROWS)}


def alphabet_of(word: str) -> str:
    """The letters an edit may bring into `word`: Latin for a Latin word, Arabic otherwise."""
    return LATIN_ALPHABET if word.isascii() else ARABIC_ALPHABET


def edits1(word: str) -> set[str]:
    """Every word one deletion, insertion, substitution or adjacent transposition away (not `word`)."""
    if not (MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH) or not word.isalpha():
        return set()
    letters = alphabet_of(word)
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    candidates = {left + right[1:] for left, right in cuts if right}
    candidates |= {left + right[1] + right[0] + right[2:] for left, right in cuts if len(right) > 1}
    candidates |= {left + letter + right[1:] for left, right in cuts if right for letter in letters}
    candidates |= {left + letter + right for left, right in cuts for letter in letters}
    candidates.discard(word)
    return {candidate for candidate in candidates if len(candidate) >= MIN_WORD_LENGTH - 1}


def scored_edits(word: str) -> dict[str, float]:
    """edits1(word) with how plausible each is as a typing error (1 = as likely as any)."""
    if not (MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH) or not word.isalpha():
        return {}
    letters = alphabet_of(word)
    scores: dict[str, float] = {}

    def add(candidate: str, score: float) -> None:
        if candidate != word and len(candidate) >= MIN_WORD_LENGTH - 1 and score > scores.get(candidate, 0.0):
            scores[candidate] = score

    for i, typed in enumerate(word):
        near = NEIGHBOURS.get(typed, frozenset())
        for letter in letters:
            add(word[:i] + letter + word[i + 1 :], 1.0 if letter in near else FAR)
        # The reader typed an extra letter: likely when it doubles or neighbours a letter beside it.
        beside = word[max(0, i - 1) : i] + word[i + 1 : i + 2]
        stray = typed not in beside and not any(other in near for other in beside)
        add(word[:i] + word[i + 1 :], STRAY if stray else 1.0)
        if i + 1 < len(word):
            add(word[:i] + word[i + 1] + word[i] + word[i + 2 :], 1.0)
    for i in range(len(word) + 1):
        for letter in letters:
            add(word[:i] + letter + word[i:], 1.0)  # the reader dropped a letter (any letter)
    return scores


def splits(word: str) -> list[tuple[str, str]]:
    """Every way to read `word` as two words run together (a missing space)."""
    if len(word) < 2 * MIN_SPLIT_PART or len(word) > MAX_WORD_LENGTH or not word.isalpha():
        return []
    return [(word[:i], word[i:]) for i in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1)]
