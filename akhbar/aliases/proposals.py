"""Aliases Akhbar proposes by itself: Latin spellings of its most used tags, and of the most
frequent words of its articles that behave like names.

A name (ترامب, ريال مدريد) is romanised word by word with
akhbar.arabic.transliterate.latin_spellings, which keeps only spellings that the forward rules
map back to the same Arabic word: a proposal is always one the search would understand.
A vocabulary word behaves like a name when the site never writes it with the article, pronoun
or plural endings (transliterate.other_forms_documents) nor as a verb (قال/قالت/قالوا).
Each name is proposed once; rejected proposals are never proposed again.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import Count

from akhbar.arabic.transliterate import evidence_words, latin_spellings, other_forms_documents

from .keys import name_key, name_words
from .models import Alias, AliasProposal

MIN_ARTICLES = 2  # a tag on a single article is not worth an editor's time
MIN_NAME_ARTICLES = 20  # a word of the articles: only frequent ones, and enough articles to tell a name
MAX_PROPOSALS_PER_RUN = 50
OTHER_FORMS_SHARE = 0.08  # a name's other forms (article, endings) are in under 8% as many articles as it
DERIVED_SHARE = 0.02  # a word whose base (without a particle or ending) is in this share of its articles is built from it
VERB_SHARE = 0.05  # a word whose -ت/-وا forms are this common is a verb (قال, قالت, قالوا)
_ARABIC_WORD = re.compile("[\u0621-\u064a]{4,}")


def romanise(arabic_name: str) -> str:
    """A readable Latin spelling of an Arabic name, or "" when a word has none that round-trips."""
    parts = []
    for word in name_words(arabic_name):
        article = word.startswith("ال") and len(word) > 4
        spellings = latin_spellings(word[2:] if article else word)
        if not spellings:
            return ""
        spelling = spellings[0].capitalize()
        parts.append(f"Al-{spelling}" if article else spelling)
    return " ".join(parts)


def frequent_tags(limit: int):
    """(tag, articles) for the most used article tags, most used first."""
    from akhbar.news.models import ArticlePageTag
    from taggit.models import Tag

    counts = (
        ArticlePageTag.objects.values("tag_id").annotate(articles=Count("content_object_id", distinct=True))
        .filter(articles__gte=MIN_ARTICLES).order_by("-articles", "tag_id")[: limit * 4]
    )
    by_id = {row["tag_id"]: row["articles"] for row in counts}
    tags = Tag.objects.in_bulk(list(by_id))
    return [(tags[tag_id], articles) for tag_id, articles in by_id.items() if tag_id in tags]


def _bases(word: str) -> list[str]:
    """What `word` may be built from: a particle or verb prefix in front (وقالت, بسبب, يقول,
    سيكون), a case, pronoun or verb ending behind (عاما, بلاده, قالت, نفسها)."""
    bases = []
    if word[0] in "وفبلكيتنس":
        bases.append(word[1:])
    if word[-1] in "اهيت":
        bases.append(word[:-1])
    if word[-2:] in ("ها", "هم", "ون", "ين", "ات", "ان"):
        bases.append(word[:-2])
    return [base for base in bases if len(base) >= 3]


def frequent_names(limit: int, min_articles: int = MIN_NAME_ARTICLES) -> list[tuple[str, int]]:
    """(word, articles) for the most frequent index words that behave like names, most frequent first.

    Words with the article are left to tags (adjectives and nouns look like place names
    there); a word that is another word with a particle or an ending, or a verb, is not a name.
    """
    from akhbar.search.models import IndexedWord
    from akhbar.search.vocabulary import known_words

    rows = IndexedWord.objects.filter(documents__gte=min_articles).order_by("-documents", "word")[: limit * 40]
    words = {
        word: documents
        for word, documents in rows.values_list("word", "documents")
        if _ARABIC_WORD.fullmatch(word) and not word.startswith("ال")
    }
    if not words:
        return []
    verb_forms = {word: (word + "ت", word + "وا") for word in words}
    asked = evidence_words(words) | {form for forms in verb_forms.values() for form in forms}
    asked |= {base for word in words for base in _bases(word)}
    documents = {**known_words(asked), **words}
    names = []
    for word, count in words.items():
        if other_forms_documents(word, documents) > OTHER_FORMS_SHARE * count:
            continue
        if sum(documents.get(form, 0) for form in verb_forms[word]) > VERB_SHARE * count:
            continue
        if any(documents.get(base, 0) >= max(3, DERIVED_SHARE * count) for base in _bases(word)):
            continue
        names.append((word, count))
        if len(names) >= limit:
            break
    return names


def propose_aliases(limit: int = MAX_PROPOSALS_PER_RUN, min_name_articles: int = MIN_NAME_ARTICLES) -> int:
    """Create proposals for frequent tags, then frequent name-like words, that have neither an
    alias nor a proposal; returns how many."""
    known = set(AliasProposal.objects.values_list("arabic_key", flat=True))
    known |= set(Alias.objects.values_list("arabic_key", flat=True))
    created = 0
    sources = [(tag.name, tag, articles) for tag, articles in frequent_tags(limit)]
    sources += [(word, None, articles) for word, articles in frequent_names(limit, min_name_articles)]
    for name, tag, articles in sources:
        if created >= limit:
            break
        key = name_key(name)
        if not key or key in known or not any("\u0621" <= ch <= "\u064a" for ch in key):
            continue
        known.add(key)
        latin = romanise(name)
        if not latin:
            continue
        try:
            with transaction.atomic():
                AliasProposal.objects.create(latin=latin, arabic=name[:100], tag=tag, articles=articles)
        except IntegrityError:
            continue  # another worker proposed it meanwhile
        created += 1
    return created
