"""Bounces and complaints from an email provider's webhook (django-anymail's normalised events)
put the address on the suppression list; the next issue skips it. Postmark's payloads stand for
any provider: anymail turns each into the same events."""

import base64
import json

import pytest
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory, TestCase, override_settings

from akhbar.core.scheduler import REGISTRY
from akhbar.newsletter.models import Issue, Subscriber, Suppression

pytestmark = pytest.mark.django_db
SECRET = "provider:s3cret"


def webhook(payload: dict, secret: str = SECRET):
    request = RequestFactory().post(
        "/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(secret.encode()).decode(),
    )
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET}):
        return PostmarkTrackingWebhookView.as_view()(request)


def confirmed(email):
    return Subscriber.objects.create(email=email, status=Subscriber.Status.CONFIRMED, daily=True)


@pytest.mark.parametrize(
    "payload, reason",
    [
        ({"RecordType": "Bounce", "Type": "HardBounce", "Email": "Gone@Example.org", "ID": 1}, "bounce"),
        ({"RecordType": "SpamComplaint", "Type": "SpamComplaint", "Email": "angry@example.org", "ID": 2}, "complaint"),
    ],
)
def test_a_bounce_or_complaint_suppresses_the_address(payload, reason):
    subscriber = confirmed(payload["Email"].lower())
    assert webhook(payload).status_code == 200
    suppression = Suppression.objects.get()
    assert suppression.email == subscriber.email and suppression.reason == reason and "Postmark" in suppression.note
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_deliveries_and_deferrals_change_nothing_and_a_forged_call_is_refused():
    confirmed("reader@example.org")
    assert webhook({"RecordType": "Delivery", "Recipient": "reader@example.org", "MessageID": "x"}).status_code == 200
    assert webhook({"RecordType": "Bounce", "Type": "Transient", "Email": "reader@example.org", "ID": 3}).status_code == 200
    with pytest.raises(SuspiciousOperation):  # Django answers 400
        webhook({"RecordType": "Bounce", "Type": "HardBounce", "Email": "reader@example.org", "ID": 4}, secret="x:y")
    assert not Suppression.objects.exists()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_the_next_issue_skips_a_bounced_address(inbox, news_tree, settings):
    settings.NEWSLETTER_RATE = 0
    confirmed("kept@example.org")
    confirmed("bounced@example.org")
    webhook({"RecordType": "Bounce", "Type": "HardBounce", "Email": "bounced@example.org", "ID": 5})
    Issue.objects.create(subject="نشرة", list="daily", status=Issue.Status.SCHEDULED)
    with TestCase.captureOnCommitCallbacks(execute=True):
        REGISTRY["newsletter_send_due"].func()
    assert [to for to, _ in inbox.messages] == [["kept@example.org"]]
