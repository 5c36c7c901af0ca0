"""The newsletter's periodic work on Akhbar's scheduler (the task worker runs it)."""

import logging

from django.conf import settings

from akhbar.core.scheduler import every

from . import subscriptions

logger = logging.getLogger(__name__)

PURGE_INTERVAL = 3600


@every(seconds=PURGE_INTERVAL, name="newsletter_purge_unconfirmed")
def purge_unconfirmed() -> int:
    """Forget addresses never confirmed within NEWSLETTER_CONFIRM_DAYS (nobody asked us to mail them)."""
    deleted = subscriptions.purge_unconfirmed()
    if deleted:
        logger.info("newsletter: %d unconfirmed addresses purged after %d days", deleted, settings.NEWSLETTER_CONFIRM_DAYS)
    return deleted

