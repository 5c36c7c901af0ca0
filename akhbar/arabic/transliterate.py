"""Latin-script names to the Arabic spellings news sites use, and back (pure Python, no Django).

A reader types "Merkel", "Obama" or "Barcelona"; Arabic articles write ميركل, أوباما,
برشلونة. There is no single rule: the same Latin letter has several Arabic renderings (g is
غ on most pan-Arab sites, ج in Egypt; s is usually س, sometimes ص or, between vowels, ز;
short vowels are mostly dropped, long ones written as ا و ي; a final -a is ا or ة).
`arabic_spellings` therefore proposes *weighted* candidates: each rule option has a cost
(0 = what Arabic news writes most often) and a bounded beam keeps the cheapest spellings.
The search side keeps only candidates that occur in its own articles and chooses among
them (`choose_spellings`), so the rules never need a list of names.

Candidates are in the search index's normalised form: bare ا (no hamza seats), ه for ة,
ي for ى, و/ي for ؤ/ئ.

`latin_spellings` goes the other way (Arabic name → likely Latin spellings), for proposing
aliases to editors; a proposal is kept only when the forward direction finds the Arabic
word again, so the two directions check each other.
"""

import heapq
from collections.abc import Iterable
import math
import re
import unicodedata
from dataclasses import dataclass

MAX_WORD_LENGTH = 24  # longer Latin "words" are not names (URLs, pasted hashes)
BEAM = 48  # partial spellings kept per Latin position
VOWELS = frozenset("aeiouy")

# -- forward rules: Latin grapheme → (Arabic, cost) -----------------------------------------
# Multi-letter graphemes first: the longest match is not forced, every match is tried.
_DIGRAPHS: dict[str, tuple[tuple[str, float], ...]] = {
    "sch": (("ش", 0.0), ("سك", 1.2)),
    "tch": (("تش", 0.0), ("ش", 0.8)),
    "ch": (("تش", 0.5), ("ش", 0.5), ("ك", 1.2), ("خ", 1.4)),
    "sh": (("ش", 0.0),),
    "th": (("ت", 0.4), ("ث", 0.8), ("ذ", 1.6)),
    "kh": (("خ", 0.0),),
    "gh": (("غ", 0.0), ("", 1.5)),
    "ph": (("ف", 0.0),),
    "dh": (("ذ", 0.5), ("ض", 0.8), ("د", 1.0)),
    "zh": (("ج", 0.6), ("تش", 1.0), ("ز", 1.0)),
    "ck": (("ك", 0.0),),
    "dj": (("ج", 0.0),),
    "qu": (("ك", 0.4), ("كو", 0.6), ("ق", 1.0), ("قو", 1.2)),
    "ou": (("و", 0.0),),
    "oo": (("و", 0.0),),
    "ee": (("ي", 0.0),),
    "ea": (("ي", 0.4), ("يا", 0.6)),
    "ai": (("اي", 0.2), ("ي", 0.7)),
    "ay": (("اي", 0.0), ("ي", 0.7)),
    "ei": (("ي", 0.3), ("اي", 0.4)),
    "ey": (("ي", 0.3), ("اي", 0.4)),
    "ie": (("ي", 0.3), ("يي", 1.0)),
    "au": (("او", 0.3), ("و", 0.8)),
    "aw": (("او", 0.3), ("و", 0.8)),
    "ow": (("او", 0.5), ("و", 0.5)),
    "oe": (("و", 0.5), ("وي", 0.8)),
    "aa": (("ا", 0.3), ("عا", 0.8), ("ع", 1.0)),
    "nh": (("ني", 0.5), ("ن", 0.6)),
}
_CONSONANTS: dict[str, tuple[tuple[str, float], ...]] = {
    "b": (("ب", 0.0),),
    "d": (("د", 0.0), ("ض", 1.5), ("ذ", 2.5)),
    "f": (("ف", 0.0),),
    "h": (("ه", 0.3), ("ح", 0.7)),
    "j": (("ج", 0.0), ("ي", 1.6), ("خ", 1.8)),
    "k": (("ك", 0.0), ("ق", 1.2)),
    "l": (("ل", 0.0),),
    "m": (("م", 0.0),),
    "n": (("ن", 0.0),),
    "p": (("ب", 0.0),),
    "q": (("ق", 0.0), ("ك", 1.0)),
    "r": (("ر", 0.0),),
    "s": (("س", 0.0), ("ص", 1.0), ("ز", 1.6), ("ش", 2.0)),
    "t": (("ت", 0.0), ("ط", 1.0), ("ث", 2.5)),
    "v": (("ف", 0.0), ("و", 1.5)),
    "w": (("و", 0.0),),
    "x": (("كس", 0.0), ("ش", 2.0)),
    "z": (("ز", 0.0), ("ظ", 1.6), ("تس", 1.6)),
}
_SOFT_C = (("س", 0.0), ("تش", 1.2), ("ص", 1.4), ("ش", 1.6))  # Italian ci, Catalan/old Arabic ce (برشلونة)
_HARD_C = (("ك", 0.0), ("ق", 1.5))
_SOFT_G = (("ج", 0.5), ("غ", 0.7), ("ك", 1.6))
_HARD_G = (("غ", 0.3), ("ج", 0.7), ("ك", 1.5), ("ق", 1.8))
_INTERVOCALIC_S = (("ز", 0.6), ("س", 0.3), ("ص", 1.3))

