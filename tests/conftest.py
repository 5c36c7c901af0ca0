"""Shared fixtures and the rules for tests that need something a user's machine may lack.

On a user's machine a test that needs Chromium, PostgreSQL or ../shared skips with a notice
saying what is missing. In CI (CI=true) the same condition fails the run, so CI never passes
by skipping.
"""

import email
import email.policy
import os
import shutil
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_DIR.parent / "shared"
CORPUS_DIR = SHARED_DIR / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, notice: str) -> None:
    """Skip with `notice` on a user's machine; fail in CI, where everything must be present."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {notice}")
    pytest.skip(notice)


@pytest.fixture
def corpus_dir() -> Path:
    require(CORPUS_DIR.is_dir(), f"needs the shared corpus at {CORPUS_DIR} (absent on this machine)")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    require(
        CHROMIUM.exists() and shutil.which("chromium") is not None,
        "browser test needs Debian's Chromium: apt-get install -y chromium",
    )
    return CHROMIUM


@pytest.fixture
def restore_signals():
    """Workers install signal handlers; put pytest's back afterwards."""
    import signal

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def home(db):
    from tests.factories import make_home

    return make_home()


@pytest.fixture
def news_tree(home):
    """أخبار › أخبار حول العالم, plus رياضة, with a few articles each."""
    from tests.factories import make_article, make_section

    news = make_section(home, "أخبار", slug="news")
    world = make_section(news, "أخبار حول العالم", slug="world")
    sport = make_section(home, "رياضة", slug="sport")
    articles = [make_article(world, tags=["تونس"]) for _ in range(3)] + [make_article(sport) for _ in range(2)]
    return {"home": home, "news": news, "world": world, "sport": sport, "articles": articles}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: Wagtail caches site root paths, which differ per test database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_url() -> str:
    """A Redis database of the suite's own (REDIS_TEST_URL, else REDIS_URL), emptied before and after."""
    url = os.environ.get("REDIS_TEST_URL") or os.environ.get("REDIS_URL", "")
    require(bool(url), "needs Redis: set REDIS_TEST_URL=redis://127.0.0.1:6379/<a database of your own>")
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.RedisError as error:
        require(False, f"Redis at REDIS_TEST_URL does not answer ({type(error).__name__})")
    yield url
    client.flushdb()
    client.close()


class Inbox:
    """What a real SMTP server (aiosmtpd, in the test process) received: (recipients, message) pairs."""

    def __init__(self):
        self.messages = []
        self.raw = []  # the bytes as they came over SMTP, in the same order

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        self.raw.append(envelope.content)
        return "250 Message accepted for delivery"

    def only(self):
        assert len(self.messages) == 1, [m["Subject"] for _, m in self.messages]
        return self.messages[0]


@pytest.fixture
def inbox(settings):
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    from tests.app_servers import free_port

    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "akhbar@example.org"
    try:
        yield box
    finally:
        controller.stop()
