from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "akhbar.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from wagtail.signals import post_page_move

        from . import renditions  # noqa: F401  (queues renditions for every uploaded picture)
        from .models import keep_article_section

        post_page_move.connect(keep_article_section, dispatch_uid="news-article-section")
