"""`update_index`: Wagtail's own command, then the vocabulary recounted from the rebuilt index."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from akhbar.search.vocabulary import relearn


class Command(WagtailUpdateIndex):
    def handle(self, **options):
        super().handle(**options)
        if not options.get("schema_only"):
            size = relearn()
            self.write(f"Search vocabulary: {size} words")
