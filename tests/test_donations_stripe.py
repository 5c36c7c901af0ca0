"""Stripe Checkout, with no network: the official `stripe` library talks over real HTTP to a
stand-in for Stripe's API in this process, and webhooks are payloads signed with the library's
own signing scheme. Valid, forged, replayed and out-of-order events; refunds; monthly renewals
and cancellation."""

import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.test import Client, TestCase

from akhbar.donations.models import CampaignPage, Donation, ProviderEvent
from tests.test_donations import campaign, give  # noqa: F401  (a fixture)

stripe = pytest.importorskip("stripe", reason="the stripe library is not installed (pip install 'akhbar[payments]')")
pytestmark = pytest.mark.django_db
SECRET = "whsec_test_akhbar"


class FakeStripe(BaseHTTPRequestHandler):
    """Answers the two calls Akhbar makes, as Stripe's API does, and remembers what it was asked."""

    calls: list = []
    fail = False

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        params = parse_qs(self.rfile.read(int(self.headers["Content-Length"] or 0)).decode())
        self.calls.append(("POST", self.path, params))
        if self.fail:
            return self.answer(500, {"error": {"type": "api_error", "message": "down"}})
        if self.path == "/v1/checkout/sessions":
            return self.answer(200, {"id": "cs_test_1", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_test_1"})
        self.answer(404, {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "no"}})

    def do_DELETE(self):
        self.calls.append(("DELETE", self.path, {}))
        if self.fail:
            return self.answer(500, {"error": {"type": "api_error", "message": "down"}})
        if self.path.startswith("/v1/subscriptions/sub_"):
            return self.answer(200, {"id": self.path.rsplit("/", 1)[1], "object": "subscription", "status": "canceled"})
        self.answer(404, {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "no"}})


@pytest.fixture
def fake_stripe(settings):
    FakeStripe.calls, FakeStripe.fail = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStripe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = "sk_test_akhbar"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.DONATIONS_PROVIDERS = ["offline", "stripe"]
    yield FakeStripe
    server.shutdown()
    server.server_close()


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def webhook(client, event: dict, secret: str = SECRET, signed_at: int | None = None):
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=signed_at)
    return client.post("/donations/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def event(kind: str, obj: dict, event_id: str | None = None) -> dict:
    return {"id": event_id or f"evt_{kind}_{obj.get('id', '')}", "object": "event", "type": kind, "created": int(time.time()), "data": {"object": obj}}


def completed(donation: Donation, **extra) -> dict:
    session = {
        "id": "cs_test_1", "object": "checkout.session", "payment_status": "paid", "client_reference_id": str(donation.pk),
        "metadata": {"donation": str(donation.pk)}, "amount_total": int(donation.amount * 100), "currency": donation.currency.lower(),
        "payment_intent": "pi_1", "subscription": None,
    }
    return event("checkout.session.completed", {**session, **extra})


def refunded(donation: Donation) -> dict:
    return event("charge.refunded", {"id": "ch_1", "object": "charge", "refunded": True, "payment_intent": "pi_1", "metadata": {}})


@pytest.fixture
def started(csrf_client, campaign, fake_stripe):  # noqa: F811
    """A donor chose card payment: Akhbar created a Checkout session and sent them to it."""
    response = give(csrf_client, campaign, provider="stripe", amount="50")
    assert response.status_code == 302 and response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    return Donation.objects.get()


def totals(campaign) -> tuple:  # noqa: F811
    campaign = CampaignPage.objects.get(pk=campaign.pk)
    return campaign.raised, campaign.donors


def test_the_checkout_session_asks_stripe_for_the_exact_amount_and_no_card_data_passes_here(started, fake_stripe):
    (method, path, params), = fake_stripe.calls
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert params["mode"] == ["payment"] and params["line_items[0][price_data][unit_amount]"] == ["5000"]
    assert params["line_items[0][price_data][currency]"] == ["usd"] and params["customer_email"] == ["salma@example.org"]
    assert params["metadata[donation]"] == [str(started.pk)] and params["payment_intent_data[metadata][donation]"] == [str(started.pk)]
    assert started.status == "pending" and started.provider_session == "cs_test_1"


def test_a_monthly_donation_starts_a_subscription(csrf_client, campaign, fake_stripe):  # noqa: F811
    give(csrf_client, campaign, provider="stripe", amount="10", frequency="monthly")
    params = fake_stripe.calls[0][2]
    assert params["mode"] == ["subscription"] and params["line_items[0][price_data][recurring][interval]"] == ["month"]


def test_when_stripe_cannot_be_reached_the_donor_is_told_and_nothing_is_kept(csrf_client, campaign, fake_stripe):  # noqa: F811
    fake_stripe.fail = True
    response = give(csrf_client, campaign, provider="stripe")
    assert response.status_code == 502 and "تعذّر الوصول إلى خدمة الدفع" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_signed_completion_marks_paid_counts_once_and_sends_the_receipt(started, client, campaign, inbox):  # noqa: F811
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert webhook(client, completed(started)).status_code == 200
    assert webhook(client, completed(started)).content == b"already handled"  # Stripe retries deliveries
    again = completed(started)
    again["id"] = "evt_other_delivery_of_the_same_payment"
    assert webhook(client, again).status_code == 200
    donation = Donation.objects.get()
    assert (donation.status, donation.provider_payment) == ("paid", "pi_1")
    assert totals(campaign) == (Decimal("50"), 1)
    (to, receipt), = inbox.messages
    assert to == ["salma@example.org"] and donation.reference in receipt.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda client, body: webhook(client, body, secret="whsec_someone_else"),
        lambda client, body: webhook(client, body, signed_at=int(time.time()) - 3600),  # an old capture replayed
        lambda client, body: client.post("/donations/webhooks/stripe/", json.dumps(body), content_type="application/json"),
        lambda client, body: client.post("/donations/webhooks/stripe/", "{not json", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"),
    ],
    ids=["forged signature", "stale signature", "unsigned", "garbage"],
)
def test_unsigned_forged_or_stale_events_change_nothing(started, client, campaign, tamper):  # noqa: F811
    assert tamper(client, completed(started)).status_code == 400
    assert Donation.objects.get().status == "pending" and totals(campaign) == (0, 0)
    assert not ProviderEvent.objects.exists()


