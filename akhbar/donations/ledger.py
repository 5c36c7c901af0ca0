"""Every change of a donation's state, with the campaign's totals changed in the same
transaction. States only move forward: a refund is final, so a late or repeated «paid» event
can never count a refunded donation again, whatever order a provider's events arrive in.
"""

import logging
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from akhbar.pagecache import purge

from .models import CampaignPage, Donation

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone


def new_reference() -> str:
    return "AKH-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _count(donation: Donation, sign: int) -> None:
    CampaignPage.objects.filter(pk=donation.campaign_id).update(raised=F("raised") + sign * donation.amount, donors=F("donors") + sign)
    purge.purge(purge.url_path_targets(CampaignPage.objects.values_list("url_path", flat=True).get(pk=donation.campaign_id)))


def mark_paid(donation_id: int, **provider_ids) -> Donation | None:
    """Paid (counted in the campaign's total once); None when it was already paid or refunded."""
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation_id)
        for name, value in provider_ids.items():
            if value and not getattr(donation, name):
                setattr(donation, name, value)
        if donation.status in {Donation.Status.PAID, Donation.Status.REFUNDED}:
            if provider_ids:
                donation.save(update_fields=list(provider_ids))
            return None
        donation.status, donation.paid_at = Donation.Status.PAID, timezone.now()
        donation.save()
        _count(donation, +1)
    transaction.on_commit(lambda: send_receipt_later(donation.pk), robust=True)
    return donation


def mark_refunded(donation_id: int) -> bool:
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation_id)
        if donation.status == Donation.Status.REFUNDED:
            return False
        was_counted = donation.status == Donation.Status.PAID
        donation.status, donation.refunded_at = Donation.Status.REFUNDED, timezone.now()
        donation.save(update_fields=["status", "refunded_at"])
        if was_counted:
            _count(donation, -1)
    return True


def mark_failed(donation_id: int) -> bool:
    """An abandoned or declined checkout; only a donation still waiting can fail."""
    return bool(Donation.objects.filter(pk=donation_id, status=Donation.Status.PENDING).update(status=Donation.Status.FAILED))


def mark_cancelled(donation_id: int) -> bool:
    """Monthly giving stopped: no further payments (those made stay counted)."""
    return bool(Donation.objects.filter(pk=donation_id, cancelled_at__isnull=True).update(cancelled_at=timezone.now()))


def record_renewal(first: Donation, amount, payment_id: str) -> Donation | None:
    """A later month's payment of a monthly donation: a donation of its own, counted once."""
    with transaction.atomic():
        if payment_id and Donation.objects.filter(provider_payment=payment_id).exists():
            return None
        renewal = Donation.objects.create(
            campaign_id=first.campaign_id, amount=amount, currency=first.currency, frequency=first.frequency,
            name=first.name, email=first.email, anonymous=first.anonymous, provider=first.provider,
            status=Donation.Status.PENDING, reference=new_reference(), renewal_of=first,
            provider_subscription=first.provider_subscription, provider_payment=payment_id,
        )
        return mark_paid(renewal.pk)


def send_receipt_later(donation_id: int) -> None:
    from .receipts import send_receipt

    send_receipt.enqueue(donation_id)
