from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AliasesConfig(AppConfig):
    name = "akhbar.aliases"
    label = "aliases"
    verbose_name = _("Name aliases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the periodic proposal job)
