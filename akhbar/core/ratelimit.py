"""Fixed-window rate limits on the shared cache, so every app process counts together.

`cache.add` starts a window's counter (only the first process succeeds) and `cache.incr`
counts; on Redis both are atomic. On the file cache of the embedded default, `incr` is a
read and a write, so concurrent requests may be undercounted a little: fine for a
single-machine site, and exact on Redis. A cache that fails lets the request through (a
limit must never turn into an error page).
"""

import functools
import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .client_ip import client_ip

logger = logging.getLogger(__name__)


def parse_rate(text: str) -> tuple[int, int] | None:
    """`"30/60"` → (30 requests, 60 seconds); `"0"`, `"off"` or empty → no limit."""
    text = (text or "").strip().lower()
    if text in {"", "0", "off", "none"}:
        return None
    count, _, seconds = text.partition("/")
    limit, window = int(count), int(seconds or 60)
    if limit <= 0 or window <= 0:
        return None
    return limit, window


def hit(scope: str, ident: str, limit: int, window: int, now: float | None = None) -> int:
    """Count one request; 0 when it is within the limit, else the seconds until the window ends."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]  # no readers' addresses in cache keys
    key = f"akhbar:ratelimit:{scope}:{window}:{start}:{digest}"
    timeout = window + 5
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.add(key, 1, timeout)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil(start + window - now))


def too_many_requests(request, retry_after: int, as_json: bool) -> HttpResponse:
    """429 with Retry-After: JSON for scripts, a small page (no database needed) for readers."""
    message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {"seconds": retry_after}
    headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store"}
    if as_json:
        return JsonResponse({"error": message}, status=429, headers=headers, json_dumps_params={"ensure_ascii": False})
    page = render_to_string("pages/429.html", {"message": message})
    return HttpResponse(page, status=429, headers=headers)


def rate_limited(scope: str, as_json: bool = False):
    """Limit a view to settings.RATE_LIMITS[scope] requests per client address and window."""

    def decorate(view):
        @functools.wraps(view)
        def limited_view(request, *args, **kwargs):
            try:
                rate = parse_rate(settings.RATE_LIMITS.get(scope, ""))
                retry_after = hit(scope, client_ip(request), *rate) if rate else 0
            except Exception:
                logger.exception("Rate limit %s could not be checked; request let through", scope)
                retry_after = 0
            if retry_after:
                return too_many_requests(request, retry_after, as_json)
            return view(request, *args, **kwargs)

        return limited_view

    return decorate
