"""The donation form: amounts checked on the server in the campaign's currency, every refusal
with a clear message (Arabic on the site), hostile text cleaned (akhbar/comments/text.py)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from akhbar.comments.text import BadEncoding, clean_text
from akhbar.newsletter.forms import EmailInput

from . import money, providers
from .models import Donation

HONEYPOT = "website"
AMOUNT_MESSAGES = {
    "empty": _("Please choose or write an amount."),
    "invalid": _("Please write the amount in digits, for example 25 or 12.50."),
    "decimals": _("This currency does not have that many decimals."),
}


class DonationForm(forms.Form):
    amount = forms.CharField(label=_("Amount"), required=False, max_length=40)
    custom_amount = forms.CharField(label=_("Another amount"), required=False, max_length=40)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Donation.Frequency.choices, initial=Donation.Frequency.ONCE,
        error_messages={"invalid_choice": _("Please choose one-off or monthly.")},
    )
    provider = forms.ChoiceField(label=_("How to pay"), error_messages={"invalid_choice": _("Please choose a way to pay.")})
    name = forms.CharField(label=_("Your name"), required=False, max_length=100, error_messages={"max_length": _("The name is too long.")})
    email = EmailInput()
    anonymous = forms.BooleanField(label=_("Do not show my name in public"), required=False)
    message = forms.CharField(
        label=_("A message (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The message is too long (at most 1,000 characters).")},
    )
    website = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        offered = providers.registry()
        self.fields["provider"].choices = [(name, provider.label) for name, provider in offered.items()]
        self.fields["provider"].initial = next(iter(offered), None)
        if not campaign.allow_monthly:
            self.fields["frequency"].choices = [(Donation.Frequency.ONCE, Donation.Frequency.ONCE.label)]
        suggestions = campaign.suggestions
        if suggestions and not self.is_bound:
            self.fields["amount"].initial = str(suggestions[min(1, len(suggestions) - 1)])

    def _text(self, name: str, multiline: bool) -> str:
        try:
            return clean_text(self.cleaned_data.get(name, ""), multiline=multiline)
        except BadEncoding as error:
            raise ValidationError(_("The text contains characters that could not be read (invalid encoding)."), code="encoding") from error

    def clean_name(self) -> str:
        return self._text("name", multiline=False)

    def clean_message(self) -> str:
        return self._text("message", multiline=True)

    def clean(self):
        cleaned = super().clean()
        typed = (cleaned.get("custom_amount") or "").strip() or (cleaned.get("amount") or "").strip()
        if typed == "other":
            typed = ""
        try:
            amount = money.parse_amount(typed, self.campaign.currency)
        except money.AmountError as error:
            self.add_error("custom_amount", ValidationError(AMOUNT_MESSAGES[error.code], code=error.code))
            return cleaned
        minimum, maximum = Decimal(settings.DONATIONS_MIN_AMOUNT), Decimal(settings.DONATIONS_MAX_AMOUNT)
        if amount < minimum:
            self.add_error("custom_amount", ValidationError(_("The smallest donation is %(amount)s.") % {"amount": minimum}, code="min"))
        elif amount > maximum:
            self.add_error(
                "custom_amount",
                ValidationError(_("For a donation above %(amount)s, please contact us.") % {"amount": maximum}, code="max"),
            )
        cleaned["amount_value"] = amount
        provider = providers.get(cleaned.get("provider") or "")
        if cleaned.get("frequency") == Donation.Frequency.MONTHLY and provider is not None and not provider.offers_monthly:
            self.add_error("frequency", ValidationError(_("This way to pay takes one-off donations only."), code="monthly"))
        if cleaned.get("anonymous") is False and not cleaned.get("name"):
            cleaned["anonymous"] = True  # no name given: nothing to show
        return cleaned
