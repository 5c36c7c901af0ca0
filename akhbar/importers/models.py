"""What an import brought in from another system, so re-runs update instead of duplicating."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedObject(models.Model):
    """One item of a source site (a WordPress page, attachment, comment, category…) and what it became.

    Keyed by the source site and the item's own ID there. Articles are keyed by their
    `external_id` instead, which the batched article writer already uses. An attachment whose
    file was not found has no object: its original address is kept so nothing is forgotten.
    """

    class Kind(models.TextChoices):
        PAGE = "page", _("page")
        ATTACHMENT = "attachment", _("attachment")
        COMMENT = "comment", _("comment")
        CATEGORY = "category", _("category")

    source = models.CharField(_("source site"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source_id = models.CharField(_("ID in the source"), max_length=64)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    original_url = models.URLField(_("original address"), max_length=2000, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [models.UniqueConstraint(fields=["source", "kind", "source_id"], name="importers_imported_once")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id}"