# Vowels by place in the word.
_INITIAL_VOWEL = {
    "a": (("ا", 0.0), ("ع", 1.4)),
    "e": (("ا", 0.2), ("اي", 0.6), ("ع", 1.6)),
    "i": (("ا", 0.3), ("اي", 0.3), ("ع", 1.6)),
    "o": (("او", 0.2), ("ا", 0.6), ("ع", 1.6)),
    "u": (("او", 0.2), ("ا", 0.6), ("يو", 1.2), ("ع", 1.6)),
    "y": (("ي", 0.0),),
}
_MEDIAL_VOWEL = {
    "a": (("ا", 0.3), ("", 0.6), ("ي", 1.5), ("ع", 2.0)),
    "e": (("ي", 0.5), ("", 0.5), ("ا", 1.3)),
    "i": (("ي", 0.2), ("", 0.8), ("اي", 1.0), ("ا", 2.2)),
    "o": (("و", 0.2), ("", 0.9), ("ا", 1.6)),
    "u": (("و", 0.3), ("", 0.9), ("ا", 1.0), ("يو", 1.2)),
    "y": (("ي", 0.2), ("", 1.2)),
}
# A vowel before one consonant and a silent final e sounds long in English (Kane كين, Nike نايكي).
_LONG_BEFORE_SILENT_E = {
    "a": (("ي", 0.3), ("ا", 0.4), ("", 1.2)),
    "i": (("اي", 0.4), ("ي", 0.4)),
    "o": (("و", 0.1),),
    "u": (("و", 0.3), ("يو", 0.6)),
}
_FINAL_VOWEL = {
    "a": (("ا", 0.0), ("ه", 0.4), ("ي", 1.5)),
    "e": (("", 0.2), ("ي", 0.6), ("ه", 1.5)),
    "i": (("ي", 0.0),),
    "o": (("و", 0.0),),
    "u": (("و", 0.0),),
    "y": (("ي", 0.0),),
}
# Endings that sound different from their letters.
_FINAL_ENDINGS = {
    "ah": (("ه", 0.3), ("ا", 0.5), ("اح", 0.8), ("اه", 1.0)),
    "eh": (("ه", 0.5), ("ي", 0.8)),
    "ng": (("نغ", 0.3), ("نج", 0.8), ("ن", 1.2)),
    "gue": (("غ", 0.3),),
    "que": (("ك", 0.3),),
    "es": (("س", 0.8), ("يس", 0.6), ("يز", 1.2)),
    "ic": (("يتش", 0.8), ("يك", 0.3)),
    "ich": (("يتش", 0.3), ("يش", 0.6), ("يخ", 1.0)),
}
DOUBLED_COST = 1.8  # Arabic writes a doubled letter once (shadda, unwritten in news)


