"""Alias: a Latin-script name confirmed to mean an Arabic one. AliasProposal: one Akhbar suggests
from its own tags, waiting for an editor's decision (accepting it creates the Alias)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .keys import name_key
from .validation import MAX_NAME_LENGTH, clean_arabic_name, clean_latin_name


class Alias(models.Model):
    latin = models.CharField(_("Latin name"), max_length=MAX_NAME_LENGTH, help_text=_("As readers type it, e.g. Putin or Real Madrid."))
    arabic = models.CharField(
        _("Arabic name"), max_length=MAX_NAME_LENGTH, blank=True, help_text=_("As the articles write it, e.g. بوتين. Empty: the tag's name.")
    )
    tag = models.ForeignKey(
        "taggit.Tag", verbose_name=_("tag"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latin_key = models.CharField(max_length=MAX_NAME_LENGTH * 2, editable=False, db_index=True)
    arabic_key = models.CharField(max_length=MAX_NAME_LENGTH * 2, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [FieldPanel("latin"), FieldPanel("arabic"), FieldPanel("tag")]

    class Meta:
        verbose_name = _("name alias")
        verbose_name_plural = _("name aliases")
        ordering = ["latin_key"]
        constraints = [models.UniqueConstraint(fields=["latin_key", "arabic_key"], name="aliases_alias_unique_pair")]

    def __str__(self) -> str:
        return f"{self.latin} → {self.arabic}"

    def clean(self) -> None:
        errors = {}
        try:
            self.latin = clean_latin_name(self.latin)
        except ValidationError as error:
            errors["latin"] = error
        if not (self.arabic or "").strip() and self.tag_id:
            self.arabic = self.tag.name
        try:
            self.arabic = clean_arabic_name(self.arabic)
        except ValidationError as error:
            errors["arabic"] = error
        if errors:
            raise ValidationError(errors)
        self.set_keys()
        duplicate = Alias.objects.filter(latin_key=self.latin_key, arabic_key=self.arabic_key).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"latin": _("This alias already exists.")})

    def set_keys(self) -> None:
        self.latin_key = name_key(self.latin)
        self.arabic_key = name_key(self.arabic)

    def save(self, *args, **kwargs):
        self.set_keys()
        super().save(*args, **kwargs)


class AliasProposal(models.Model):
    PROPOSED, ACCEPTED, REJECTED = "proposed", "accepted", "rejected"
    STATUSES = [(PROPOSED, _("awaiting a decision")), (ACCEPTED, _("accepted")), (REJECTED, _("rejected"))]

    latin = models.CharField(_("Latin name"), max_length=MAX_NAME_LENGTH)
    arabic = models.CharField(_("Arabic name"), max_length=MAX_NAME_LENGTH)
    tag = models.ForeignKey(
        "taggit.Tag", verbose_name=_("tag"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    articles = models.PositiveIntegerField(_("articles"), default=0, help_text=_("Articles with this tag when proposed."))
    status = models.CharField(_("decision"), max_length=10, choices=STATUSES, default=PROPOSED, db_index=True)
    arabic_key = models.CharField(max_length=MAX_NAME_LENGTH * 2, editable=False, db_index=True)
    created_at = models.DateTimeField(_("proposed on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("latin"), FieldPanel("arabic", read_only=True), FieldPanel("status")]

    class Meta:
        verbose_name = _("proposed alias")
        verbose_name_plural = _("proposed aliases")
        ordering = ["status", "-articles", "arabic_key"]
        constraints = [models.UniqueConstraint(fields=["arabic_key"], name="aliases_proposal_unique_name")]

    def __str__(self) -> str:
        return f"{self.latin} → {self.arabic}"

    def clean(self) -> None:
        try:
            self.latin = clean_latin_name(self.latin)
        except ValidationError as error:
            raise ValidationError({"latin": error}) from None

    def save(self, *args, **kwargs):
        self.arabic_key = name_key(self.arabic)
        super().save(*args, **kwargs)

    @transaction.atomic
    def decide(self, status: str, user=None) -> "Alias | None":
        """Accept (the alias becomes confirmed) or reject; returns the Alias when accepted."""
        self.status = status
        self.decided_at = timezone.now()
        self.decided_by = user if getattr(user, "is_authenticated", False) else None
        self.save()
        if status != self.ACCEPTED:
            return None
        alias = Alias(latin=self.latin, arabic=self.arabic, tag=self.tag)
        alias.set_keys()
        existing = Alias.objects.filter(latin_key=alias.latin_key, arabic_key=alias.arabic_key).first()
        if existing:
            return existing
        alias.save()
        return alias
