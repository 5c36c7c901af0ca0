"""Marks responses of the views listed in `rules.CACHEABLE_URL_NAMES` as cacheable."""

from . import rules
from .app import mark_cacheable


class MarkCacheableViewsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name in rules.CACHEABLE_URL_NAMES:
            mark_cacheable(request)
