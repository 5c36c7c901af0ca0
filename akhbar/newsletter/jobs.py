"""The newsletter's periodic work on Akhbar's scheduler (the task worker runs it)."""

import logging

from django.conf import settings

from akhbar.core.scheduler import every

from . import digest, returns, sending, subscriptions

logger = logging.getLogger(__name__)

PURGE_INTERVAL = 3600
SEND_INTERVAL = 30
DIGEST_INTERVAL = 600
RETURNS_INTERVAL = 60


@every(seconds=PURGE_INTERVAL, name="newsletter_purge_unconfirmed")
def purge_unconfirmed() -> int:
    """Forget addresses never confirmed within NEWSLETTER_CONFIRM_DAYS (nobody asked us to mail them)."""
    deleted = subscriptions.purge_unconfirmed()
    if deleted:
        logger.info("newsletter: %d unconfirmed addresses purged after %d days", deleted, settings.NEWSLETTER_CONFIRM_DAYS)
    return deleted


@every(seconds=SEND_INTERVAL, name="newsletter_send_due")
def send_due() -> list[int]:
    """Start scheduled issues when their time comes, and resume sends whose worker stopped."""
    return sending.queue_due()


@every(seconds=DIGEST_INTERVAL, name="newsletter_digests")
def digests() -> list:
    """Assemble today's digest and, on its day, the weekly roundup, once their hour has come;
    the send job picks them up."""
    return [issue for issue in (digest.assemble_daily_digest(), digest.assemble_weekly_roundup()) if issue]


@every(seconds=RETURNS_INTERVAL, name="newsletter_returns")
def read_returns() -> dict | None:
    """Act on mail returned to the newsletter (unsubscribe requests, bounces, complaints) that the
    mail server left in NEWSLETTER_RETURNS_MAILDIR; nothing to do when none is set."""
    if not settings.NEWSLETTER_RETURNS_MAILDIR:
        return None
    try:
        return returns.process_maildir(settings.NEWSLETTER_RETURNS_MAILDIR)
    except FileNotFoundError:
        logger.warning("newsletter: no Maildir at NEWSLETTER_RETURNS_MAILDIR (%s)", settings.NEWSLETTER_RETURNS_MAILDIR)
        return None
