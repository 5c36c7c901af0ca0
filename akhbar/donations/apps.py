from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "akhbar.donations"
    label = "donations"
    verbose_name = _("Donations")
    default_auto_field = "django.db.models.BigAutoField"
