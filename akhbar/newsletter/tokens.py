"""Signed links in newsletter email: confirming an address, and managing a subscription.

The link is the authority: it carries the address, signed with the site's secret key (and a
salt per purpose, so a link made for one purpose opens nothing else). Confirmation links expire;
management links (preferences, unsubscribe, export, delete) must keep working from any old
newsletter, so they do not.
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "akhbar.newsletter.confirm"
MANAGE_SALT = "akhbar.newsletter.manage"
MAX_TOKEN = 500


def confirm_max_age() -> int:
    return settings.NEWSLETTER_CONFIRM_DAYS * 86400


def make(salt: str, email: str, **extra) -> str:
    return signing.dumps({"e": email, **extra}, salt=salt, compress=True)


def read(token: str, salt: str, max_age: int | None = None) -> dict | None:
    """The signed payload, or None for a missing, forged, garbled or expired token."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    return data


def confirm_token(email: str, lists: list[str]) -> str:
    return make(CONFIRM_SALT, email, l=list(lists))


def manage_token(email: str) -> str:
    return make(MANAGE_SALT, email)


def read_confirm(token: str) -> dict | None:
    return read(token, CONFIRM_SALT, max_age=confirm_max_age())


def read_manage(token: str) -> str | None:
    data = read(token, MANAGE_SALT)
    return data["e"] if data else None
