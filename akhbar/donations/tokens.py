"""The signed link in a donor's receipt with which they manage (stop) a monthly donation.

Signed with the site's secret and a salt of its own; it expires (DONATIONS_MANAGE_DAYS), and a
donor whose link has expired asks for a fresh one by email on the same page.
"""

from django.conf import settings
from django.core import signing

SALT = "akhbar.donations.manage"
MAX_TOKEN = 300


def make(donation) -> str:
    return signing.dumps({"d": donation.pk, "r": donation.reference}, salt=SALT)


class Expired(Exception):
    pass


def read(token: str) -> tuple[int, str] | None:
    """(donation id, reference) for a valid link; None for a forged one; Expired for an old one."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.DONATIONS_MANAGE_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise Expired from error
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), int) or not isinstance(data.get("r"), str):
        return None
    return data["d"], data["r"]
