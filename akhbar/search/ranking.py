"""Query evaluation shared by the SQLite and PostgreSQL backends.

Each query word is looked up on its own in the full-text index (its surface form among surface
words, its readings among stems), which gives, per word, the documents that contain it and
that word's relevance score there. The rest happens here, the same for both databases:

- Default (`.search(q)`, the API without `search_operator`): every document that has any of
  the words, ranked by the summed BM25 score of the words it has (bm25.py; FTS5 computes it on
  SQLite, postgres.py on PostgreSQL) times how many of the words it has, then newest first. A typo or an unknown
  spelling in one word does not empty the results; having more of the words counts a lot.
- `operator="and"`: only documents with every word; `operator="or"`: any word, by score alone.
- Without relevance ordering (`order_by_relevance=False`, the API's `order=`): the documents
  with every word, or with any word when none has them all, in the queryset's own order.

The matching documents are checked against the caller's queryset (live, public, type,
filters …) in one query; only the page asked for is fetched as objects.
"""

import heapq
import math
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import repeat, starmap
from operator import add, itemgetter, mul, neg

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count
from django.db.models.query import ModelIterable
from modelsearch.backends.base import BaseSearchQueryCompiler, BaseSearchResults, EmptySearchResults, FilterFieldError
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from akhbar.arabic.analysis import ANALYZER

from .analysis import HEADING_BOOST, QueryTerm, clean_term, query_terms, recency_field
from .expansion import CachedKnown, alternative_term, expand
from .filter_cache import kept_pks

ALL, HEADING, TEXT = "all", "heading", "text"
# The first candidates whose heading is compared with the query (heading_bonus), and the most a
# heading made only of query words multiplies the score by (1 + HEADING_BONUS).
HEADING_BONUS_DEPTH = 20
HEADING_BONUS = 0.5
OPERATORS = ("and", "or")


def valid_operator(operator) -> str | None:
    """The API passes `search_operator` straight through: anything but and/or means the default."""
    operator = operator.lower() if isinstance(operator, str) else None
    return operator if operator in OPERATORS else None


@dataclass
class Plan:
    members: set  # primary keys of the matching documents
    complemented: bool = False  # True: every document except `members` (a top-level NOT)
    scores: dict = field(default_factory=dict)  # pk → (number of query words found, score)
    words: list = field(default_factory=list)  # (QueryTerm, its hits, boost) for each word that counts


