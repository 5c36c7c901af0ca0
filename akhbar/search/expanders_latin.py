"""Latin-script names in a query ("Putin", "Real Madrid") → the Arabic words the articles use.

Two sources, in this order of precedence:

1. Confirmed aliases (akhbar.aliases, edited in the admin): a run of Latin words that is an
   alias gets the alias's Arabic words (reason "alias", full weight); those words are not
   guessed any further.
2. Learned spellings (reason "latin"): akhbar.arabic.transliterate proposes weighted Arabic
   spellings of each remaining Latin word; only those the index vocabulary knows survive, and
   `choose_spellings` picks by spelling cost, how many articles use the word and whether it
   behaves like a name (an ordinary noun mostly appears with the article: سلاح/السلاح).
   Nothing is looked up by loose consonant keys: a candidate is a whole spelling.

Multi-word names are handled word by word; "al"/"el" before a word is the Arabic article: the
next word is looked for with ال, and "al" stands for the same Arabic word (al jazeera →
الجزيرة on both positions); "abdel"/"abdul" is عبد and gives the article to the next word.
"""

from collections.abc import Callable, Iterable

from akhbar.aliases.keys import MAX_KEY_WORDS
from akhbar.aliases.lookup import confirmed_aliases
from akhbar.arabic.transliterate import candidate_words, choose_spellings, evidence_words, is_latin_word, lookup_words

Known = Callable[[Iterable[str]], dict[str, int]]

# Latin words that are grammar, not names: never transliterated (they keep matching themselves).
LATIN_STOP_WORDS = frozenset("the of and or in on at for to a an de du des la le les del da do dos das di von van der den y et".split())
ARTICLES = frozenset({"al", "el"})
# Name particles with a fixed Arabic form; those ending in the article give it to the next word
# (abdel fattah → عبد الفتاح).
NAME_PARTICLES = {"bin": "بن", "ben": "بن", "ibn": "ابن", "abu": "ابو", "abou": "ابو", "bint": "بنت", "abd": "عبد", "abdel": "عبد", "abdul": "عبد", "abdal": "عبد"}
BEFORE_ARTICLE = ARTICLES | {"abdel", "abdul", "abdal"}
SPELLINGS_PER_WORD = 300
MAX_LATIN_WORDS = 6  # a query with more Latin words than this is a sentence: only the first ones


def latin_alternatives(words: list[str], known: Known) -> dict[int, list]:
    """{position: [Alternative, …]} for the Latin-script words of a query (expansion.Expander)."""
    from .expansion import Alternative  # expansion.py lists this expander

    latin = [i for i, word in enumerate(words) if is_latin_word(word)][:MAX_LATIN_WORDS]
    if not latin:
        return {}
    result: dict[int, list[Alternative]] = {}
    covered = _alias_alternatives(words, latin, result)
    pending = [i for i in latin if i not in covered and words[i] not in LATIN_STOP_WORDS and words[i] not in ARTICLES]
    if not pending:
        return result
    asked: set[str] = set()
    for i in pending:
        if words[i] not in NAME_PARTICLES:
            asked |= lookup_words(candidate_words(words[i], SPELLINGS_PER_WORD))
    particles = {NAME_PARTICLES[words[i]] for i in pending if words[i] in NAME_PARTICLES}
    documents = dict(known(asked | particles)) if asked or particles else {}
    # Second look-up, only for the candidates the site uses: do they behave like names?
    evidence = evidence_words(word for word in documents if word not in particles)
    if evidence:
        documents.update(known(evidence - documents.keys()))
    for i in pending:
        word = words[i]
        if word in NAME_PARTICLES:
            arabic = NAME_PARTICLES[word]
            if arabic in documents:
                result[i] = [Alternative((arabic,), 1.0, "latin")]
            continue
        after_article = i > 0 and words[i - 1] in BEFORE_ARTICLE
        choices = (after_article and choose_spellings(word, documents, article=True)) or choose_spellings(word, documents)
        alternatives = [Alternative((choice.arabic,), choice.weight, "latin") for choice in choices]
        if alternatives:
            result[i] = alternatives
            if i > 0 and words[i - 1] in ARTICLES and i - 1 not in covered:
                result[i - 1] = alternatives
    return result


def _alias_alternatives(words: list[str], latin: list[int], result: dict) -> set[int]:
    """Fill `result` from confirmed aliases (longest run of Latin words first); the positions covered."""
    from .expansion import Alternative
    latin_set = set(latin)
    spans: dict[str, tuple[int, int]] = {}
    for start in latin:
        end = start
        while end < len(words) and end in latin_set and end - start < MAX_KEY_WORDS:
            end += 1
            spans.setdefault(" ".join(words[start:end]), (start, end))
    found = confirmed_aliases(list(spans))
    covered: set[int] = set()
    for key in sorted(found, key=lambda key: -len(key.split())):
        start, end = spans[key]
        if covered & set(range(start, end)):
            continue
        for arabic_words in found[key]:
            for offset, position in enumerate(range(start, end)):
                if len(arabic_words) == end - start:
                    parts = (arabic_words[offset],)
                else:
                    parts = tuple(arabic_words[:2])
                result.setdefault(position, []).append(Alternative(parts, 1.0, "alias"))
        covered |= set(range(start, end))
    return covered