def test_a_paid_amount_that_differs_from_the_donation_is_not_counted(started, client, campaign):  # noqa: F811
    assert webhook(client, completed(started, amount_total=100)).status_code == 200
    assert Donation.objects.get().status == "pending" and totals(campaign) == (0, 0)


def test_a_refund_takes_the_donation_out_of_the_total(started, client, campaign):  # noqa: F811
    webhook(client, completed(started))
    webhook(client, refunded(started))
    webhook(client, refunded(started))
    assert Donation.objects.get().status == "refunded" and totals(campaign) == (0, 0)


def test_a_refund_that_arrives_before_the_payment_is_never_counted(started, client, campaign):  # noqa: F811
    webhook(client, refunded(started))  # Stripe does not promise the order of events
    webhook(client, completed(started))
    assert Donation.objects.get().status == "refunded" and totals(campaign) == (0, 0)


def test_an_expired_session_fails_a_waiting_donation_but_never_a_paid_one(started, client, campaign):  # noqa: F811
    expired = event("checkout.session.expired", {"id": "cs_test_1", "client_reference_id": str(started.pk), "metadata": {"donation": str(started.pk)}})
    webhook(client, completed(started))
    webhook(client, expired)
    assert Donation.objects.get().status == "paid" and totals(campaign) == (Decimal("50"), 1)


def monthly_paid(csrf_client, client, campaign) -> Donation:  # noqa: F811
    give(csrf_client, campaign, provider="stripe", amount="10", frequency="monthly")
    first = Donation.objects.get()
    webhook(client, completed(first, subscription="sub_1", payment_intent=None))
    return Donation.objects.get()


def test_each_later_month_counts_as_a_donation_of_its_own_once(csrf_client, client, campaign, fake_stripe):  # noqa: F811
    first = monthly_paid(csrf_client, client, campaign)
    invoice = {"id": "in_2", "object": "invoice", "billing_reason": "subscription_cycle", "subscription": "sub_1", "amount_paid": 1000, "payment_intent": "pi_2"}
    webhook(client, event("invoice.paid", invoice))
    webhook(client, event("invoice.paid", invoice, event_id="evt_redelivered"))
    first_invoice = {**invoice, "id": "in_1", "billing_reason": "subscription_create", "payment_intent": "pi_first"}
    webhook(client, event("invoice.paid", first_invoice))  # the first month is the session's own payment
    assert Donation.objects.filter(renewal_of=first, status="paid").count() == 1
    assert totals(campaign) == (Decimal("20"), 2)


def test_the_donor_stops_monthly_giving_from_the_link_and_stripe_is_told(csrf_client, client, campaign, fake_stripe):  # noqa: F811
    from akhbar.donations import tokens

    first = monthly_paid(csrf_client, client, campaign)
    path = f"/donations/manage/{tokens.make(first)}/"
    page = client.get(path).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    fake_stripe.fail = True
    answer = client.post(path, {"csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "لم يتوقف التبرع بعد" in answer and Donation.objects.get(pk=first.pk).cancelled_at is None
    fake_stripe.fail = False
    client.post(path, {"csrfmiddlewaretoken": token})
    assert ("DELETE", "/v1/subscriptions/sub_1", {}) in fake_stripe.calls
    assert Donation.objects.get(pk=first.pk).cancelled_at is not None
    # Stripe then reports the subscription gone; later invoices for it are not counted.
    webhook(client, event("customer.subscription.deleted", {"id": "sub_1", "object": "subscription", "metadata": {}}))
    invoice = {"id": "in_9", "object": "invoice", "billing_reason": "subscription_cycle", "subscription": "sub_1", "amount_paid": 1000, "payment_intent": "pi_9"}
    webhook(client, event("invoice.paid", invoice))
    assert totals(campaign) == (Decimal("10"), 1)


def test_a_subscription_ended_at_stripe_stops_the_monthly_donation(csrf_client, client, campaign, fake_stripe):  # noqa: F811
    first = monthly_paid(csrf_client, client, campaign)
    webhook(client, event("customer.subscription.deleted", {"id": "sub_1", "object": "subscription", "metadata": {}}))
    assert Donation.objects.get(pk=first.pk).cancelled_at is not None


def test_without_its_secrets_stripe_is_not_offered(csrf_client, campaign, settings):  # noqa: F811
    settings.STRIPE_SECRET_KEY = ""
    html = csrf_client.get(campaign.url).content.decode()
    assert 'value="stripe"' not in html and 'value="offline"' in html
    assert give(csrf_client, campaign, provider="stripe").status_code == 400
    assert Client().post("/donations/webhooks/stripe/", "{}", content_type="application/json").status_code == 404
