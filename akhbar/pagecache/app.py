"""The WSGI layer of the page cache: answers hits before Django's middleware stack runs.

`akhbar/wsgi.py` wraps Django's application with `PageCacheApp` when the cache is on. A hit
costs one cache read (entry, path token, generation) and no request object, middleware,
URL resolution or database; a miss runs the whole stack (security headers, CSP, …) and stores
exactly what it produced, with caching headers added. A response over `rules.MAX_BODY_BYTES`
(a full article sitemap) is not kept: once the cap is passed, it is streamed on as the
application produces it (`X-Akhbar-Cache: pass`), with the same `Cache-Control` for CDNs.
"""

import hashlib
import logging
import time
from collections import deque

from django.conf import settings
from django.utils.http import http_date, parse_http_date_safe

from . import rules
from .store import PageStore, Tokens, entry_key, normalize_path

logger = logging.getLogger(__name__)

STATE_KEY = "akhbar.page_cache"
OUTCOME_HEADER = "X-Akhbar-Cache"
# Fields of a stored entry (a plain tuple: cheap to unpickle, no class path inside).
TOKEN, GENERATION, STATUS, HEADERS, HEADERS_304, BODY, ETAG, LAST_MODIFIED = range(8)
# Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5).
NOT_MODIFIED_HEADERS = {"cache-control", "etag", "last-modified", "vary", "expires", "content-location"}


class Mark:
    """Put in the WSGI environ (Django's `request.META`) so views can say «this page may be cached»."""

    __slots__ = ("cacheable",)

    def __init__(self):
        self.cacheable = False


def mark_cacheable(request) -> None:
    mark = request.META.get(STATE_KEY)
    if mark is not None:
        mark.cacheable = True


def cache_control_value() -> str:
    return (
        f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, s-maxage={settings.PAGE_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}"
    )


def request_host(environ, use_x_forwarded_host: bool) -> str:
    """The host Django will see (`request.get_host()` without the ALLOWED_HOSTS check: an
    unknown host gets a 400 from Django, which is never stored, so it can only miss)."""
    if use_x_forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in environ:
        return environ["HTTP_HOST"]
    return f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"


def request_scheme(environ, header: tuple[str, str] | None) -> str:
    if header:
        name, secure_value = header
        value = environ.get(name)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def not_modified(environ, entry) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        etag = entry[ETAG]
        return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and since >= entry[LAST_MODIFIED]
    return False


def storable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200"):
        return False
    for name, value in headers:
        lower = name.lower()
        if lower == "set-cookie":
            return False
        if lower == "cache-control" and any(word in value.lower() for word in rules.UNSTORABLE_CACHE_CONTROL):
            return False
        if lower == "vary" and not {part.strip().lower() for part in value.split(",")} <= rules.STORABLE_VARY:
            return False
    return True


def build_entry(tokens: Tokens, status: str, headers: list[tuple[str, str]], body: bytes) -> tuple:
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    last_modified = int(time.time())
    kept = [(name, value) for name, value in headers if name.lower() not in ("content-length", "etag", "last-modified")]
    if not any(name.lower() == "cache-control" for name, _ in kept):
        kept.append(("Cache-Control", cache_control_value()))
    kept += [("ETag", etag), ("Last-Modified", http_date(last_modified))]
    headers_304 = [(name, value) for name, value in kept if name.lower() in NOT_MODIFIED_HEADERS]
    kept.append(("Content-Length", str(len(body))))
    return (tokens.path, tokens.generation, status, kept, headers_304, body, etag, last_modified)


