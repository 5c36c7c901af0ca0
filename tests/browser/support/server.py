"""The site under test: Django's threaded live server on 127.0.0.1:8301–8309, plus database care.

The browser tests only read, so they share one site built once for the package instead of
rebuilding thirty articles per test. The database is snapshotted before and restored after,
the way Django's serialized rollback does, so the rest of the suite never sees this data.
"""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.test.testcases import LiveServerThread
from django.test.utils import setup_databases, teardown_databases

PORTS = range(8301, 8310)
HOST = "127.0.0.1"


def start_live_server() -> LiveServerThread:
    """Serve the project (static files through the finders, uploads from MEDIA_ROOT) on the first free port."""
    errors = []
    for port in PORTS:
        thread = LiveServerThread(HOST, StaticFilesHandler, port=port)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error is None:
            return thread
        errors.append(f"{port}: {thread.error}")
        thread.join()
    raise RuntimeError("no free port for the browser tests' live server:\n" + "\n".join(errors))


def ensure_wagtail_roots() -> None:
    """Recreate what Wagtail's migrations seed, in case an earlier transactional test flushed it."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@contextmanager
def test_database():
    """Make sure the test database exists.

    pytest-django creates it only when some collected test asks for database access; the browser
    tests reach it through the server thread instead, so when they run alone they create it here.
    """
    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        yield
        return
    old_config = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
    try:
        yield
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


@contextmanager
def restored_database():
    """Leave the database exactly as it was found, whatever the block writes."""
    snapshot = connection.creation.serialize_db_to_string()
    try:
        yield
    finally:
        # As TransactionTestCase does: sequences keep counting and post_migrate is not re-run,
        # since the snapshot already holds content types and permissions.
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(snapshot)
