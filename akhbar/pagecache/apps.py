from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "akhbar.pagecache"
    label = "pagecache"

    def ready(self) -> None:
        from . import signals

        signals.connect()