class ArabicSearchQueryCompiler(BaseSearchQueryCompiler):
    """Evaluates modelsearch query objects over per-word hits; subclasses fetch the hits."""

    DEFAULT_OPERATOR = "or"
    expand_queries = True  # alternatives from expansion.EXPANDERS (typos, variants …)
    hits_keyed_by_pk = False  # a backend whose fetch_hits returns {primary key: score} sets this
    HANDLES_ORDER_BY_EXPRESSIONS = True

    def __init__(self, queryset, query, fields=None, operator=None, order_by_relevance=True):
        operator = valid_operator(operator)
        # More of the words first: only for a plain query string with no explicit operator.
        self.coordinate = operator is None and isinstance(query, str)
        super().__init__(queryset, query, fields=fields, operator=operator, order_by_relevance=order_by_relevance)
        self._hits: dict[tuple[QueryTerm, str], dict] = {}
        self._known = CachedKnown()
        self._expansions: dict[tuple[QueryTerm, ...], dict] = {}
        self._alternatives: dict[QueryTerm, list[tuple[float, tuple[QueryTerm, ...]]]] = {}
        self.alternative_reasons: dict[QueryTerm, list] = {}  # term → the Alternatives it got (for display)
        self._plan: Plan | None = None
        self._passing: set | None = None

    # Backend specifics ----------------------------------------------------------------------

    def fetch_hits(self, terms: list[QueryTerm], group: str, content_type_ids: list[int]) -> list[dict]:
        """Per term, {object_id (text): score > 0} for the documents containing it in the columns `group`."""
        raise NotImplementedError

    def pk_subquery(self, pks):
        """An expression usable as `pk__in=` for any number of primary keys (one query parameter)."""
        raise NotImplementedError

    refine_depth = 0  # how many of the first candidates refine() scores again

    def refine(self, order: list) -> list:
        """A backend may score the best candidates again, more precisely than all of them at first."""
        return order

    def heading_bonus(self, order: list) -> list:
        """The first candidates again, by how much of their heading the query's words make up.

        BM25 normalises a document's length over all its text, so a short title that is nothing
        but the query's words counts no more than a long one that also holds them; a per-field
        length normalisation (as BM25F has) puts it first. Score × (1 + HEADING_BONUS × share of
        the heading's words matched by a query word or one of its alternatives). One query: the
        heading fields of HEADING_BONUS_DEPTH documents.
        """
        model = self.queryset.model
        fields = [
            field.field_name
            for field in model.get_searchable_search_fields()
            if (field.boost or 0) >= HEADING_BOOST and _is_column(model, field.field_name)
        ]
        words = self.plan().words
        head = order[:HEADING_BONUS_DEPTH]
        if not fields or not words or len(head) < 2:
            return order
        forms: set[str] = set()
        for term, _hits, _boost in words:
            for form in (term, *self.alternative_terms(term)):
                forms.update(form.readings)
                forms.add(form.surface)
        fresh = type(self.queryset)(model=model, using=self.queryset.db)
        headings = {row[0]: row[1:] for row in fresh.filter(pk__in=self.pk_subquery([pk for pk, _value in head])).values_list("pk", *fields)}
        rescored = []
        for pk, (matched, score) in head:
            heading_words = [
                clean_term(token.norm) for text in headings.get(pk, ()) for token in ANALYZER.tokens(text or "") if not token.stop
            ]
            if heading_words:
                found = sum(1 for word in heading_words if word in forms or not forms.isdisjoint(ANALYZER.stems(word)))
                score *= 1 + HEADING_BONUS * found / len(heading_words)
            rescored.append((pk, (matched, score)))
        rescored.sort(key=lambda item: self.rank_key(item[1]))
        return rescored + order[HEADING_BONUS_DEPTH:]

    # Query evaluation -----------------------------------------------------------------------

    @property
    def column_group(self) -> str:
        if not self.fields:
            return ALL
        boosts = {field.field_name: field.boost or 0 for field in self.queryset.model.get_searchable_search_fields()}
        kinds = {HEADING if boosts.get(name, 0) >= HEADING_BOOST else TEXT for name in self.fields}
        return kinds.pop() if len(kinds) == 1 else ALL

    def words_hits(self, terms: list[QueryTerm]) -> list[dict]:
        """Per term, {pk: score}: its own forms' hits merged with its alternatives' (expansion.py).

        Every term and alternative word is looked up once per compiler, all in one fetch_hits call.
        """
        group = self.column_group
        alternatives = self.alternatives(terms)
        wanted = list(terms) + [part for options in alternatives.values() for _weight, parts in options for part in parts]
        missing = [term for term in dict.fromkeys(wanted) if (term, group) not in self._hits]
        if missing:
            to_pk = self.queryset.model._meta.pk.to_python
            content_types = get_descendants_content_types_pks(self.queryset.model)
            keyed_by_pk = self.hits_keyed_by_pk  # the backend already gives primary keys: no conversion per hit
            for term, raw in zip(missing, self.fetch_hits(missing, group, content_types), strict=True):
                self._hits[(term, group)] = raw if keyed_by_pk else {to_pk(object_id): score for object_id, score in raw.items()}
        return [self.merged_hits(term, group) for term in terms]

    def alternatives(self, terms: list[QueryTerm]) -> dict:
        """{term: [(weight, alternative's QueryTerms)]} for the words of one query text (cached)."""
        key = tuple(terms)
        if key not in self._expansions:
            found = expand([term.surface for term in terms], self._known) if self.expand_queries else {}
            for position, options in found.items():
                term = terms[position]
                merged = self._alternatives.setdefault(term, [])
                for alternative in options:
                    parts = tuple(alternative_term(word) for word in alternative.words)
                    if parts and all(parts) and (alternative.weight, parts) not in merged:
                        merged.append((alternative.weight, parts))
                        self.alternative_reasons.setdefault(term, []).append(alternative)
            self._expansions[key] = found
        return {term: self._alternatives[term] for term in terms if term in self._alternatives}

    def merged_hits(self, term: QueryTerm, group: str) -> dict:
        """score = max(own score, weight × alternative's score); a two-word alternative needs both words."""
        hits = self._hits[(term, group)]
        options = self._alternatives.get(term)
        if not options:
            return hits
        merged = dict(hits)
        for weight, parts in options:
            part_hits = [self._hits[(part, group)] for part in parts]
            common = set(part_hits[0]).intersection(*part_hits[1:]) if len(part_hits) > 1 else part_hits[0]
            for pk in common:
                score = weight * sum(found[pk] for found in part_hits)
                if score > merged.get(pk, 0.0):
                    merged[pk] = score
        return merged

    def merged_score(self, term: QueryTerm, score_of) -> float:
        """merged_hits for one document, for a backend that scores again (`score_of(QueryTerm) -> float`)."""
        best = score_of(term)
        for weight, parts in self._alternatives.get(term, ()):
            scores = [score_of(part) for part in parts]
            if all(scores):
                best = max(best, weight * sum(scores))
        return best

    def alternative_terms(self, term: QueryTerm) -> list[QueryTerm]:
        """The QueryTerms of every alternative of `term` (for backends and highlighting)."""
        return [part for _weight, parts in self._alternatives.get(term, ()) for part in parts]

    def plan(self) -> Plan:
        if self._plan is None:
            scored: list[tuple[QueryTerm, dict, float]] = []
            members, complemented = self._evaluate(self.query, scored, positive=True, boost=1.0)
            scores = {} if complemented else _summed(scored, members)
            self._plan = Plan(members, complemented, scores, scored)
        return self._plan

    def _evaluate(self, node, scored, positive, boost):
        if isinstance(node, MatchAll):
            return set(), True
        if isinstance(node, Not):
            members, complemented = self._evaluate(node.subquery, scored, not positive, boost)
            return members, not complemented
        if isinstance(node, Boost):
            return self._evaluate(node.subquery, scored, positive, boost * node.boost)
        if isinstance(node, PlainText | Phrase | Fuzzy):
            terms = query_terms(node.query_string)
            hits = self.words_hits(terms)
            if positive:
                scored.extend((term, word_hits, boost) for term, word_hits in zip(terms, hits, strict=True))
            if not hits:
                return set(), False
            every_word = isinstance(node, Phrase) or getattr(node, "operator", "or") == "and"
            if every_word or (self.coordinate and not self.order_by_relevance):
                common = set(hits[0]).intersection(*hits[1:])
                if every_word or common:
                    return common, False
            return set().union(*hits), False
        if isinstance(node, And | Or):
            parts = [self._evaluate(sub, scored, positive, boost) for sub in node.subqueries]
            combine = _both if isinstance(node, And) else _either
            result = (set(), True) if isinstance(node, And) else (set(), False)
            for part in parts:
                result = combine(result, part)
            return result
        raise NotImplementedError(f"`{node.__class__.__name__}` is not supported by Akhbar's search backend.")

    # Results --------------------------------------------------------------------------------

    def restricted_queryset(self):
        plan = self.plan()
        if plan.complemented:
            return self.queryset.exclude(pk__in=self.pk_subquery(plan.members)) if plan.members else self.queryset
        if not plan.members:
            return self.queryset.none()
        return self.queryset.filter(pk__in=self.pk_subquery(plan.members))

    def passing(self) -> set:
        """Primary keys of the matching documents the caller's queryset keeps.

        What the queryset keeps overall is usually remembered from an earlier search
        (filter_cache.py); otherwise one query, whatever the caller's filters cost (the API's
        page-tree subquery is the dearest part of a search). Count, ranking and paging all use
        this answer.
        """
        if self._passing is None:
            plan = self.plan()
            kept = None if plan.complemented else kept_pks(self.queryset)
            if kept is not None:
                self._passing = plan.members & kept
            else:
                self._passing = set(self.restricted_queryset().order_by().values_list("pk", flat=True))
        return self._passing

    def count(self) -> int:
        plan = self.plan()
        if plan.complemented or not self.order_by_relevance:
            return self.restricted_queryset().count()
        return len(self.passing())

    def results(self, start: int, stop: int | None, score_field: str | None) -> list:
        plan = self.plan()
        if plan.complemented or not self.order_by_relevance:
            queryset = self.restricted_queryset()
            if not queryset.query.order_by:
                queryset = queryset.order_by("-pk")  # stable pages, as modelsearch does
            return list(queryset[start:stop])
        ranked = self.ranked(start, stop)
        if not ranked:
            return []
        found = {obj.pk: obj for obj in self.objects_queryset().filter(pk__in=self.pk_subquery([pk for pk, _value in ranked]))}
        results = []
        for pk, (_matched, score) in ranked:
            obj = found.get(pk)
            if obj is not None:
                if score_field:
                    setattr(obj, score_field, score)
                results.append(obj)
        return results

    def objects_queryset(self):
        """Where to fetch the page of results from: documents already known to pass the caller's
        filters. A plain queryset (no select_related, specific(), annotations …) is rebuilt
        without those filters, so they are not paid for twice; otherwise the caller's own."""
        queryset, query = self.queryset, self.queryset.query
        plain = (
            queryset._iterable_class is ModelIterable
            and not queryset._prefetch_related_lookups
            and not query.select_related
            and not query.annotations
            and not query.extra
            and not query.distinct
            and query.deferred_loading == (frozenset(), True)
        )
        return type(queryset)(model=queryset.model, using=queryset.db) if plain else queryset

    def rank_key(self, value):
        """Sort key, best first. Default: the score times the number of query words found
        (Lucene's classic coordination factor), so a document with more of the words wins
        unless another matches fewer words much better. best() computes the same keys in bulk."""
        matched, score = value
        return (-(matched * score),) if self.coordinate else (-score,)

    def best(self, stop: int | None) -> list:
        """The candidates the queryset keeps, in rank order: all of them when `stop` is None, else
        enough for the first `stop` and for refine(), the last one's equals included (a common
        word matches thousands; sorting all of them would cost more than the rest of the search)."""
        passing, scores = self.passing(), self.plan().scores
        if len(passing) < len(scores):
            kept = list(passing & scores.keys())
            scores = dict(zip(kept, map(scores.__getitem__, kept), strict=True))
        # Sort keys as rank_key() gives them, computed with map() rather than a call per candidate.
        values = starmap(mul, scores.values()) if self.coordinate else map(itemgetter(1), scores.values())
        keyed = list(zip(map(neg, values), scores.keys(), strict=True))
        depth = None if stop is None else max(stop, self.refine_depth, HEADING_BONUS_DEPTH) + 1
        if depth is None or depth * 4 >= len(keyed):
            keyed.sort()
        else:
            head = heapq.nsmallest(depth, keyed)
            boundary = head[-1][0]
            keyed = head + sorted(item for item in keyed if item[0] == boundary and item > head[-1])
        return [(pk, scores[pk]) for _key, pk in keyed]

    def ranked(self, start: int = 0, stop: int | None = None) -> list:
        """(pk, (matched, score)) of the matching documents the queryset keeps, best first, [start:stop].

        Equal scores are ordered newest first; their dates are fetched only for the ties that
        reach into the slice (exact ties are rare: identical texts).
        """
        order = self.heading_bonus(self.refine(self.best(stop)))
        stop = len(order) if stop is None else min(stop, len(order))
        if start >= stop:
            return []
        # Widen the slice to whole groups of equal scores (refine() may have rescored the head,
        # so groups follow the order as it is, not a new sort).
        keys = [self.rank_key(value) for _pk, value in order]
        first, last = start, stop
        while first > 0 and keys[first - 1] == keys[first]:
            first -= 1
        while last < len(order) and keys[last] == keys[last - 1]:
            last += 1
        window = order[first:last]
        tied = [pk for index, (pk, _value) in enumerate(window) if (index and keys[first + index - 1] == keys[first + index]) or (index + 1 < len(window) and keys[first + index + 1] == keys[first + index])]
        recency = recency_field(self.queryset.model)
        dates = {}
        if tied and recency:
            fresh = type(self.queryset)(model=self.queryset.model, using=self.queryset.db)
            dates = dict(fresh.filter(pk__in=self.pk_subquery(tied)).values_list("pk", recency))
        group_of, group = {}, 0
        for index, (pk, _value) in enumerate(window):
            group += index > 0 and keys[first + index] != keys[first + index - 1]
            group_of[pk] = group
        window.sort(key=lambda item: (group_of[item[0]], _newest_first(dates.get(item[0])), _descending(item[0])))
        return window[start - first : stop - first]


