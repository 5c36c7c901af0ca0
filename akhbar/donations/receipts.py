"""Emails to donors (RTL, in the site's language): the receipt once paid, the transfer details
for a pledge, and a fresh link to manage a monthly donation."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from akhbar.newsletter import mail

from . import tokens
from .models import Donation, DonationSettings


def site_root() -> str:
    return (settings.NEWSLETTER_SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def manage_url(donation: Donation) -> str:
    return site_root() + reverse("donations:manage", kwargs={"token": tokens.make(donation)})


def _send(donation: Donation, subject: str, template: str, context: dict) -> None:
    context = {
        **context,
        "donation": donation,
        "campaign": donation.campaign,
        "subject": subject,
        "days": settings.DONATIONS_MANAGE_DAYS,
        "manage_url": manage_url(donation) if donation.is_monthly else "",
    }
    text, html = mail.render(template, context, folder="donations/email")
    message = EmailMultiAlternatives(mail.subject_line(subject), text, settings.DONATIONS_FROM or settings.DEFAULT_FROM_EMAIL, [donation.email])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_receipt(donation_id: int) -> None:
    """The receipt for a paid donation, or the transfer details for a pledge."""
    donation = Donation.objects.select_related("campaign").filter(pk=donation_id).first()
    if donation is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if donation.status == Donation.Status.PAID:
            _send(donation, translation.gettext("Thank you: your donation has been received"), "receipt", {})
        elif donation.status == Donation.Status.PLEDGED:
            instructions = DonationSettings.for_site(donation.campaign.get_site()).transfer_instructions
            _send(donation, translation.gettext("Your pledge: how to complete the transfer"), "pledge", {"instructions": instructions})


@task()
def send_manage_link(donation_id: int) -> None:
    donation = Donation.objects.select_related("campaign").filter(pk=donation_id).first()
    if donation is None or not donation.active_monthly:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _send(donation, translation.gettext("Your link to manage your monthly donation"), "manage_link", {})
