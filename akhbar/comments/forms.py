"""The reader's comment form: every failure has a clear message (Arabic on the site)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import BadEncoding, clean_text, find_urls

NAME_MAX = 80
HONEYPOT = "website"  # hidden from people; bots fill it


def max_length() -> int:
    return getattr(settings, "COMMENTS_MAX_LENGTH", 3000)


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=NAME_MAX * 4, error_messages={"required": _("Please write your name.")}
    )
    email = forms.EmailField(
        label=_("Email (never shown)"),
        max_length=254,
        error_messages={"required": _("Please write your email address."), "invalid": _("This email address is not valid.")},
    )
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write your comment.")},
    )
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)
    notify = forms.BooleanField(label=_("Email me when someone replies"), required=False)
    website = forms.CharField(required=False, max_length=2000)
    started = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, max_links: int = 2, **kwargs):
        self.max_links = max_links
        super().__init__(*args, **kwargs)
        self.fields["parent"].error_messages["invalid"] = _("The comment you are replying to was not found.")

    def _clean(self, field: str, multiline: bool) -> str:
        try:
            return clean_text(self.cleaned_data.get(field, ""), multiline=multiline)
        except BadEncoding:
            raise ValidationError(_("The text contains characters that could not be read (invalid encoding)."), code="encoding")

    def clean_name(self) -> str:
        name = self._clean("name", multiline=False)
        if not name:
            raise ValidationError(_("Please write your name."), code="required")
        if len(name) > NAME_MAX:
            raise ValidationError(_("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX}, code="max_length")
        if find_urls(name):
            raise ValidationError(_("The name cannot contain a link."), code="link")
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_text(self) -> str:
        text = self._clean("text", multiline=True)
        if not text:
            raise ValidationError(_("Please write your comment."), code="required")
        limit = max_length()
        if len(text) > limit:
            raise ValidationError(
                _("The comment is too long: %(length)d characters, at most %(max)d.") % {"length": len(text), "max": limit},
                code="max_length",
            )
        if len(find_urls(text)) > self.max_links:
            raise ValidationError(
                _("The comment has too many links (at most %(max)d).") % {"max": self.max_links}, code="links"
            )
        return text


class ForgetForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={"required": _("Please write your email address."), "invalid": _("This email address is not valid.")},
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
