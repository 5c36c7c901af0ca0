"""The shared page store: stored responses, and the version tokens that invalidate them.

Every process (web workers, the task worker, management commands) talks to the same Django
cache (files under var/ or Redis), so a purge made anywhere is seen everywhere at once.

An entry is keyed by scheme, host, path, query string and language. It remembers the token
its path had and the site-wide generation when it was rendered; a purge replaces the path's
token (or the generation), and every entry made before, whatever its host or query string
(`?before=` pages, «show more» fragments), stops matching. A hit reads the entry, the path's
token and the generation in one `get_many` (one round trip on Redis).
"""

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import caches

PREFIX = "akhbar:pc1:"
GENERATION_KEY = PREFIX + "generation"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def normalize_path(path: str) -> str:
    """One spelling for a path: percent-escapes decoded (`page.url` escapes Arabic, WSGI does not)."""
    return unquote(path or "/")


def entry_key(scheme: str, host: str, path: str, query: str, language: str) -> str:
    return PREFIX + "e:" + _digest(f"{language}\n{scheme}\n{host.lower()}\n{path}\n{query}")


def path_key(path: str) -> str:
    return PREFIX + "p:" + _digest(path)


def new_token() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True, slots=True)
class Tokens:
    """The path's version token and the site-wide generation, as read before rendering."""

    path: str | None
    generation: str | None


class PageStore:
    def __init__(self, cache=None):
        self._cache = cache
        self.alias = settings.PAGE_CACHE_ALIAS

    @property
    def cache(self):
        # Django hands each thread its own cache object; the web server's threads share this store.
        return self._cache if self._cache is not None else caches[self.alias]

    def lookup(self, key: str, path: str) -> tuple[tuple | None, Tokens]:
        """The stored entry if it is still current, and the tokens read with it."""
        pkey = path_key(path)
        found = self.cache.get_many([key, pkey, GENERATION_KEY])
        tokens = Tokens(found.get(pkey), found.get(GENERATION_KEY))
        entry = found.get(key)
        if (
            entry is not None
            and tokens.path is not None
            and tokens.generation is not None
            and entry[0] == tokens.path
            and entry[1] == tokens.generation
        ):
            return entry, tokens
        return None, tokens

    def ensure_tokens(self, path: str, tokens: Tokens) -> Tokens:
        """Tokens to store a render under, created before rendering when missing.

        A missing token never matches anything, so an evicted token only costs misses; it is
        created before the render starts, so a purge during the render replaces it and the
        stored entry is born stale rather than stale content being stored as fresh.
        """
        if tokens.path is not None and tokens.generation is not None:
            return tokens
        pkey = path_key(path)
        if tokens.path is None:
            self.cache.add(pkey, new_token(), None)
        if tokens.generation is None:
            self.cache.add(GENERATION_KEY, new_token(), None)
        found = self.cache.get_many([pkey, GENERATION_KEY])
        return Tokens(found.get(pkey), found.get(GENERATION_KEY))

    def save(self, key: str, entry: tuple, timeout: int) -> None:
        self.cache.set(key, entry, timeout)

    def purge_paths(self, paths) -> None:
        """Invalidate every stored variant (hosts, query strings) of these paths."""
        tokens = {path_key(normalize_path(path)): new_token() for path in paths}
        if tokens:
            self.cache.set_many(tokens, None)

    def purge_everything(self) -> None:
        self.cache.set(GENERATION_KEY, new_token(), None)
