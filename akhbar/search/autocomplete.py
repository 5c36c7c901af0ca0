"""Autocomplete (prefix search) stays modelsearch's own, on the normalised words Akhbar indexes.

Only the query changes: it is normalised the same way (so أحم finds احمد), and reduced to
letters and digits, so no input reaches FTS5 or tsquery syntax.
"""

from modelsearch.query import Phrase, PlainText

from .analysis import autocomplete_words
from .ranking import valid_operator


class NormalisedAutocompleteMixin:
    def __init__(self, queryset, query, fields=None, operator=None, order_by_relevance=True):
        super().__init__(queryset, query, fields=fields, operator=valid_operator(operator), order_by_relevance=order_by_relevance)
        if isinstance(self.query, PlainText):
            self.query = PlainText(" ".join(autocomplete_words(self.query.query_string)), operator=self.query.operator)
        elif isinstance(self.query, Phrase):
            self.query = Phrase(" ".join(autocomplete_words(self.query.query_string)))

    def search(self, config, start, stop, score_field=None, **kwargs):
        if isinstance(self.query, PlainText | Phrase) and not self.query.query_string:
            return self.queryset.none()
        return super().search(config, start, stop, score_field=score_field, **kwargs)
