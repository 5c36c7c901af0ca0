"""API field serializers the page models name (importable while models load, unlike wagtail.api.v2)."""

from rest_framework.fields import Field


class PrefetchedTagsField(Field):
    """Tag names, sorted, read from the tags the article list prefetched (akhbar/news/api.py);
    Wagtail's TagsField queries again for every page."""

    def get_attribute(self, instance):
        return instance.tags

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())
