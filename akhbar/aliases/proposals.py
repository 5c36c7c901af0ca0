"""Aliases Akhbar proposes by itself: Latin spellings of its most used tags.

A tag's Arabic name (ترامب, ريال مدريد) is romanised word by word with
akhbar.arabic.transliterate.latin_spellings, which keeps only spellings that the forward rules
map back to the same Arabic word: a proposal is always one the search would understand.
Each name is proposed once; rejected proposals are never proposed again.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count

from akhbar.arabic.transliterate import latin_spellings

from .keys import name_key, name_words
from .models import Alias, AliasProposal

MIN_ARTICLES = 2  # a tag on a single article is not worth an editor's time
MAX_PROPOSALS_PER_RUN = 50


def romanise(arabic_name: str) -> str:
    """A readable Latin spelling of an Arabic name, or "" when a word has none that round-trips."""
    parts = []
    for word in name_words(arabic_name):
        article = word.startswith("ال") and len(word) > 4
        spellings = latin_spellings(word)
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


def propose_aliases(limit: int = MAX_PROPOSALS_PER_RUN) -> int:
    """Create proposals for frequent tags that have neither an alias nor a proposal; returns how many."""
    known = set(AliasProposal.objects.values_list("arabic_key", flat=True))
    known |= set(Alias.objects.values_list("arabic_key", flat=True))
    created = 0
    for tag, articles in frequent_tags(limit):
        if created >= limit:
            break
        key = name_key(tag.name)
        if not key or key in known or not any("\u0621" <= ch <= "\u064a" for ch in key):
            continue
        known.add(key)
        latin = romanise(tag.name)
        if not latin:
            continue
        try:
            with transaction.atomic():
                AliasProposal.objects.create(latin=latin, arabic=tag.name[:100], tag=tag, articles=articles)
        except IntegrityError:
            continue  # another worker proposed it meanwhile
        created += 1
    return created
