"""What a payment provider does for Akhbar, shaped for redirect-and-callback gateways.

1. `start(donation, request)`: the donor pressed «Donate»; the donation row exists (pending).
   A hosted gateway creates its payment and returns `Start(redirect_url=…)`: the donor pays on
   the gateway's page (no card number ever reaches Akhbar) and comes back to the thank-you
   page. An offline method returns `Start(page=…)` with what to show instead.
2. `webhook(request)`: the gateway's server calls back. Verify the call (a signature, a shared
   secret, or by asking the gateway), then move the donation on through `ledger`: `mark_paid`,
   `mark_failed`, `mark_refunded`, `record_renewal`, `mark_cancelled`. Record each event id with
   `already_handled` so that a repeated call changes nothing.
3. `stop_monthly(donation)`: the donor stopped a monthly donation from their signed link; tell
   the gateway to take no further payments (raise ProviderError when it cannot be reached).
"""

import dataclasses

from django.db import IntegrityError, transaction
from django.http import HttpResponse


class ProviderError(Exception):
    """The gateway refused or could not be reached; the donor is told to try again."""


@dataclasses.dataclass
class Start:
    redirect_url: str = ""
    page: str = ""


class Provider:
    name = ""
    label = ""
    description = ""
    offers_monthly = True

    def available(self) -> bool:
        return True

    def start(self, donation, request) -> Start:
        raise NotImplementedError

    def webhook(self, request) -> HttpResponse:
        return HttpResponse(status=404)

    def stop_monthly(self, donation) -> None:
        """Nothing to tell an offline method: the donor's bank order is theirs to stop."""


def already_handled(provider: str, event_id: str, kind: str, payment: str = "") -> bool:
    """True when this event was applied before; otherwise records it (in the caller's transaction)."""
    from ..models import ProviderEvent

    try:
        with transaction.atomic():
            ProviderEvent.objects.create(provider=provider, event_id=event_id[:255], kind=kind[:100], payment=payment[:255])
    except IntegrityError:
        return True
    return False
