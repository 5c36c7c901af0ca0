from django import template

from akhbar.syndication.metadata import page_metadata as build

register = template.Library()


@register.simple_tag(takes_context=True)
def page_metadata(context):
    """`{% page_metadata as META %}`: description, image, feeds and JSON-LD of the page (metadata.py)."""
    return build(context)
