"""What a reader asked the search page for, read from the query string without ever failing.

Every parameter is optional and anything malformed is dropped or corrected, with a notice in
the reader's language saying what happened (an Arabic sentence, not an error page).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from akhbar.arabic.digits import to_western
from akhbar.arabic.text import clean_line

from .analysis import query_terms

MAX_QUERY_LENGTH = 200
MAX_PAGES = 50  # 1,000 results at 20 a page: beyond that a reader narrows the search instead
SORT_RELEVANCE, SORT_NEWEST = "relevance", "newest"
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass
class SearchParams:
    query: str = ""
    section_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = SORT_RELEVANCE
    page: int = 1
    notices: list[str] = field(default_factory=list)

    @property
    def searchable(self) -> bool:
        """True when the query has at least one word the index can look up."""
        return bool(self.query) and bool(query_terms(self.query))

    @property
    def filtered(self) -> bool:
        return bool(self.section_id or self.date_from or self.date_to)

    def as_query(self, **changes) -> dict[str, str]:
        """The query-string parameters of this search (with `changes`), defaults left out."""
        values = {
            "q": self.query,
            "section": str(self.section_id) if self.section_id else "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort if self.sort != SORT_RELEVANCE else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        for name, value in changes.items():
            values[name] = "" if value in (None, SORT_RELEVANCE) or (name == "page" and value == 1) else str(value)
        return {name: value for name, value in values.items() if value}


def parse_search_params(get, section_ids) -> SearchParams:
    """Read q, section, from, to, sort and page from `get` (a QueryDict or dict).

    `section_ids`: the sections a reader may choose (ids); any other value is ignored.
    """
    params = SearchParams()
    notices = params.notices

    raw_query = clean_line(_single(get, "q"))
    if len(raw_query) > MAX_QUERY_LENGTH:
        notices.append(_("Your search was long: only its first %(count)s characters were used.") % {"count": MAX_QUERY_LENGTH})
        raw_query = raw_query[:MAX_QUERY_LENGTH].strip()
    params.query = raw_query
    if raw_query and not query_terms(raw_query):
        notices.append(_("Type a word or a name to search for: the search needs letters or digits."))

    section = _single(get, "section").strip()
    if section:
        number = _small_int(section)
        if number in section_ids:
            params.section_id = number
        else:
            notices.append(_("That section does not exist; results from every section are shown."))

    params.date_from = _date(get, "from", notices, _("The start date"))
    params.date_to = _date(get, "to", notices, _("The end date"))
    if params.date_from and params.date_to and params.date_from > params.date_to:
        params.date_from, params.date_to = params.date_to, params.date_from
        notices.append(_("The start date came after the end date; the two were swapped."))

    sort = _single(get, "sort").strip().lower()
    params.sort = SORT_NEWEST if sort == SORT_NEWEST else SORT_RELEVANCE

    page = _single(get, "page").strip()
    if page:
        number = _small_int(page)
        if number is None or number < 1:
            notices.append(_("The page number was not understood; the first page is shown."))
        else:
            params.page = number
    return params


def _single(get, name: str) -> str:
    value = get.get(name, "")
    return value if isinstance(value, str) else ""


def _small_int(text: str) -> int | None:
    text = to_western(text)
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


def _date(get, name: str, notices: list[str], label: str) -> dt.date | None:
    text = to_western(clean_line(_single(get, name)))[:40]
    if not text:
        return None
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if EARLIEST_YEAR <= year <= LATEST_YEAR:
            try:
                return dt.date(year, month, day)
            except ValueError:
                pass
    notices.append(
        _("%(label)s “%(value)s” is not a date; write it as year-month-day, for example 2024-03-15. It was ignored.")
        % {"label": label, "value": text}
    )
    return None
