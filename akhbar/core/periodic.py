"""The periodic jobs Akhbar ships with. Later features add theirs with `@every`."""

from django.core.management import call_command

from akhbar.settings.env import env_int

from .scheduler import every

# Wagtail's scheduled publishing runs every minute by default; tests shorten it.
SCHEDULED_PUBLISHING_INTERVAL = env_int("AKHBAR_SCHEDULED_PUBLISHING_INTERVAL", 60)


@every(seconds=SCHEDULED_PUBLISHING_INTERVAL, name="publish_scheduled_pages")
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (Wagtail's own command)."""
    call_command("publish_scheduled", verbosity=0)
