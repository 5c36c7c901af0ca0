from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "akhbar.search"
    label = "akhbar_search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import pre_delete

        from . import periodic  # noqa: F401  (registers the vocabulary's periodic recount)
        from .index import remove_before_delete

        pre_delete.connect(remove_before_delete, dispatch_uid="akhbar_search_remove_before_delete")
