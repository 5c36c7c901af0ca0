"""Candidate corrections of a mistyped word: every word one edit away, and every split in two.

Pure generation, no judgement: which candidates are real words, and whether the typed word
needs correcting at all, is decided against the index vocabulary (akhbar/search/typos.py).
Works on normalised words (normalize.py), so the alphabet is the folded one: no أ/إ/آ, ة, ى,
ؤ or ئ (they are ا, ه, ي, و, ي by then), and a hamza or alef typo that folding already
undoes costs no edit.

One edit (Damerau–Levenshtein distance 1), the four mistakes of a hurried typist:
deletion (مواجهه → مواجه), insertion of any letter, substitution of any letter (neighbouring
keys are not favoured: on phones and the several Arabic layouts in use, any letter can
stand for any other), transposition of two adjacent letters. A missing space is a split of
the word into two words of at least MIN_SPLIT_PART letters (اعداممغتصبي → اعدام مغتصبي).
"""

ARABIC_ALPHABET = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MIN_SPLIT_PART = 2
# Shorter words have too many neighbours for one edit to mean anything (من, هو, في …).
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 30


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


def splits(word: str) -> list[tuple[str, str]]:
    """Every way to read `word` as two words run together (a missing space)."""
    if len(word) < 2 * MIN_SPLIT_PART or len(word) > MAX_WORD_LENGTH or not word.isalpha():
        return []
    return [(word[:i], word[i:]) for i in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1)]
