"""Latin-script names → the Arabic spellings news sites use (akhbar.arabic.transliterate).

Names here are deliberately not those of the evaluation's dev queries (docs/search-eval.md):
the rules must generalise, not remember.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from akhbar.arabic.analysis import ANALYZER
from akhbar.arabic.transliterate import (
    MAX_WORD_LENGTH,
    arabic_spellings,
    candidate_words,
    choose_spellings,
    evidence_words,
    is_latin_word,
    latin_key,
    latin_spellings,
    lookup_words,
    ordinariness,
    same_name_spelling,
)

# Latin name → how Arabic news writes it (normalised by the analyser in the tests).
SHOULD_SPELL = [
    ("Merkel", "ميركل"),
    ("Obama", "أوباما"),
    ("Netflix", "نتفليكس"),
    ("Barcelona", "برشلونة"),
    ("Liverpool", "ليفربول"),
    ("Neymar", "نيمار"),
    ("Lavrov", "لافروف"),
    ("Instagram", "إنستغرام"),
    ("Mbappe", "مبابي"),
    ("Mourinho", "مورينيو"),
    ("Modric", "مودريتش"),
    ("Khartoum", "الخرطوم"),
    ("Guardiola", "غوارديولا"),
    ("Toyota", "تويوتا"),
    ("Boeing", "بوينغ"),
    ("Kushner", "كوشنر"),
    ("Juventus", "يوفنتوس"),
    ("Griezmann", "غريزمان"),
    ("YouTube", "يوتيوب"),
    ("Daraa", "درعا"),
    ("Kane", "كين"),
]


def norm(arabic: str) -> str:
    return ANALYZER.normalize_word(arabic)


@pytest.mark.parametrize(("latin", "arabic"), SHOULD_SPELL)
def test_the_usual_arabic_spelling_is_among_the_candidates(latin, arabic):
    assert norm(arabic) in candidate_words(latin)


@pytest.mark.parametrize(("latin", "arabic"), SHOULD_SPELL)
def test_the_usual_spelling_is_chosen_when_the_site_uses_it(latin, arabic):
    # A site whose articles use the name, next to a rarer transliteration of the same letters.
    documents = {norm(arabic): 40, "بيت": 300, "ليس": 900}
    choices = choose_spellings(latin, documents)
    assert choices and choices[0].arabic == norm(arabic)
    assert choices[0].weight == 1.0


def test_candidates_are_in_the_index_normal_form():
    for latin, _arabic in SHOULD_SPELL:
        for spelling in arabic_spellings(latin, 50):
            assert spelling.arabic == norm(spelling.arabic), (latin, spelling.arabic)


def test_cheapest_first_and_bounded():
    spellings = arabic_spellings("Merkel", 20)
    assert len(spellings) <= 20
    assert [s.cost for s in spellings] == sorted(s.cost for s in spellings)
    hostile = "a" * 500 + "eiouy" * 100
    long_word = arabic_spellings(hostile, 300)
    # Cut to MAX_WORD_LENGTH letters before the beam runs, so the work is that of a short word.
    assert long_word == arabic_spellings(hostile[:MAX_WORD_LENGTH], 300)
    assert 0 < len(long_word) <= 300


@pytest.mark.parametrize("text", ["", "123", "بوتين", "<script>", "'; DROP TABLE", "\u202e", "é"])
def test_no_latin_letters_no_candidates_or_plain_letters_only(text):
    for spelling in arabic_spellings(text):
        assert spelling.arabic.isalpha()
    assert latin_key("Müller-Lüdenscheidt") == "mullerludenscheidt"


def test_is_latin_word():
    assert is_latin_word("putin")
    assert not is_latin_word("بوتين")
    assert not is_latin_word("2018")
    assert not is_latin_word("")


# -- must not match -------------------------------------------------------------------------


def test_an_ordinary_word_is_not_taken_for_a_name():
    # "Navas" could be spelled نفس («self»), which the site uses all the time with pronouns:
    # an ordinary word, refused, while the goalkeeper's name is kept when the site has it.
    ordinary = {"نفس": 400, "نفسه": 630, "نفسها": 310, "النفس": 70}
    assert choose_spellings("Navas", ordinary) == []
    assert [c.arabic for c in choose_spellings("Navas", {**ordinary, "نافاس": 19})] == ["نافاس"]


def test_a_name_wins_over_an_ordinary_noun_with_the_same_letters():
    # سلاح «weapon» mostly appears as السلاح; صلاح is a name (never with the article).
    documents = {"سلاح": 115, "السلاح": 290, "سلاحها": 25, "صلاح": 300, "الصلاح": 1}
    choices = choose_spellings("Salah", documents)
    assert choices[0].arabic == "صلاح"
    assert "سلاح" not in [c.arabic for c in choices]


def test_a_verb_is_not_taken_for_a_name():
    # ربط «to link» is a verb (ربطت, ربطوا); the Moroccan capital is الرباط.
    documents = {"ربط": 48, "ربطت": 20, "ربطوا": 10, "الربط": 16, "الرباط": 32}
    assert choose_spellings("Rabat", documents)[0].arabic == "الرباط"


def test_two_letter_words_are_never_names():
    assert choose_spellings("Abe", {"اب": 200}) == []


def test_a_far_fetched_spelling_is_refused_however_common():
    # مارقال is a possible rendering of "Merkel" (e → ا twice, k → ق), but far too costly to be it.
    assert "مارقال" in {s.arabic for s in arabic_spellings("Merkel", 300)}
    assert choose_spellings("Merkel", {"مارقال": 5000}) == []


def test_no_candidate_in_the_vocabulary_no_choice():
    assert choose_spellings("Zxqwv", {"بيت": 10}) == []
    assert choose_spellings("", {"بيت": 10}) == []


def test_place_names_take_the_article_when_the_site_always_writes_it():
    assert choose_spellings("Raqqa", {"الرقه": 22, "رقه": 1})[0].arabic == "الرقه"
    # …but not for an ordinary noun that is as common without the article.
    assert "المدينه" not in [c.arabic for c in choose_spellings("Medina", {"المدينه": 460, "مدينه": 1450})]


def test_ordinariness_tells_names_from_nouns():
    documents = {"ميركل": 100, "نفس": 400, "نفسه": 630}
    assert ordinariness("ميركل", documents) < -3
    assert ordinariness("نفس", documents) > 0


def test_evidence_words_cover_article_and_suffix_forms():
    words = evidence_words(["سلاح", "الحديده"])
    assert {"السلاح", "سلاحه", "حديده"} <= words


def test_lookup_words_include_article_forms():
    words = lookup_words(candidate_words("Hodeida"))
    assert "الحديده" in words


# -- several spellings of one name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("غوتيريس", "غوتيريش", True),  # s as س or ش
        ("نتنياهو", "نتانياهو", True),  # a long vowel more or less
        ("سامسونغ", "سامسونج", True),
        ("صلاح", "صالح", False),  # Salah and Saleh: two names
        ("باريس", "بوريس", False),  # Paris and Boris
        ("بوتين", "بوتين", True),
    ],
)
def test_same_name_spelling(first, second, same):
    assert same_name_spelling(first, second) is same


def test_the_sites_usual_spelling_of_a_name_leads():
    choices = choose_spellings("Netanyahu", {"نتانياهو": 62, "نتنياهو": 86})
    assert [c.arabic for c in choices] == ["نتنياهو", "نتانياهو"]
    assert choices[0].weight == 1.0 and 0 < choices[1].weight < 1


def test_a_rare_spelling_weighs_little():
    # BM25 favours rare words: a spelling in 2 articles must not outrank the usual one in 189.
    choices = {c.arabic: c.weight for c in choose_spellings("Putin", {"بوتين": 189, "بوتن": 2})}
    assert choices["بوتين"] == 1.0
    assert choices["بوتن"] < 0.2


# -- reverse ----------------------------------------------------------------------------------


@pytest.mark.parametrize("arabic", ["ميركل", "اوباما", "مدريد", "صلاح", "سامسونغ", "نتفليكس"])
def test_latin_spellings_round_trip(arabic):
    spellings = latin_spellings(arabic)
    assert spellings
    for latin in spellings:
        assert latin.isascii() and latin.isalpha()
        assert arabic in {s.arabic for s in arabic_spellings(latin, 300)}


def test_latin_spellings_are_readable():
    assert "obama" in latin_spellings("اوباما")
    assert "madrid" in latin_spellings("مدريد")


@pytest.mark.parametrize("text", ["", "putin", "بوتين123", "<b>", "x" * 1000])
def test_latin_spellings_of_bad_input(text):
    assert latin_spellings(text) == [] or text == ""


# -- on the shared evaluation corpus (not the dev queries' names) -----------------------------

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "search-eval" / "index_10k.jsonl"
CORPUS_NAMES = [
    ("Trump", "ترامب"), ("Merkel", "ميركل"), ("Obama", "أوباما"), ("Netanyahu", "نتنياهو"),
    ("Barcelona", "برشلونة"), ("Messi", "ميسي"), ("Neymar", "نيمار"), ("Liverpool", "ليفربول"),
    ("Chelsea", "تشيلسي"), ("Juventus", "يوفنتوس"), ("London", "لندن"), ("Paris", "باريس"),
    ("Moscow", "موسكو"), ("Twitter", "تويتر"), ("Microsoft", "مايكروسوفت"),
    ("Amazon", "أمازون"), ("Huawei", "هواوي"), ("Mosul", "الموصل"), ("Raqqa", "الرقة"),
    ("Benghazi", "بنغازي"), ("Khartoum", "الخرطوم"), ("Houthi", "الحوثي"), ("Hamas", "حماس"),
    ("Sisi", "السيسي"), ("Haftar", "حفتر"), ("Lavrov", "لافروف"), ("Tillerson", "تيلرسون"),
    ("Bolton", "بولتون"), ("Rouhani", "روحاني"), ("Instagram", "إنستغرام"), ("WhatsApp", "واتساب"),
    ("Mbappe", "مبابي"), ("Griezmann", "غريزمان"), ("Guardiola", "غوارديولا"), ("Klopp", "كلوب"),
    ("Mourinho", "مورينيو"), ("Pogba", "بوغبا"), ("Istanbul", "إسطنبول"), ("Baghdad", "بغداد"),
    ("Gaza", "غزة"), ("Beirut", "بيروت"), ("Dubai", "دبي"), ("Doha", "الدوحة"), ("Afrin", "عفرين"),
    ("Ghouta", "الغوطة"), ("Iraq", "العراق"), ("Assad", "الأسد"), ("Lukaku", "لوكاكو"), ("Kushner", "كوشنر"),
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus_documents():
    if not CORPUS.exists():
        pytest.skip(f"shared evaluation corpus absent ({CORPUS})")
    counts: Counter = Counter()
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            counts.update(set(ANALYZER.index_terms(f"{record['title']} {record['body']}").surface))
    return dict(counts)


def test_names_are_found_in_the_corpus_vocabulary(corpus_documents):
    chosen = {latin: choose_spellings(latin, corpus_documents) for latin, _ in CORPUS_NAMES}
    right = [latin for latin, arabic in CORPUS_NAMES if chosen[latin] and chosen[latin][0].arabic == norm(arabic)]
    assert len(right) >= 0.9 * len(CORPUS_NAMES), sorted(set(dict(CORPUS_NAMES)) - set(right))


def test_english_words_do_not_become_common_arabic_words(corpus_documents):
    # Whatever these give, it is never one of the site's 500 most common words.
    common = {word for word, _count in Counter(corpus_documents).most_common(500)}
    for word in ["weather", "water", "table", "window", "yellow", "station", "night", "happy", "the", "and", "of"]:
        assert not {c.arabic for c in choose_spellings(word, corpus_documents)} & common, word
