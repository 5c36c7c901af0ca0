"""Reader views outside the page tree: tag pages, author pages, short links."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from taggit.models import Tag

from .listings import author_articles, paginate, tag_articles
from .models import ArticlePage, Author


def _listing(request, template: str, queryset, context: dict):
    batch = paginate(queryset, request.GET.get("before"))
    context = {**context, "batch": batch, "articles": batch.items, "is_continuation": bool(request.GET.get("before"))}
    if request.GET.get("fragment") == "1":
        template = "components/article_list_fragment.html"
    return TemplateResponse(request, template, context)


def tag_page(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(request, "pages/tag_page.html", tag_articles(tag), {"tag": tag})


def author_page(request, slug: str):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    return _listing(request, "pages/author_page.html", author_articles(author), {"author": author})


def short_link(request, article_id: int):
    """/a/<id>/ — a stable, short address for sharing; redirects to the article's full URL."""
    article = ArticlePage.objects.live().public().filter(pk=article_id).first()
    if article is None:
        raise Http404
    url = article.get_url(request)
    if not url:
        raise Http404
    return redirect(url, permanent=True)
