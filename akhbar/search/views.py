"""Reader search: the results page (/search/) and suggestions as you type (/search/suggest/).

The page is a plain GET form that works without JavaScript; search.js adds the suggestions.
Its cost in queries does not grow with the archive: the sections (one query), the site's
regional settings (one), the backend's lookups (one per query word on SQLite, one in all on
PostgreSQL), the count and the page of results; "did you mean" adds the vocabulary lookup.
"""

import datetime as dt
import hashlib
import math
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from akhbar.arabic.analysis import ANALYZER
from akhbar.arabic.digits import localize_digits
from akhbar.arabic.text import clean_line
from akhbar.core.models import RegionalSettings
from akhbar.news.models import ArticlePage, SectionPage

from .analysis import autocomplete_words, query_terms
from .highlight import Highlighter, article_text, prefix_parts
from .params import MAX_PAGES, SORT_NEWEST, SORT_RELEVANCE, SearchParams, parse_search_params
from .spelling import suggest_spelling

RESULTS_PER_PAGE = 20
FEW_RESULTS = 5  # below this many results, offer a spelling correction when there is one
PAGE_LINKS_AROUND = 2  # numbered links either side of the current page

SUGGESTIONS = 6
SUGGEST_MAX_LENGTH = 100
SUGGEST_MIN_LETTERS = 2
SUGGEST_CACHE_SECONDS = 60


def search(request):
    sections = list(SectionPage.objects.live().order_by("path").only("id", "title", "path", "depth"))
    params = parse_search_params(request.GET, {section.pk for section in sections})
    regional = RegionalSettings.for_request(request)
    context = {
        "params": params,
        "query": params.query,
        "section_choices": _section_choices(sections),
        "searched": params.searchable,
        "notices": params.notices,
    }
    if params.searchable:
        context.update(_results(params, sections, regional))
    return TemplateResponse(request, "pages/search_page.html", context)


def _results(params: SearchParams, sections, regional) -> dict:
    queryset = ArticlePage.objects.live().public().select_related("section")
    if params.section_id:
        chosen = next(section for section in sections if section.pk == params.section_id)
        queryset = queryset.filter(section__in=[s.pk for s in sections if s.path.startswith(chosen.path)])
    zone = ZoneInfo(regional.time_zone)
    if params.date_from:
        queryset = queryset.filter(published_at__gte=dt.datetime.combine(params.date_from, dt.time.min, tzinfo=zone))
    if params.date_to:
        next_day = params.date_to + dt.timedelta(days=1)
        queryset = queryset.filter(published_at__lt=dt.datetime.combine(next_day, dt.time.min, tzinfo=zone))
    if params.sort == SORT_NEWEST:
        results = queryset.order_by("-published_at", "-id").search(params.query, order_by_relevance=False)
    else:
        results = queryset.search(params.query)

    total = results.count()
    pages = min(math.ceil(total / RESULTS_PER_PAGE), MAX_PAGES)
    digits = regional.digits
    items = []
    if params.page > MAX_PAGES:
        params.notices.append(
            _("Search shows at most %(pages)s pages of results. Narrow the search with a section or dates to see older ones.")
            % {"pages": localize_digits(str(MAX_PAGES), digits)}
        )
    elif params.page > max(pages, 1):
        params.notices.append(
            ngettext(
                "This search has only %(pages)s page of results.",
                "This search has only %(pages)s pages of results.",
                pages,
            )
            % {"pages": localize_digits(str(pages), digits)}
        )
    else:
        start = (params.page - 1) * RESULTS_PER_PAGE
        articles = list(results[start : start + RESULTS_PER_PAGE])
        highlighter = Highlighter.for_query(params.query, _alternative_terms(results, params.query))
        items = [
            {"article": article, "title": highlighter.highlight(article.title), "snippet": highlighter.snippet(article_text(article))}
            for article in articles
        ]
    return {
        "results": items,
        "total": total,
        "count_text": ngettext("%(count)s result", "%(count)s results", total) % {"count": localize_digits(str(total), digits)},
        "sort_links": _sort_links(params),
        "pagination": _pagination(params, pages, digits),
        "did_you_mean": _did_you_mean(params) if total < FEW_RESULTS else None,
        "first_number": (params.page - 1) * RESULTS_PER_PAGE + 1,
        "unfiltered_url": _url(params.as_query(section=None, page=1, **{"from": None, "to": None})),
    }


def _alternative_terms(results, query: str) -> list:
    """The words the search also matched for the query's words (a typo's correction, another
    spelling of a name …), when the backend tells (ranking.py's compiler, after the search ran)."""
    lookup = getattr(getattr(results, "query_compiler", None), "alternative_terms", None)
    if not callable(lookup):
        return []
    return [part for term in query_terms(query) for part in lookup(term)]


