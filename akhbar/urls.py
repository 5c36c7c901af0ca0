from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_static_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from akhbar.core import health
from akhbar.core import views as core_views
from akhbar.core.ratelimit import rate_limited
from akhbar.news import views as news_views
from akhbar.news.api import api_router
from akhbar.search import views as search_views

handler404 = "akhbar.core.views.page_not_found"
handler500 = "akhbar.core.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("search/", rate_limited("search")(search_views.search), name="search"),
    path("search/suggest/", rate_limited("suggest", as_json=True)(search_views.suggest), name="search_suggest"),
    path("tags/<str:slug>/", news_views.tag_page, name="tag"),
    path("authors/<str:slug>/", news_views.author_page, name="author"),
    path("a/<int:article_id>/", news_views.short_link, name="short_link"),
    path("csrf/", core_views.csrf_token, name="csrf_token"),
    path("comments/", include("akhbar.comments.urls")),
    path("newsletter/", include("akhbar.newsletter.urls")),
    path("donations/", include("akhbar.donations.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if settings.ANYMAIL_WEBHOOK_SECRET:
    # Providers report bounces and complaints here (basic auth with the secret; docs/newsletter.md).
    urlpatterns += [path("anymail/", include("anymail.urls"))]

if settings.SERVE_MEDIA:
    # The embedded default serves uploads itself; a scaled-out site serves them from object storage.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_static_file, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include("akhbar.syndication.urls")), path("", include(wagtail_urls))]
