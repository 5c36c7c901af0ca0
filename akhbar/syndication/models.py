"""Who publishes this site, as feeds, structured data and social cards name it (per site)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from akhbar.core.sites import CachedSiteSetting


@register_setting(icon="rss")
class SyndicationSettings(CachedSiteSetting, BaseSiteSetting):
    publisher_name = models.CharField(
        _("publisher name"), max_length=200, blank=True, help_text=_("Leave empty to use the site's name.")
    )
    description = models.CharField(
        _("site description"), max_length=300, blank=True, help_text=_("Feeds and the home page's description.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown by social networks for pages without an image of their own (home, sections, tags). At least 1280×720."),
    )
    twitter_handle = models.CharField(_("X (Twitter) account"), max_length=50, blank=True, help_text=_("Without the @."))
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram account"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    telegram_url = models.URLField(_("Telegram channel"), blank=True)
    full_text_feeds = models.BooleanField(
        _("full text in feeds"),
        default=False,
        help_text=_("Feeds carry whole articles instead of their lede (?full=1 asks for it either way)."),
    )

    select_related = ["logo", "share_image"]

    panels = [
        MultiFieldPanel([FieldPanel("publisher_name"), FieldPanel("description"), FieldPanel("logo"), FieldPanel("share_image")], heading=_("Publisher")),
        MultiFieldPanel(
            [
                FieldPanel("twitter_handle"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("telegram_url"),
            ],
            heading=_("Social accounts"),
        ),
        FieldPanel("full_text_feeds"),
    ]

    class Meta:
        verbose_name = _("syndication")

    @property
    def twitter_account(self) -> str:
        handle = self.twitter_handle.strip().lstrip("@")
        return f"@{handle}" if handle else ""

    @property
    def same_as(self) -> list[str]:
        urls = [self.facebook_url, self.instagram_url, self.youtube_url, self.telegram_url]
        if self.twitter_account:
            urls.insert(0, f"https://x.com/{self.twitter_account[1:]}")
        return [url for url in urls if url]
