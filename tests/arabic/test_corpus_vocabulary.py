"""Statistical checks on real news vocabulary (the shared corpus's 1,000-article sample).

Not a list of chosen words: every frequent word of the sample, with particles attached the
way Arabic writes them, must keep a term in common with the bare word, and no word may lose
its own surface form among its readings.
"""

import collections
import json

import pytest

from akhbar.arabic.analysis import ANALYZER
from tests.conftest import CORPUS_DIR, require

pytestmark = pytest.mark.corpus

# Particles in front of a bare word, and in front of its definite form (ل + ال is written لل).
ATTACHED = ["و", "ب", "ل", "وب", "ول", "فب"]
ATTACHED_TO_DEFINITE = ["وال", "بال", "كال", "فال", "لل", "وبال", "ولل"]


@pytest.fixture(scope="module")
def vocabulary():
    require(CORPUS_DIR.is_dir(), f"needs the shared corpus at {CORPUS_DIR} (absent on this machine)")
    counts = collections.Counter()
    with (CORPUS_DIR / "ant_sample_1000.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            counts.update(ANALYZER.index_terms(record["title"] + " " + record["body"]).surface)
    return counts


def terms(word: str) -> set[str]:
    analysed = ANALYZER.index_terms(word)
    return set(analysed.surface) | set(analysed.stems)


def query(word: str) -> set[str]:
    (query_word,) = ANALYZER.query_words(word)
    return query_word.stems


def frequent_bare_words(vocabulary, at_least=20):
    """Frequent Arabic words that carry no article and no particle-looking first letter."""
    for word, count in vocabulary.most_common():
        if count < at_least:
            break
        if word.isalpha() and not word.isascii() and len(word) >= 3 and word[0] not in "وفبكل" and not word.startswith("ال"):
            yield word


def test_a_particle_in_front_keeps_a_shared_term(vocabulary):
    words = list(frequent_bare_words(vocabulary))
    assert len(words) > 500
    misses = [(p + w, w) for w in words for p in ATTACHED if not query(w) & terms(p + w)]
    assert not misses, misses[:20]


def test_the_definite_form_with_particles_meets_the_definite_form(vocabulary):
    words = list(frequent_bare_words(vocabulary))
    misses = []
    for word in words:
        definite = "ال" + word
        for prefix in ATTACHED_TO_DEFINITE:
            written = prefix + word
            if not query(definite) & terms(written) or not query(word) & terms(written):
                misses.append((written, definite))
    assert not misses, misses[:20]


def test_every_word_keeps_its_own_form_among_its_readings(vocabulary):
    for word in vocabulary:
        assert word in ANALYZER.stems(word)
