"""Stripe Checkout through the official `stripe` library: Stripe's hosted page takes the card,
and its signed webhooks tell Akhbar what happened.

Events handled (each once, whatever order they arrive in):
- checkout.session.completed: paid (a one-off, or a monthly donation's first month);
- checkout.session.expired / async_payment_failed: the donor left, or the payment failed;
- invoice.paid (billing_reason subscription_cycle): a later month, counted as a donation of its own;
- charge.refunded: refunded, taken out of the campaign's total;
- customer.subscription.deleted: monthly giving stopped (from Stripe's dashboard or the donor's link).
"""

import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import ledger, money
from ..models import Donation, ProviderEvent
from .base import Provider, ProviderError, Start, already_handled

logger = logging.getLogger(__name__)
MAX_PAYLOAD = 512 * 1024


def client():
    import stripe

    addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=addresses, max_network_retries=1)


class StripeProvider(Provider):
    name = "stripe"
    label = _("Card (Stripe)")
    description = _("You will pay on Stripe's secure page; your card details never reach us.")

    def available(self) -> bool:
        if not (settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET):
            return False
        try:
            import stripe  # noqa: F401
        except ImportError:
            return False
        return True

    def start(self, donation, request) -> Start:
        import stripe

        monthly = donation.frequency == Donation.Frequency.MONTHLY
        price = {
            "currency": donation.currency.lower(),
            "unit_amount": money.to_minor_units(donation.amount, donation.currency),
            "product_data": {"name": donation.campaign.title[:250]},
        }
        if monthly:
            price["recurring"] = {"interval": "month"}
        metadata = {"donation": str(donation.pk), "reference": donation.reference}
        params = {
            "mode": "subscription" if monthly else "payment",
            "line_items": [{"price_data": price, "quantity": 1}],
            "customer_email": donation.email,
            "client_reference_id": str(donation.pk),
            "metadata": metadata,
            "success_url": request.build_absolute_uri(reverse("donations:thanks", args=[donation.reference])),
            "cancel_url": request.build_absolute_uri(donation.campaign.url),
            "locale": "auto",
        }
        params["subscription_data" if monthly else "payment_intent_data"] = {"metadata": metadata}
        try:
            session = client().v1.checkout.sessions.create(params=params)
        except stripe.StripeError as error:
            logger.warning("Stripe refused a checkout session: %s", type(error).__name__)
            raise ProviderError from error
        Donation.objects.filter(pk=donation.pk).update(provider_session=session.id)
        return Start(redirect_url=session.url)

    def stop_monthly(self, donation) -> None:
        import stripe

        if not donation.provider_subscription:
            return
        try:
            client().v1.subscriptions.cancel(donation.provider_subscription)
        except stripe.InvalidRequestError as error:
            if getattr(error, "code", "") != "resource_missing":  # already gone at Stripe: stopped
                raise ProviderError from error
        except stripe.StripeError as error:
            raise ProviderError from error

    def webhook(self, request) -> HttpResponse:
        import stripe

        payload = request.body
        if len(payload) > MAX_PAYLOAD:
            return HttpResponse("too large", status=413)
        try:
            stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET)
        except (ValueError, stripe.SignatureVerificationError):
            logger.warning("Stripe webhook refused: bad signature or payload")
            return HttpResponse("invalid signature", status=400)
        data = json.loads(payload)  # the verified body, as plain dicts
        handler = HANDLERS.get(data.get("type", ""))
        obj = data.get("data", {}).get("object", {})
        payment = obj.get("payment_intent") if data.get("type") == "charge.refunded" else ""
        with transaction.atomic():
            if already_handled(self.name, data.get("id", ""), data.get("type", ""), payment or ""):
                return HttpResponse("already handled")
            if handler is not None:
                handler(obj)
        return HttpResponse("ok")


def donation_for(obj: dict) -> Donation | None:
    ref = (obj.get("metadata") or {}).get("donation") or obj.get("client_reference_id")
    if ref and str(ref).isdigit():
        return Donation.objects.filter(pk=int(ref), provider="stripe").first()
    return None


def session_completed(session: dict) -> None:
    donation = donation_for(session)
    if donation is None:
        return
    if session.get("payment_status") not in {"paid", "no_payment_required"}:
        return  # a delayed method: async_payment_succeeded follows
    paid = money.from_minor_units(int(session.get("amount_total") or 0), donation.currency)
    if paid != donation.amount or (session.get("currency") or "").upper() != donation.currency:
        logger.error("Stripe session for donation %s paid %s %s, not the amount asked", donation.pk, paid, session.get("currency"))
        return
    payment = session.get("payment_intent") or ""
    ledger.mark_paid(donation.pk, provider_payment=payment, provider_subscription=session.get("subscription") or "")
    if payment and ProviderEvent.objects.filter(provider="stripe", kind="charge.refunded", payment=payment).exists():
        ledger.mark_refunded(donation.pk)  # its refund came first


def session_failed(session: dict) -> None:
    donation = donation_for(session)
    if donation is not None:
        ledger.mark_failed(donation.pk)


def invoice_paid(invoice: dict) -> None:
    """Later months only: the first month's invoice is the checkout session's own payment."""
    if invoice.get("billing_reason") != "subscription_cycle":
        return
    subscription = invoice.get("subscription") or (invoice.get("parent") or {}).get("subscription_details", {}).get("subscription")
    first = Donation.objects.filter(provider="stripe", provider_subscription=subscription, renewal_of__isnull=True).first() if subscription else None
    if first is None or first.cancelled_at is not None:
        return
    amount = money.from_minor_units(int(invoice.get("amount_paid") or 0), first.currency)
    ledger.record_renewal(first, amount, payment_id=invoice.get("payment_intent") or invoice.get("id", ""))


def charge_refunded(charge: dict) -> None:
    if not charge.get("refunded"):
        return  # partly refunded: recorded in Stripe; the donation stays counted
    donation = Donation.objects.filter(provider="stripe", provider_payment=charge.get("payment_intent") or "-").first() or donation_for(charge)
    if donation is not None:
        ledger.mark_refunded(donation.pk)


def subscription_deleted(subscription: dict) -> None:
    first = Donation.objects.filter(provider="stripe", provider_subscription=subscription.get("id") or "-", renewal_of__isnull=True).first()
    if first is None:
        first = donation_for(subscription)
    if first is not None:
        ledger.mark_cancelled(first.pk)


HANDLERS = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": session_completed,
    "checkout.session.expired": session_failed,
    "checkout.session.async_payment_failed": session_failed,
    "invoice.paid": invoice_paid,
    "charge.refunded": charge_refunded,
    "customer.subscription.deleted": subscription_deleted,
}
