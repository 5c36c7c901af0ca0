"""Bounces and complaints reported by an email provider go to the suppression list.

django-anymail turns each provider's webhook into one normalised tracking event; Akhbar listens
to those events when anymail is installed (`pip install 'akhbar[providers]'`). A hard failure
(bounced, or rejected as invalid or bounced before) and a complaint (marked as spam) suppress
the address: it is unsubscribed and never mailed again. A provider-side unsubscribe only
unsubscribes. Deferrals, deliveries, opens and clicks are ignored: Akhbar stores none of them.
"""

import logging

from .models import Suppression

logger = logging.getLogger(__name__)


def reason_for(event_type: str, reject_reason: str | None) -> str | None:
    if event_type == "complained" or reject_reason == "spam":
        return Suppression.Reason.COMPLAINT
    if event_type == "bounced" or (event_type == "rejected" and reject_reason in {"bounced", "invalid"}):
        return Suppression.Reason.BOUNCE
    return None


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    from . import subscriptions

    email = (event.recipient or "").strip()
    if not email:
        return
    reason = reason_for(event.event_type, event.reject_reason)
    if reason is not None:
        subscriptions.suppress(email, reason, note=f"{esp_name}: {event.event_type}"[:300])
        logger.info("newsletter: an address was suppressed after a %s event from %s", event.event_type, esp_name)
    elif event.event_type == "unsubscribed":
        subscriptions.unsubscribe(email)


def connect() -> None:
    try:
        from anymail.signals import tracking
    except ImportError:  # no provider integration installed: bounces are suppressed from the admin
        return
    tracking.connect(on_tracking, dispatch_uid="akhbar.newsletter.bounces")
