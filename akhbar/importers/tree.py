"""Places in Wagtail's page tree for many new children at once, with the invariants add_child keeps.

Treebeard stores the tree as materialised paths: a child's path is its parent's path plus a
4-character base-36 step, siblings are numbered after the current last child, and the parent
counts its children in `numchild`. Slugs must be unique among siblings (they form the URL).
All queries here read an index (path or slug) and are bounded by the batch size.
"""

import re

from django.db import connection
from django.db.models import F
from wagtail.models import Page


def children_filter(parent) -> dict:
    return {"path__range": Page._get_children_path_interval(parent.path), "depth": parent.depth + 1}


def next_child_paths(parent, count: int) -> list[str]:
    """Paths for `count` new last children of `parent` (call inside the transaction that inserts them)."""
    last = Page.objects.filter(**children_filter(parent)).order_by("-path").values_list("path", flat=True).first()
    start = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
    end = start + count - 1
    if len(Page._int2str(end)) > Page.steplen:
        raise OverflowError(f"section {parent.pk} cannot hold {count} more pages")
    return [Page._get_path(parent.path, parent.depth + 1, step) for step in range(start, end + 1)]


def add_children_count(parent, count: int) -> None:
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)


def numbered_lookup(base: str) -> dict:
    """Slugs starting with «base-», through an index on either database.

    SQLite's LIKE ignores the slug index, but its binary ordering puts every «base-…» between
    «base-» and «base.» ('.' follows '-'). PostgreSQL's collations may ignore punctuation when
    ordering, but Django gives slug columns a pattern index there, so LIKE is the indexed form.
    """
    if connection.vendor == "sqlite":
        return {"slug__gte": f"{base}-", "slug__lt": f"{base}."}
    return {"slug__startswith": f"{base}-"}


def unique_slugs(parent, bases: list[str], exclude_pk: int | None = None) -> list[str]:
    """A slug per base, unique among the parent's children and within the list: «x», «x-2», «x-3»…"""
    siblings = Page.objects.filter(**children_filter(parent))
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    taken = set()
    distinct = sorted(set(bases))
    for start in range(0, len(distinct), 500):
        taken.update(siblings.filter(slug__in=distinct[start : start + 500]).values_list("slug", flat=True))
    numbered: dict[str, set[int]] = {}
    result = []
    for base in bases:
        if base not in taken:
            taken.add(base)
            result.append(base)
            continue
        if base not in numbered:
            pattern = re.compile(rf"^{re.escape(base)}-(\d+)$")
            slugs = siblings.filter(**numbered_lookup(base)).values_list("slug", flat=True)
            numbered[base] = {int(m.group(1)) for slug in slugs if (m := pattern.match(slug))}
        used, n = numbered[base], 2
        while n in used or f"{base}-{n}" in taken:
            n += 1
        used.add(n)
        taken.add(f"{base}-{n}")
        result.append(f"{base}-{n}")
    return result
