"""Test run: fast hashing, local static storage, isolated var/ directory.

The suite runs on SQLite by default, on PostgreSQL when DATABASE_URL is set and with its cache on
Redis when REDIS_URL is set.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

_TEST_VAR = Path(tempfile.mkdtemp(prefix="akhbar-test-"))
MEDIA_ROOT = _TEST_VAR / "media"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
if not REDIS_URL:  # noqa: F405
    CACHES = {  # noqa: F405
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "akhbar-tests"}
    }
# With REDIS_URL (CI's PostgreSQL + Redis run) the cache is that Redis database, which every
# test starts and ends empty (tests/conftest.py): it must be a database of the suite's own.
# Tasks run inline in unit tests; tests about the real queue switch to the database backend
# and run the worker themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
PAGE_CACHE_ENABLED = False  # tests about the page cache turn it on
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = _TEST_VAR / "akhbar.sqlite3"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_VAR / "test.sqlite3")}  # noqa: F405
STATIC_ROOT = _TEST_VAR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}  # noqa: F405
# Tests drive the search endpoints hard from one address; rate-limit tests set their own limits.
RATE_LIMITS = {}
