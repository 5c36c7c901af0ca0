"""Reader search. The Arabic analysis arrives with the search issue; this is the plain page."""

from django.template.response import TemplateResponse

from akhbar.arabic.text import clean_line
from akhbar.news.models import ArticlePage

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 20


def search(request):
    query = clean_line(request.GET.get("q", ""))[:MAX_QUERY_LENGTH]
    results = []
    if query:
        results = list(
            ArticlePage.objects.live().public().select_related("featured_image", "section").search(query)[:RESULTS_PER_PAGE]
        )
    return TemplateResponse(request, "pages/search_page.html", {"query": query, "results": results})
