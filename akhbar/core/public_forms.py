"""What every public form on a cached page needs (comments, the newsletter box, …).

The page around the form is served from the full-page cache, so it holds no CSRF token and no
time stamp: the form's script fetches a signed «form opened» stamp and a token from uncached
endpoints; without JavaScript the first post gets an uncached page carrying both
(`token_page`). CSRF is checked by hand so that a refusal can keep the reader's text. Rate
limits never fail a request because the cache is down.
"""

import logging
import time

from django.conf import settings
from django.core import signing
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import render
from django.utils.html import format_html

from akhbar.core import ratelimit

logger = logging.getLogger(__name__)

STAMP_SALT = "akhbar.forms.stamp"
STAMP_MAX_AGE = 24 * 3600


def make_stamp(now: float | None = None) -> str:
    return signing.dumps(round(time.time() if now is None else now, 3), salt=STAMP_SALT)


def seconds_since_stamp(stamp: str, now: float | None = None) -> float | None:
    """Seconds since the form was opened, or None for a missing, forged or expired stamp."""
    if not stamp or len(stamp) > 200:
        return None
    try:
        started = signing.loads(stamp, salt=STAMP_SALT, max_age=STAMP_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(started, (int, float)):
        return None
    return (time.time() if now is None else now) - started


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def csrf_valid(request) -> bool:
    """Django's own CSRF check, run here so that a failure can keep the reader's text."""

    def view(request):  # a callback without csrf_exempt
        return None

    return CsrfViewMiddleware(lambda request: None).process_view(request, view, (), {}) is None


def over_limit(scope: str, ident: str) -> int:
    """Seconds to wait when `ident` is over the `scope`'s rate limit (settings.RATE_LIMITS), else 0."""
    try:
        rate = ratelimit.parse_rate(settings.RATE_LIMITS.get(scope, ""))
        return ratelimit.hit(scope, ident, *rate) if rate else 0
    except Exception:
        logger.exception("Rate limit %s could not be checked; request let through", scope)
        return 0


def token_page(request, template: str, context: dict, status: int = 200):
    """An uncached page with a CSRF token for its form (`csrf_field` in the context)."""
    context = {
        **context,
        "csrf_field": format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)),
    }
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response
