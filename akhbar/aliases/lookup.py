"""Confirmed aliases at query time: one query for every run of Latin words of a search."""

from .keys import MAX_KEY_WORDS


def confirmed_aliases(spans: list[str]) -> dict[str, list[list[str]]]:
    """{latin key: [Arabic name as normalised words, …]} for those of `spans` that are aliases."""
    from .models import Alias

    spans = [span for span in dict.fromkeys(spans) if span and len(span.split()) <= MAX_KEY_WORDS]
    if not spans:
        return {}
    found: dict[str, list[list[str]]] = {}
    for latin_key, arabic_key in Alias.objects.filter(latin_key__in=spans).values_list("latin_key", "arabic_key"):
        words = arabic_key.split()
        if words:
            found.setdefault(latin_key, []).append(words)
    return found


def alias_count() -> int:
    from .models import Alias

    return Alias.objects.count()
