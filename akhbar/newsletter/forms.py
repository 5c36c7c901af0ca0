"""The subscribe and preferences forms: every refusal has a clear message (Arabic on the site)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from akhbar.comments.text import INVISIBLE, REPLACEMENT_CHARACTER

from .models import LISTS, normalise_email

HONEYPOT = "website"  # hidden from people; bots fill it
LIST_CHOICES = list(LISTS.items())
DEFAULT_LISTS = ["daily"]


def clean_address(value: str) -> str:
    """An address as typed, refused when it hides characters a person cannot see or read.

    Bidi controls and zero-width characters make one address look like another, and U+FFFD is
    what Django decodes bytes that were not UTF-8 to; none belongs in an email address.
    """
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(_("The address contains characters that could not be read (invalid encoding)."), code="encoding")
    if any(char in INVISIBLE or ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in value):
        raise ValidationError(_("This email address is not valid."), code="invalid")
    return normalise_email(value)


class EmailInput(forms.EmailField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Your email address"),
            max_length=254,
            error_messages={
                "required": _("Please write your email address."),
                "invalid": _("This email address is not valid."),
                "max_length": _("This email address is too long."),
            },
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return clean_address(value) if value else value


class ListsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Lists"),
            choices=LIST_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Please choose at least one list."),
                "invalid_choice": _("Please choose among the lists offered."),
                "invalid_list": _("Please choose among the lists offered."),
            },
            **kwargs,
        )


class SubscribeForm(forms.Form):
    email = EmailInput()
    lists = ListsField()
    website = forms.CharField(required=False, max_length=2000)
    started = forms.CharField(required=False, max_length=200)


class PreferencesForm(forms.Form):
    lists = ListsField()
