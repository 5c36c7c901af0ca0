from django import template

from .. import listing
from ..forms import max_length
from ..models import CommentSettings

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def article_comments(context, article):
    """Comments under an article: count, first page of threads, the form (no token: the page is cached)."""
    request = context.get("request")
    order = listing.parse_order(request.GET.get("comments") if request is not None else None)
    return {
        "request": request,
        "article": article,
        "count": listing.approved_count(article.pk),
        "batch": listing.threads(article.pk, order),
        "order": order,
        "closed": CommentSettings.cached().closed_for(article),
        "max_length": max_length(),
    }