class ArabicSearchResults(BaseSearchResults):
    supports_facet = True

    def _do_search(self):
        return self.query_compiler.results(self.start, self.stop, self._score_field)

    def _do_count(self):
        total = self.query_compiler.count()
        total = max(0, total - self.start)
        return min(total, self.stop - self.start) if self.stop is not None else total

    def facet(self, field_name):
        compiler = self.query_compiler
        if compiler._get_filterable_field(field_name) is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f"index.FilterField('{field_name}') to {compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        rows = compiler.restricted_queryset().values(field_name).annotate(count=Count("pk")).order_by("-count")
        return OrderedDict((row[field_name], row["count"]) for row in rows)


class ArabicBackendMixin:
    """Search through the Arabic compiler; autocomplete stays modelsearch's (on normalised words)."""

    results_class = ArabicSearchResults
    autocomplete_results_class = None  # the vendor's stock results class

    def search(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        return super().search(query, model_or_queryset, fields, valid_operator(operator), order_by_relevance)

    def autocomplete(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        results = super().autocomplete(query, model_or_queryset, fields, valid_operator(operator), order_by_relevance)
        if isinstance(results, EmptySearchResults):
            return results
        return self.autocomplete_results_class(self, results.query_compiler)


def _summed(scored: list, members: set) -> dict:
    """pk → (number of query words found, summed boost × score) over every word's hits, for `members` only.

    A common word has tens of thousands of hits: everything here runs as dict, set and map
    operations (in C), not as a Python loop per hit. Sums are added in word order, as before."""
    counts: Counter = Counter()
    totals: dict = {}
    for _term, hits, boost in scored:
        counts.update(hits.keys())
        if boost != 1.0:
            hits = dict(zip(hits.keys(), map(mul, hits.values(), repeat(boost)), strict=True))
        both = list(hits.keys() & totals.keys())
        sums = list(map(add, map(totals.__getitem__, both), map(hits.__getitem__, both)))
        totals.update(hits)
        totals.update(zip(both, sums, strict=True))
    keys = list(members & counts.keys())
    return dict(zip(keys, zip(map(counts.__getitem__, keys), map(totals.__getitem__, keys), strict=True), strict=True))


def _both(left, right):
    (a, a_not), (b, b_not) = left, right
    if not a_not and not b_not:
        return a & b, False
    if not a_not:
        return a - b, False
    if not b_not:
        return b - a, False
    return a | b, True


def _either(left, right):
    (a, a_not), (b, b_not) = left, right
    if not a_not and not b_not:
        return a | b, False
    if not a_not:
        return b - a, True
    if not b_not:
        return a - b, True
    return a & b, True


def _newest_first(value) -> float:
    if isinstance(value, datetime):
        return -value.timestamp()
    if isinstance(value, date):
        return -float(value.toordinal())
    return math.inf


def _descending(pk):
    return -pk if isinstance(pk, int) else 0


def _is_column(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).concrete
    except FieldDoesNotExist:  # a SearchField may name a method or property
        return False
