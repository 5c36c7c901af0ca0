from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "akhbar.core"
    label = "core"
    verbose_name = _("Akhbar core")

    def ready(self) -> None:
        from . import periodic  # noqa: F401  (registers the built-in periodic jobs)
        from .tree_cache import connect_signals

        connect_signals()