class PageCacheApp:
    """WSGI middleware: serve anonymous GET/HEAD of cacheable pages from the shared store."""

    def __init__(self, app, store: PageStore | None = None):
        self.app = app
        self.store = store or PageStore()
        self.timeout = settings.PAGE_CACHE_TIMEOUT
        self.language = settings.LANGUAGE_CODE
        self.bypass_cookies = tuple({settings.SESSION_COOKIE_NAME, *rules.BYPASS_COOKIES})
        self.use_x_forwarded_host = settings.USE_X_FORWARDED_HOST
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method != "GET" and method != "HEAD":
            return self.app(environ, start_response)
        raw_path = environ.get("PATH_INFO") or "/"
        if raw_path.startswith(rules.NEVER_CACHED_PREFIXES):
            return self.app(environ, start_response)
        cookie = environ.get("HTTP_COOKIE", "")
        if "HTTP_AUTHORIZATION" in environ or (cookie and any(name in cookie for name in self.bypass_cookies)):
            return self.personal(environ, start_response)
        query = environ.get("QUERY_STRING", "")
        if len(query) > rules.MAX_QUERY_STRING:
            return self.app(environ, start_response)

        path = normalize_path(raw_path.encode("latin-1").decode("utf-8", "replace"))
        scheme = request_scheme(environ, self.proxy_ssl_header)
        key = entry_key(scheme, request_host(environ, self.use_x_forwarded_host), path, query, self.language)
        try:
            entry, tokens = self.store.lookup(key, path)
        except Exception:  # the site keeps answering when the cache store is down
            logger.exception("page cache lookup failed")
            return self.app(environ, start_response)
        if entry is not None:
            return self.answer(environ, start_response, entry, "hit")
        if method == "HEAD":  # stored from GETs only
            return self.app(environ, start_response)
        return self.render(environ, start_response, key, path, tokens)

    def answer(self, environ, start_response, entry, outcome: str):
        if not_modified(environ, entry):
            start_response("304 Not Modified", [*entry[HEADERS_304], (OUTCOME_HEADER, outcome)])
            return []
        start_response(entry[STATUS], [*entry[HEADERS], (OUTCOME_HEADER, outcome)])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry[BODY]]

    def render(self, environ, start_response, key, path, tokens):
        try:
            tokens = self.store.ensure_tokens(path, tokens)
        except Exception:
            logger.exception("page cache tokens failed")
            return self.app(environ, start_response)
        mark = environ[STATE_KEY] = Mark()
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers, exc_info]
            return _no_write

        result = self.app(environ, capture)
        status, headers, exc_info = captured
        if not (mark.cacheable and storable(status, headers)):
            start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
            return result
        chunks, size, iterator = [], 0, iter(result)
        try:
            for chunk in iterator:
                chunks.append(chunk)
                size += len(chunk)
                if size > rules.MAX_BODY_BYTES:
                    # Too big to keep (a full article sitemap): passed on as it is produced,
                    # so memory holds the cap and a chunk, never the whole body.
                    if not any(name.lower() == "cache-control" for name, _ in headers):
                        headers = [*headers, ("Cache-Control", cache_control_value())]
                    start_response(status, [*headers, (OUTCOME_HEADER, "pass")])
                    return PassThrough(chunks, iterator, result)
        except BaseException:
            _close(result)
            raise
        _close(result)
        body = b"".join(chunks)
        entry = build_entry(tokens, status, headers, body)
        try:
            self.store.save(key, entry, self.timeout)
        except Exception:
            logger.exception("page cache store failed")
        return self.answer(environ, start_response, entry, "miss")

    def personal(self, environ, start_response):
        """A person with a session: Django's own answer, which no shared cache may keep."""
        mark = environ[STATE_KEY] = Mark()

        def private(status, headers, exc_info=None):
            if mark.cacheable and not any(name.lower() == "cache-control" for name, _ in headers):
                headers = [*headers, ("Cache-Control", "private, no-cache")]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, private)


class PassThrough:
    """The chunks read so far, then the rest of the application's iterable; closes it (WSGI)."""

    def __init__(self, chunks: list[bytes], rest, result):
        self.chunks, self.rest, self.result = deque(chunks), rest, result

    def __iter__(self):
        while self.chunks:
            yield self.chunks.popleft()
        yield from self.rest

    def close(self) -> None:
        self.chunks.clear()
        _close(self.result)


def _close(result) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _no_write(data):
    raise RuntimeError("the page cache does not support the WSGI write() callable")


def wrap(app):
    """`app` behind the page cache when it is on (AKHBAR_PAGE_CACHE), else `app` untouched."""
    return PageCacheApp(app) if settings.PAGE_CACHE_ENABLED else app