@dataclass(frozen=True, slots=True)
class Spelling:
    arabic: str
    cost: float  # sum of rule costs: 0 = the most usual rendering of every letter


def latin_key(word: str) -> str:
    """Lower-case ASCII letters only (accents dropped): the form the rules read."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def is_latin_word(word: str) -> bool:
    return bool(word) and word.isascii() and word.isalpha()


def _options(word: str, i: int):
    """(letters consumed, ((Arabic, cost), …)) for every rule that applies at position i."""
    n = len(word)
    ch = word[i]
    prev = word[i - 1] if i else ""
    nxt = word[i + 1] if i + 1 < n else ""
    for ending, options in _FINAL_ENDINGS.items():
        if i > 0 and i + len(ending) == n and word.endswith(ending):
            yield len(ending), options
    for graph, options in _DIGRAPHS.items():
        if word.startswith(graph, i) and not (graph[0] in VOWELS and i == 0):
            yield len(graph), options
    if ch == "n" and nxt == "g" and i + 2 < n and word[i + 2] not in VOWELS:
        yield 2, (("ن", 0.8), ("نغ", 0.8))  # Washington واشنطن, Birmingham برمنغهام
    if ch == prev and ch not in VOWELS:
        yield 1, (("", 0.0),)  # the doubled letter is written once…
        extra = DOUBLED_COST  # …or, rarely, twice
    else:
        extra = 0.0
    if ch in VOWELS and not (ch == "y" and nxt in VOWELS):
        if i == 0:
            table = _INITIAL_VOWEL
        elif i == n - 3 and word[-1] == "e" and word[-2] not in VOWELS and ch in _LONG_BEFORE_SILENT_E:
            table = _LONG_BEFORE_SILENT_E
        elif i == n - 1:
            table = _FINAL_VOWEL
        else:
            table = _MEDIAL_VOWEL
        options = table[ch]
    elif ch == "y":
        options = (("ي", 0.0),)
    elif ch == "c":
        options = _SOFT_C if nxt in ("e", "i", "y") else _HARD_C
    elif ch == "g":
        options = _SOFT_G if nxt in ("e", "i", "y") else _HARD_G
    elif ch == "s" and prev in VOWELS and nxt in VOWELS and prev and nxt:
        options = _INTERVOCALIC_S
    elif ch == "h" and prev and prev not in VOWELS:
        options = (("", 0.6), ("ه", 0.6), ("ح", 0.9))  # silent after a consonant (Ahmad is separate)
    else:
        options = _CONSONANTS.get(ch, ())
    if extra:
        options = tuple((arabic, cost + extra) for arabic, cost in options)
    yield 1, options


def arabic_spellings(word: str, limit: int = 300) -> list[Spelling]:
    """The `limit` cheapest Arabic spellings of one Latin-script word, cheapest first.

    A beam over the letters: at most BEAM partial spellings per position, so the work is
    bounded by len(word) × BEAM × rules whatever the word.
    """
    word = latin_key(word)[:MAX_WORD_LENGTH]
    if not word:
        return []
    n = len(word)
    states: list[dict[str, float]] = [{} for _ in range(n + 1)]
    states[0][""] = 0.0
    for i in range(n):
        if not states[i]:
            continue
        current = heapq.nsmallest(BEAM if i else 1, states[i].items(), key=lambda item: item[1])
        for length, options in _options(word, i):
            target = states[i + length]
            for prefix, cost in current:
                for arabic, option_cost in options:
                    spelled = prefix + arabic
                    total = cost + option_cost
                    if total < target.get(spelled, math.inf):
                        target[spelled] = total
    final = [(arabic, cost) for arabic, cost in states[n].items() if arabic]
    return [Spelling(arabic, round(cost, 3)) for arabic, cost in heapq.nsmallest(limit, final, key=lambda item: (item[1], item[0]))]


# -- choosing among the spellings the site's articles contain ------------------------------

ARTICLE = "ال"
ARTICLE_COST = 0.5  # "Hodeidah" is الحديدة in Arabic news: the article is part of many place names
DF_WEIGHT = 0.5  # a spelling many articles use is likelier than a rare variant…
MAX_COST_PER_LETTER = 0.6  # …but a far-fetched spelling is refused whatever its frequency
MIN_MAX_COST = 1.6
DF_SATURATION = 300  # beyond this many articles, frequency says nothing more about being the name
NOUN_PENALTY = 1.5  # an ordinary noun takes the article far more often than a name does
MARGIN = 0.6  # runners-up this close to the best are kept, with a lower weight
ORDINARY_OFFSET = 0.5  # ordinariness above -0.5 (other forms over 60% as common as the word) starts to cost
ARTICLE_SLOPE = 3.0
ARTICLE_OFFSET = 1.6  # the bare form more than a fifth as common as the article form starts to cost
ARTICLE_BEFORE_VOWEL_COST = 1.0  # "Omar" is not الأمر: an initial Latin vowel rarely hides the article
MIN_ARABIC_LETTERS = 3  # two-letter Arabic words are particles and roots, not names
NAME_LIKE_PENALTY = 0.5  # below this ordinary-word penalty a candidate may be a spelling variant of the name
VARIANT_WEIGHT = 0.6  # another spelling of the same name: found too, after the site's usual one


@dataclass(frozen=True, slots=True)
class Choice:
    arabic: str
    score: float  # lower is better
    weight: float  # 0 < weight <= 1, for the search's alternatives


def candidate_words(word: str, limit: int = 300) -> dict[str, float]:
    """Arabic words to look up for one Latin word: {normalised Arabic: cost}, article forms included."""
    spellings = arabic_spellings(word, limit)
    result: dict[str, float] = {}
    for spelling in spellings:
        result.setdefault(spelling.arabic, spelling.cost)
        if not spelling.arabic.startswith(ARTICLE):
            result.setdefault(ARTICLE + spelling.arabic, spelling.cost + ARTICLE_COST)
    return result


def lookup_words(candidates: dict[str, float]) -> set[str]:
    """What to ask the vocabulary first: the candidates themselves (article forms included)."""
    return set(candidates)


def evidence_words(found: Iterable[str]) -> set[str]:
    """What to ask the vocabulary next, for the candidates it knows: the forms an ordinary word
    takes and a name does not (the article, pronoun and plural suffixes), see `ordinariness`."""
    words: set[str] = set()
    for word in found:
        words.update(_other_forms(word))
    return words


def _bare(word: str) -> str:
    return word[len(ARTICLE) :] if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 1 else word


def _other_forms(word: str) -> list[str]:
    bare = _bare(word)
    forms = [bare if bare != word else ARTICLE + word]
    base = bare[:-1] + "ت" if bare.endswith("ه") else bare
    forms += [base + suffix for suffix in _PRONOUN_SUFFIXES]
    if not bare.endswith("ه"):
        forms += [bare + "ت", bare + "وا"]  # a verb: ربط/ربطت/ربطوا
    plural = bare[:-1] if bare.endswith("ه") else bare
    if bare.endswith("ي"):
        return forms  # a nisba name has plurals like any adjective (الحوثي/الحوثيين)
    for suffix in _PLURAL_SUFFIXES:
        forms += [plural + suffix, ARTICLE + plural + suffix]
    return forms


_PRONOUN_SUFFIXES = ("ه", "ها", "هم")
_PLURAL_SUFFIXES = ("ين", "ون", "ات")


def ordinariness(word: str, documents: dict[str, int]) -> float:
    """How much `word` behaves like an ordinary word rather than a name, from the site's articles.

    log((articles with the word's other forms + 1) / (articles with the word + 1)): an ordinary
    noun or adjective takes the article, pronouns and plural endings (نفس/نفسه, الحالي/الحالية,
    سلاح/السلاح), a verb its past endings (ربط/ربطت/ربطوا), a name keeps one form (ميركل, ترامب, صلاح) or, for many places, always
    the article (الحديدة: no حديدة). Well below 0 for names, around 0 or above for ordinary words.
    """
    return math.log((other_forms_documents(word, documents) + 1) / (documents.get(word, 0) + 1))


def other_forms_documents(word: str, documents: dict[str, int]) -> int:
    """Articles with the forms of `word` an ordinary word takes (see `evidence_words`), summed."""
    return sum(documents.get(form, 0) for form in _other_forms(word))


def choose_spellings(word: str, documents: dict[str, int], limit: int = 300, keep: int = 3, article: bool = False) -> list[Choice]:
    """The Arabic spellings of `word` worth searching, best first, among those the site uses.

    `documents` maps Arabic words to how many articles contain them (the index vocabulary, at
    least for `lookup_words(candidate_words(word))` and `evidence_words` of those it knows).
    A candidate must be plausible on its own (spelling cost per Latin letter bounded, the
    penalty for looking like an ordinary word included), at least three letters long, and is
    ranked by that cost minus a bonus for being the spelling many articles use.
    `article`: the reader typed the article ("al jazeera", "abdel fattah"), so only spellings
    with ال count, at no extra cost.
    """
    key = latin_key(word)
    if not key:
        return []
    candidates = candidate_words(key, limit)
    max_cost = max(MIN_MAX_COST, MAX_COST_PER_LETTER * len(key))
    scored: list[tuple[float, str]] = []
    name_like: set[str] = set()  # candidates with no sign of being an ordinary word
    for arabic, cost in candidates.items():
        count = documents.get(arabic, 0)
        if count <= 0 or len(_bare(arabic)) < MIN_ARABIC_LETTERS:
            continue
        if article:
            if arabic == _bare(arabic):
                continue
            cost -= ARTICLE_COST
        elif arabic != _bare(arabic):
            # A place name is (almost) always written with the article (الحديدة, never حديدة);
            # an ordinary noun also appears without it often (السلاح/سلاح).
            bare = documents.get(_bare(arabic), 0)
            if bare >= 2:  # one article without the article is no evidence either way
                cost += ARTICLE_SLOPE * max(0.0, math.log((bare + 1) / (count + 1)) + ARTICLE_OFFSET)
            if key[0] in VOWELS and _bare(arabic)[0] == "ا":
                cost += ARTICLE_BEFORE_VOWEL_COST
        penalty = NOUN_PENALTY * max(0.0, ordinariness(arabic, documents) + ORDINARY_OFFSET)
        cost += penalty
        if cost > max_cost:
            continue
        if penalty < NAME_LIKE_PENALTY:
            name_like.add(arabic)
        scored.append((cost - DF_WEIGHT * math.log(min(count, DF_SATURATION)), arabic))
    if not scored:
        return []
    scored.sort()
    best_score, best = scored[0]
    # Other spellings of the same name (غوتيريس/غوتيريش, بريكست/بريكسيت): the one most
    # articles use is the site's name for it and gets the full weight.
    variants = [
        (score, arabic)
        for score, arabic in scored
        if arabic == best or (arabic in name_like and best in name_like and same_name_spelling(arabic, best))
    ]
    main = max(variants, key=lambda item: (documents.get(item[1], 0), -item[0]))
    main_documents = documents.get(main[1], 0)
    choices = [Choice(main[1], round(main[0], 3), 1.0)]
    for score, arabic in variants:
        if arabic != main[1] and len(choices) < keep:
            choices.append(Choice(arabic, round(score, 3), _rarity_weight(VARIANT_WEIGHT, documents.get(arabic, 0), main_documents)))
    # Runners-up about as plausible as the best, with a lower weight.
    for score, arabic in scored[1:]:
        if len(choices) >= keep or score - best_score > MARGIN:
            break
        if all(choice.arabic != arabic for choice in choices):
            weight = max(0.3, 0.8 - (score - best_score) / 2)
            choices.append(Choice(arabic, round(score, 3), _rarity_weight(weight, documents.get(arabic, 0), main_documents)))
    return choices


def _rarity_weight(weight: float, documents: int, main_documents: int) -> float:
    """A rarer alternative's weight, lowered so that BM25's bonus for rare words does not lift
    its few articles above those with the site's usual spelling (بوتن in 2 articles, بوتين in 189)."""
    if documents >= main_documents:
        return round(weight, 3)
    return round(max(0.05, weight * math.log1p(documents) / math.log1p(main_documents)), 3)


# Letters Arabic news uses interchangeably for one foreign sound.
_SOUND_CLASSES = ("سصشزث", "تطث", "كقغج", "دضذ", "هح", "زظذ", "فب")


def same_name_spelling(first: str, second: str) -> bool:
    """True when two spellings differ only as spellings of one foreign name do: one letter
    for another of the same sound (س/ش, ت/ط, غ/ج …) or one long vowel more or less
    inside the word (نتنياهو/نتانياهو). Never a looser key: consonant skeletons merge
    different names (صلاح/صالح)."""
    if first == second:
        return True
    if len(first) == len(second):
        differences = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
        return len(differences) == 1 and any(a in group and b in group for group in _SOUND_CLASSES for a, b in differences)
    if abs(len(first) - len(second)) != 1:
        return False
    short, long = sorted((first, second), key=len)
    for i in range(1, len(long) - 1):
        if long[i] in "اوي" and long[:i] + long[i + 1 :] == short:
            return True
    return False


# -- reverse: Arabic → Latin, to propose aliases -------------------------------------------

# Latin options per Arabic consonant, with a cost (0 = the usual English-language spelling).
_CONSONANT_LATIN: dict[str, tuple[tuple[str, float], ...]] = {
    "ب": (("b", 0.0),), "ت": (("t", 0.0),), "ث": (("th", 0.0), ("s", 0.5)), "ج": (("j", 0.2), ("g", 0.3)),
    "ح": (("h", 0.0),), "خ": (("kh", 0.0),), "د": (("d", 0.0),), "ذ": (("dh", 0.3), ("z", 0.3)),
    "ر": (("r", 0.0),), "ز": (("z", 0.0),), "س": (("s", 0.0),), "ش": (("sh", 0.0), ("ch", 0.8)),
    "ص": (("s", 0.0),), "ض": (("d", 0.0),), "ط": (("t", 0.0),), "ظ": (("z", 0.0), ("dh", 0.5)),
    "غ": (("g", 0.0), ("gh", 0.2)), "ف": (("f", 0.0), ("v", 0.6)), "ق": (("k", 0.2), ("q", 0.3)),
    "ك": (("k", 0.0), ("c", 0.4)), "ل": (("l", 0.0),), "م": (("m", 0.0),), "ن": (("n", 0.0),),
    "ه": (("h", 0.0),), "ء": (("", 0.0),),
}  # fmt: skip
# Consonant pairs English-language names write without a vowel between them, by place.
_INITIAL_CLUSTERS = frozenset("br tr dr pr gr kr fr bl pl fl gl kl st sk sp sm sn".split())
_MEDIAL_CLUSTERS = _INITIAL_CLUSTERS | frozenset(
    "nd nt ng nk mb mp rk rt rd rn rm rl rs rg rb rf rj ld lt lm ls lf lk ks ts ns ms ft kt pt sr".split()
)
_FINAL_CLUSTERS = frozenset("nd nt ng nk mp rk rt rd rn rm rs rg ld lt lm ls lf lk ks ts ns ms ft kt st sk".split())
_SHORT_VOWELS = (("a", 0.4), ("e", 0.5), ("o", 0.9), ("i", 0.9))
_CLUSTER_COST = 1.2
_ARABIC_ONLY = re.compile("^[\u0621-\u064a]+$")
REVERSE_BEAM = 40
REVERSE_CHECKED = 24


def latin_spellings(arabic: str, limit: int = 3) -> list[str]:
    """A few readable Latin spellings of a normalised Arabic word, best first, that the forward
    rules map back to it (so a proposal is always one the search understands).

    Long vowels become vowels (و → o/u, ي → i/e), a consonant pair that English names do not
    write together gets a short vowel between them (مدريد → madrid, not mdrid), a final ه (ة)
    becomes -a. The article ال is left to the caller ("Al-").
    """
    if not arabic or len(arabic) > MAX_WORD_LENGTH or not _ARABIC_ONLY.match(arabic):
        return []
    found = []
    for draft, cost in _latin_drafts(arabic)[:REVERSE_CHECKED]:
        if any(spelling.arabic == arabic for spelling in arabic_spellings(draft, 300)):
            found.append(draft)
            if len(found) >= limit:
                break
    return found


def _letter_options(arabic: str, i: int) -> tuple[int, tuple[tuple[str, float], ...], bool]:
    """(Arabic letters consumed, Latin options, whether the result ends in a vowel)."""
    letter = arabic[i]
    n = len(arabic)
    nxt = arabic[i + 1] if i + 1 < n else ""
    prev = arabic[i - 1] if i else ""
    if letter == "ا":
        if i == 0 and nxt == "و":
            return 2, (("o", 0.0), ("u", 0.3)), True
        if i == 0 and nxt == "ي":
            return 2, (("i", 0.0), ("e", 0.3)), True
        return 1, (("a", 0.0), ("e", 0.6)) if i == 0 else (("a", 0.0),), True
    if letter == "و":
        if i == 0 or nxt == "ا" or prev in ("ا", "و", "ي"):
            return 1, (("w", 0.0), ("o", 0.4)), False
        return 1, (("o", 0.0), ("u", 0.2), ("ou", 0.8)), True
    if letter == "ي":
        if i == 0 or nxt in ("ا", "و") or prev in ("ا", "و"):
            return 1, (("y", 0.0), ("i", 0.4)), False
        if i == n - 1:
            return 1, (("i", 0.0), ("y", 0.3)), True
        return 1, (("i", 0.0), ("e", 0.3), ("ee", 1.0)), True
    if letter == "ع":
        if i == 0:
            return 1, (("a", 0.2), ("o", 0.5), ("e", 0.6), ("i", 0.6)), True
        return 1, (("a", 0.3), ("", 0.5)), True
    if letter == "ه" and i == n - 1 and i > 0:
        return 1, (("a", 0.0), ("ah", 0.3), ("eh", 0.8)), True
    return 1, _CONSONANT_LATIN.get(letter, ()), False


def _latin_drafts(arabic: str) -> list[tuple[str, float]]:
    """Latin drafts of `arabic`, cheapest (most readable) first: a beam over the Arabic letters."""
    beam: list[tuple[str, float, bool]] = [("", 0.0, True)]  # (draft, cost, ends in a vowel)
    i = 0
    n = len(arabic)
    while i < n:
        consumed, options, vowel = _letter_options(arabic, i)
        if not options:
            return []
        grown: dict[str, tuple[float, bool]] = {}
        for draft, cost, ended_in_vowel in beam:
            for latin, option_cost in options:
                bridges: tuple[tuple[str, float], ...] = (("", 0.0),)
                if draft and latin and not ended_in_vowel and not vowel:
                    cluster = draft[-1] + latin[0]
                    allowed = _INITIAL_CLUSTERS if len(draft) == 1 else _MEDIAL_CLUSTERS
                    if i + consumed == n:
                        allowed = allowed & _FINAL_CLUSTERS
                    if len(draft) >= 2 and draft[-2] not in "aeiouy":
                        allowed = frozenset()  # never three consonants in a row
                    bridges = (("", 0.0 if cluster in allowed else _CLUSTER_COST),) + _SHORT_VOWELS
                for bridge, bridge_cost in bridges:
                    text = draft + bridge + latin
                    total = cost + option_cost + bridge_cost
                    ends_in_vowel = vowel if latin else (bool(bridge) or ended_in_vowel)
                    if total < grown.get(text, (math.inf, False))[0]:
                        grown[text] = (total, ends_in_vowel)
        beam = [(text, cost, ends) for text, (cost, ends) in heapq.nsmallest(REVERSE_BEAM, grown.items(), key=lambda item: (item[1][0], item[0]))]
        i += consumed
    return [(draft, round(cost, 3)) for draft, cost, _ends in beam if draft]