def _section_choices(sections) -> list[dict]:
    """(id, title, indented label) in tree order; subsections indented under their parent."""
    if not sections:
        return []
    top = min(section.depth for section in sections)
    return [
        {"id": section.pk, "title": section.title, "label": "— " * (section.depth - top) + section.title}
        for section in sections
    ]


def _sort_links(params: SearchParams) -> list[dict]:
    return [
        {"label": _("Most relevant"), "url": _url(params.as_query(sort=SORT_RELEVANCE, page=1)), "current": params.sort == SORT_RELEVANCE},
        {"label": _("Newest first"), "url": _url(params.as_query(sort=SORT_NEWEST, page=1)), "current": params.sort == SORT_NEWEST},
    ]


def _pagination(params: SearchParams, pages: int, digits: str) -> dict | None:
    if pages <= 1:
        return None
    current = min(params.page, pages)
    numbers = sorted({1, pages, *range(max(1, current - PAGE_LINKS_AROUND), min(pages, current + PAGE_LINKS_AROUND) + 1)})
    links, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            links.append({"gap": True})
        links.append(
            {
                "number": localize_digits(str(number), digits),
                "url": _url(params.as_query(page=number)),
                "current": number == params.page,
            }
        )
        previous = number
    return {
        "links": links,
        "previous": _url(params.as_query(page=params.page - 1)) if 1 < params.page <= pages else None,
        "next": _url(params.as_query(page=current + 1)) if params.page < pages else None,
        "summary": _("Page %(page)s of %(pages)s")
        % {"page": localize_digits(str(current), digits), "pages": localize_digits(str(pages), digits)}
        if params.page <= pages
        else "",
    }


def _did_you_mean(params: SearchParams) -> dict | None:
    suggestion = suggest_spelling(params.query)
    if not suggestion or _normalised_words(suggestion) == _normalised_words(params.query):
        return None
    asked = set(_normalised_words(params.query))
    words = [{"text": word, "changed": ANALYZER.normalize_word(word) not in asked} for word in suggestion.split()]
    return {"text": suggestion, "words": words, "url": _url(params.as_query(q=suggestion, page=1))}


def _normalised_words(text: str) -> list[str]:
    return [token.norm for token in ANALYZER.tokens(text)]


def _url(query: dict) -> str:
    return "?" + urlencode(query) if query else "?"


# Suggestions as you type ----------------------------------------------------------------------


@require_GET
def suggest(request):
    """Titles of articles matching what has been typed so far (the last word may be unfinished).

    Cheap enough to answer every keystroke a debounced box sends: the answer is cached per
    site and normalised words for a minute (here and in browsers), and a miss costs the
    backend's prefix lookup plus, when it finds nothing, one search.
    """
    value = request.GET.get("q", "")
    query = clean_line(value if isinstance(value, str) else "")[:SUGGEST_MAX_LENGTH]
    words = autocomplete_words(query)
    answer = {"suggestions": [], "status": ""}
    if sum(len(word) for word in words) >= SUGGEST_MIN_LETTERS:
        key = "akhbar:search-suggest:" + hashlib.sha256(f"{request.get_host()} {' '.join(words)}".encode()).hexdigest()
        answer = cache.get(key)
        if answer is None:
            answer = _suggestions(request, query)
            cache.set(key, answer, SUGGEST_CACHE_SECONDS)
    return JsonResponse(
        {"query": query, **answer},
        json_dumps_params={"ensure_ascii": False},
        headers={"Cache-Control": f"public, max-age={SUGGEST_CACHE_SECONDS}"},
    )


def _suggestions(request, query: str) -> dict:
    queryset = ArticlePage.objects.live().public().select_related("section")
    found = list(queryset.autocomplete(query)[:SUGGESTIONS])
    if not found:  # whole words with attached particles (بالولايات) are the search's, not the prefix lookup's
        found = list(queryset.search(query)[:SUGGESTIONS])
    typed = autocomplete_words(query)
    suggestions = [
        {
            "title": article.title,
            "title_parts": prefix_parts(article.title, typed),
            "url": article.get_url(request),
            "section": article.section.title if article.section else "",
        }
        for article in found
    ]
    digits = RegionalSettings.for_request(request).digits
    count = len(suggestions)
    status = (
        ngettext("%(count)s suggestion available.", "%(count)s suggestions available.", count)
        % {"count": localize_digits(str(count), digits)}
        if count
        else _("No suggestions.")
    )
    return {"suggestions": suggestions, "status": status}
