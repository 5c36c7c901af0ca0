"""Wagtail API v2 at /api/v2/: pages and images, up to 100 items a request.

Absolute URLs in responses use the host the request came in on (not the Site record),
so a site served at 127.0.0.1:PORT links to itself.
"""

from django.db.models import Prefetch
from django.shortcuts import redirect
from rest_framework.fields import SkipField
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import DetailUrlField, PageHtmlUrlField, PageParentField, PageSerializer, get_serializer_class
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet


class RequestHostDetailUrlField(DetailUrlField):
    def get_attribute(self, instance):
        path = self.context["router"].get_object_detail_urlpath(type(instance), instance.pk)
        if not path:
            raise SkipField
        return self.context["request"].build_absolute_uri(path)


class RequestHostHtmlUrlField(PageHtmlUrlField):
    def to_representation(self, page):
        request = self.context["request"]
        url = page.get_url(request=request)
        return request.build_absolute_uri(url) if url else None


class RequestHostParentField(PageParentField):
    """An article's section (meta.parent) with its URLs on the request's host too."""

    def to_representation(self, value):
        serializer_class = get_serializer_class(
            value.__class__,
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=NewsPageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)


class NewsPageSerializer(PageSerializer):
    detail_url = RequestHostDetailUrlField(read_only=True)
    html_url = RequestHostHtmlUrlField(read_only=True)
    parent = RequestHostParentField(read_only=True)


class NewsImageSerializer(ImageSerializer):
    detail_url = RequestHostDetailUrlField(read_only=True)


class BoundedOffsetPagination(WagtailPagination):
    """Wagtail hands any offset to the database, whose integers end at 2**63 (a 500 beyond).
    An offset past MAX_OFFSET lies past the last item of any site: an empty page."""

    MAX_OFFSET = 10**9

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)  # validates offset and limit
        return [] if int(request.GET.get("offset", 0)) > self.MAX_OFFSET else page


class NewsPagesAPIViewSet(PagesAPIViewSet):
    base_serializer_class = NewsPageSerializer
    pagination_class = BoundedOffsetPagination

    def find_view(self, request):
        """Wagtail redirects to the Site record's host (localhost:80); this, to the request's."""
        response = super().find_view(request)
        path = response["Location"].split("://", 1)[-1]
        path = path[path.find("/") :] if "/" in path else "/"
        return redirect(request.build_absolute_uri(path))

    def get_queryset(self):
        """Article lists carry tags, authors and thumbnails: fetched for the whole page of items
        in a fixed number of queries instead of three or four per article."""
        queryset = super().get_queryset()
        from .models import ArticlePage

        if queryset.model is ArticlePage:
            from wagtail.images import get_image_model

            renditions = get_image_model().get_rendition_model().objects.filter(filter_spec="fill-640x360")
            queryset = queryset.select_related("featured_image").prefetch_related(
                "tags", "authors", Prefetch("featured_image__renditions", queryset=renditions)
            )
        return queryset

    def get_base_queryset(self):
        """Wagtail asks up to three times a request, each time reading every view restriction
        again; once per request (a view instance serves one request)."""
        if getattr(self, "_base_queryset", None) is None:
            self._base_queryset = super().get_base_queryset()
        return self._base_queryset


class NewsImagesAPIViewSet(ImagesAPIViewSet):
    base_serializer_class = NewsImageSerializer
    pagination_class = BoundedOffsetPagination


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", NewsPagesAPIViewSet)
api_router.register_endpoint("images", NewsImagesAPIViewSet)
