"""API field serializers the page models name (importable while models load, unlike wagtail.api.v2)."""

from rest_framework.fields import Field
from wagtail.images.api.fields import ImageRenditionField


class PrefetchedTagsField(Field):
    """Tag names, sorted, read from the tags the article list prefetched (akhbar/news/api.py);
    Wagtail's TagsField queries again for every page."""

    def get_attribute(self, instance):
        return instance.tags

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class RequestHostRenditionField(ImageRenditionField):
    """A rendition whose `full_url` is on the host the request came in on (Wagtail builds it
    from WAGTAILADMIN_BASE_URL, the admin's address, which apps cannot use)."""

    def to_representation(self, image):
        data = super().to_representation(image)
        request = self.context.get("request")
        if request is not None and data.get("url"):
            data["full_url"] = data["url"] if "://" in data["url"] else request.build_absolute_uri(data["url"])
        return data
