"""The periodic jobs Akhbar ships with. Later features add theirs with `@every`."""

from django.core.management import call_command

from .scheduler import every


@every(seconds=60, name="publish_scheduled_pages")
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (Wagtail's own command)."""
    call_command("publish_scheduled", verbosity=0)
