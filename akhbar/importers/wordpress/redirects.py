"""WordPress's own short addresses (`/?p=123`, `/?page_id=7`) keep working after the move.

They are queries on the home page, which answers 200, so `wagtail.contrib.redirects` (which
acts only on a 404) never sees them. This middleware looks them up in the same redirects
table the importer fills; every other request passes through untouched.
"""

from django.db.models import F
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

QUERY_KEYS = ("p", "page_id")


class WordPressQueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD") and any(key in request.GET for key in QUERY_KEYS):
            response = self.redirect(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def redirect(request):
        for key in QUERY_KEYS:
            value = request.GET.get(key, "")
            if not value.isdigit() or len(value) > 20:
                continue
            site = Site.find_for_request(request)
            match = Redirect.get_for_site(site).filter(old_path=f"/?{key}={int(value)}").order_by(F("site_id").desc(nulls_last=True)).first()
            if match is not None and match.link:
                response_class = HttpResponsePermanentRedirect if match.is_permanent else HttpResponseRedirect
                return response_class(match.link)
        return None
