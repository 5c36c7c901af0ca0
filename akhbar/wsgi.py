"""WSGI entry point for the production web server (akhbar/core/web_server.py), behind the page cache when it is on."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.production")
django_application = get_wsgi_application()

from akhbar.pagecache.app import wrap  # noqa: E402  (needs the settings loaded above)

application = wrap(django_application)
