"""Purges on publish, unpublish, move and delete (Wagtail's signals), and on site-wide changes."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import purge

BEFORE = "_page_cache_targets_before"


def _is_article(page) -> bool:
    from akhbar.news.models import ArticlePage

    return page.specific_class is ArticlePage


def remember_listings(sender, instance, update_fields=None, **kwargs):
    """Before a live article is saved: the pages that list it now (a tag or author removed,
    a slug changed), so its publish purges them as well as the new ones."""
    if update_fields is not None or instance.pk is None or not purge.enabled():
        return
    from akhbar.news.models import ArticlePage

    stored = ArticlePage.objects.filter(pk=instance.pk, live=True).first()
    if stored is not None:
        setattr(instance, BEFORE, purge.article_targets(stored))


def _purge_page(page, former: "purge.Targets | None") -> None:
    """An article purges what lists it now and `former` listings; any other page, everything."""
    if not purge.enabled():
        return
    if not _is_article(page):
        purge.purge_everything()
        return
    targets = purge.article_targets(page)
    if former is not None:
        targets.update(former)
    purge.purge(targets)


def page_changed(sender, instance, **kwargs):
    """Published or unpublished."""
    _purge_page(instance, instance.__dict__.pop(BEFORE, None))


def page_moved(sender, instance, url_path_before, **kwargs):
    """An article purges what lists it at its new address and what listed it at the old one
    (the old sections and their feeds); any other page, everything."""
    former = purge.former_address_targets(url_path_before) if purge.enabled() and _is_article(instance) else None
    _purge_page(instance, former)


def page_deleted(sender, instance, **kwargs):
    """Sent for each row of a deleted subtree, both as a base Page and as its specific type;
    the specific one acts."""
    if not isinstance(instance, Page) or type(instance) is not instance.specific_class or not purge.enabled():
        return
    if _is_article(instance):
        if instance.live:
            purge.purge_article(instance)
    else:
        purge.purge_everything()


def site_wide_change(sender, instance, created=False, **kwargs):
    """Menus, footer, regional settings (dates, digits), the donation appeal, sites and author
    bylines show on many pages."""
    if not created:
        purge.purge_everything()


def connect() -> None:
    from akhbar.core.models import RegionalSettings
    from akhbar.donations.models import DonationSettings
    from akhbar.navigation.models import NavigationSettings
    from akhbar.news.models import ArticlePage, Author

    pre_save.connect(remember_listings, sender=ArticlePage, dispatch_uid="pagecache-remember")
    page_published.connect(page_changed, dispatch_uid="pagecache-published")
    page_unpublished.connect(page_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(page_moved, dispatch_uid="pagecache-moved")
    pre_delete.connect(page_deleted, dispatch_uid="pagecache-deleted")
    for model in (NavigationSettings, RegionalSettings, DonationSettings, Site, Author):
        post_save.connect(site_wide_change, sender=model, dispatch_uid=f"pagecache-{model._meta.label}")
        post_delete.connect(site_wide_change, sender=model, dispatch_uid=f"pagecache-{model._meta.label}-deleted")
