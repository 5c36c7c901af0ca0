"""An approved comment changes its article's cached page: purge it when a comment enters or
leaves the approved state, however that happens (the admin's edit form, a bulk action, a delete)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from akhbar.pagecache import purge

WAS_PUBLIC = "_comments_was_public"
# Inside `purges_batched`: the articles to purge once the batch is done.
_batch: ContextVar[set | None] = ContextVar("comments_purge_batch", default=None)


def remember_status(sender, instance, **kwargs):
    if instance.pk is None:
        setattr(instance, WAS_PUBLIC, False)
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    setattr(instance, WAS_PUBLIC, stored == sender.Status.APPROVED)


def status_saved(sender, instance, **kwargs):
    was_public = instance.__dict__.pop(WAS_PUBLIC, False)
    if was_public or instance.is_public:
        purge_articles([instance.article_id])
    if instance.is_public and not was_public and instance.parent_id:
        from .notify import queue_reply_notifications

        queue_reply_notifications([instance.pk])


def comment_deleted(sender, instance, **kwargs):
    if instance.is_public:
        purge_articles([instance.article_id])
    if instance.parent_id is not None:
        sender.drop_empty_placeholder(instance.parent_id)


@contextmanager
def purges_batched():
    """Collect the purges of many comments' changes (a bulk delete) and purge each article once."""
    batch: set = set()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    purge_articles(batch)


def purge_articles(article_ids) -> None:
    from akhbar.news.models import ArticlePage

    batch = _batch.get()
    if batch is not None:
        batch.update(article_ids)
        return
    if not purge.enabled() or not article_ids:
        return
    for article in ArticlePage.objects.live().filter(pk__in=set(article_ids)).defer_streamfields():
        purge.comment_approved(article)


def settings_changed(sender, instance, created=False, **kwargs):
    from django.core.cache import cache

    from .models import SETTINGS_CACHE_KEY

    def forget():
        try:
            cache.delete(SETTINGS_CACHE_KEY)
        except Exception:
            pass

    forget()
    transaction.on_commit(forget, robust=True)  # and again once readers can see the new row
    if not created:  # the first read creates the row with the defaults: nothing changed
        purge.purge_everything()  # every article's form may have opened or closed


def connect() -> None:
    from .models import Comment, CommentSettings

    post_save.connect(settings_changed, sender=CommentSettings, dispatch_uid="comments-settings-saved")
    post_delete.connect(settings_changed, sender=CommentSettings, dispatch_uid="comments-settings-deleted")

    pre_save.connect(remember_status, sender=Comment, dispatch_uid="comments-remember-status")
    post_save.connect(status_saved, sender=Comment, dispatch_uid="comments-status-saved")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="comments-deleted")
