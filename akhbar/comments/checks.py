"""System checks (`akhbar check`, and at every start): a spam checker that cannot be loaded
holds every comment for moderation, so say so before readers find out."""

from django.conf import settings
from django.core import checks


@checks.register()
def spam_checker_loads(app_configs=None, **kwargs):
    from .spam import configured_checker

    path = getattr(settings, "COMMENTS_SPAM_CHECKER", "")
    if not path:
        return []
    try:
        configured_checker()
    except Exception as error:
        return [
            checks.Warning(
                f"The comment spam checker {path!r} cannot be loaded ({error}); every comment is held for moderation.",
                hint="Fix AKHBAR_COMMENTS_SPAM_CHECKER (a dotted path to a SpamChecker), or AKHBAR_AKISMET_KEY for Akismet.",
                id="comments.W001",
            )
        ]
    return []
