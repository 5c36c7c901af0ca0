from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "akhbar.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import bounces, jobs, returns  # noqa: F401  (jobs registers the periodic jobs: purging, sending, the digest)

        bounces.connect()
        returns.connect()
