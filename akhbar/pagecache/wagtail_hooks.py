from wagtail import hooks

from . import rules
from .app import mark_cacheable


# After Wagtail's own view-restriction check (order 0), which answers restricted pages itself:
# a page behind a password or a login is never marked.
@hooks.register("before_serve_page", order=100)
def mark_cacheable_page(page, request, serve_args, serve_kwargs):
    page_type = page.specific_class
    if page_type is not None and page_type._meta.label in rules.CACHEABLE_PAGE_TYPES:
        mark_cacheable(request)
