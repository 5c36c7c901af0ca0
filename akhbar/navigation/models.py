"""Footer links and site identity, editable per site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from akhbar.core.sites import CachedSiteSetting


@register_setting(icon="list-ul")
class NavigationSettings(CachedSiteSetting, BaseSiteSetting):
    """The header menu lists top-level sections marked «show in menus» in page-tree order;
    this setting holds what the footer links to."""

    about_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("about page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("contact page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("privacy page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    footer_text = models.CharField(_("footer text"), max_length=300, blank=True)

    select_related = ["about_page", "contact_page", "privacy_page"]

    panels = [FieldPanel("about_page"), FieldPanel("contact_page"), FieldPanel("privacy_page"), FieldPanel("footer_text")]

    class Meta:
        verbose_name = _("navigation")
