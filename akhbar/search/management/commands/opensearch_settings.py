"""Print or write the OpenSearch/Elasticsearch index template with Akhbar's Arabic analysis.

    manage.py opensearch_settings            # print it
    manage.py opensearch_settings --write    # regenerate deploy/opensearch/akhbar-index-template.json

Generated from akhbar.arabic.analysis (stop words, letter foldings, protected names), so the
shipped JSON never drifts from what the SQLite and PostgreSQL backends use.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from akhbar.search.opensearch_analysis import index_template, to_json

TEMPLATE_PATH = Path(settings.BASE_DIR) / "deploy" / "opensearch" / "akhbar-index-template.json"


class Command(BaseCommand):
    help = "Print (or --write) the OpenSearch/Elasticsearch index template with Akhbar's Arabic analysis."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help=f"write it to {TEMPLATE_PATH}")

    def handle(self, *args, write=False, **options):
        text = to_json(index_template())
        if not write:
            self.stdout.write(text, ending="")
            return
        TEMPLATE_PATH.parent.mkdir(parents=True, exist_ok=True)
        TEMPLATE_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {TEMPLATE_PATH}")
