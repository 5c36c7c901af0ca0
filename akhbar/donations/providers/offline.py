"""Bank transfer or pledge: needs no outside service, so a site works offline from the first
`make run`. The donor gets the transfer details and a reference; an editor marks the donation
received in the admin when the money arrives, and the donor gets the receipt then."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import ledger
from ..models import Donation
from .base import Provider, Start


class OfflineProvider(Provider):
    name = "offline"
    label = _("Bank transfer")
    description = _("You will receive the account details and a reference to write with the transfer.")

    def start(self, donation, request) -> Start:
        Donation.objects.filter(pk=donation.pk, status=Donation.Status.PENDING).update(status=Donation.Status.PLEDGED)
        transaction.on_commit(lambda: ledger.send_receipt_later(donation.pk), robust=True)
        return Start(page="donations/pledged_page.html")
