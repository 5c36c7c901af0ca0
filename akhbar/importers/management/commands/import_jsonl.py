"""`akhbar import_jsonl FILE...`: articles from JSON Lines (the format of ../shared/corpus)."""

import logging
import sys
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils.translation import gettext as _
from tqdm import tqdm

from akhbar.core.planner import refresh_after_bulk_write
from akhbar.importers.jsonl import ImportFailure, LineError, shown
from akhbar.importers.run import DEFAULT_BATCH_SIZE, ImportStats, JsonlImport, check_files
from akhbar.importers.sections import load_sections_map
from akhbar.search.vocabulary import relearn as relearn_vocabulary

MAX_ERRORS_SHOWN = 200


@contextmanager
def quiet_logger(name: str):
    """Wagtail logs each page it creates at INFO; the sections made during an import would bury the summary."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(max(logging.WARNING, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Import articles from JSON Lines files (keys: id, title, body, category, date, tags, summary, author, "
        "source_url, publisher). Re-running updates changed articles and never duplicates them."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--sections-map",
            type=Path,
            metavar="MAP.json",
            help='JSON object: category → section name, e.g. {"sport": "رياضة"} or {"sport": {"name": "رياضة", "slug": "sport"}}',
        )
        parser.add_argument("--parent-section", metavar="SLUG", help="create sections under this section, not the home page")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="articles per transaction")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, files, sections_map, parent_section, batch_size, quiet, **options):
        files = [Path(path) for path in files]
        show_bar = not quiet and sys.stderr.isatty()
        self.errors_shown = 0
        try:
            total = check_files(files)
            names = load_sections_map(Path(sections_map)) if sections_map else None
            importer = JsonlImport(
                sections_map=names, parent_section=parent_section, batch_size=batch_size, report=self.report
            )
        except ImportFailure as error:
            raise CommandError(str(error)) from None
        bar = tqdm(total=total, unit=_(" lines"), file=sys.stderr, disable=not show_bar, dynamic_ncols=True)
        try:
            with bar, quiet_logger("wagtail"):
                stats = importer.run(files, progress=bar)
        except KeyboardInterrupt:
            self.summary(importer.stats)
            raise CommandError(_("Interrupted; the articles above were saved, the batch in progress was not"), returncode=130) from None
        except OperationalError as error:
            self.summary(importer.stats)
            raise CommandError(
                _("The database refused the import (%(error)s); the articles above were saved, run the command again")
                % {"error": shown(error, 120)}
            ) from None
        self.summary(stats)
        if stats.created or stats.updated:
            relearn_vocabulary()  # exact word counts for spelling correction (akhbar/search/vocabulary.py)
            refresh_after_bulk_write(stats.created + stats.updated)
        if stats.skipped:
            raise CommandError(
                _("%(count)s line(s) were skipped; fix them and run the command again (imported articles are not duplicated)")
                % {"count": stats.skipped}
            )

    def report(self, error: LineError) -> None:
        self.errors_shown += 1
        if self.errors_shown > MAX_ERRORS_SHOWN:
            return
        message = str(error)
        if self.errors_shown == MAX_ERRORS_SHOWN:
            message += "\n" + _("(further errors are counted but not shown)")
        with tqdm.external_write_mode(file=sys.stderr):
            self.stderr.write(message)

    def summary(self, stats: ImportStats) -> None:
        lines = [
            _("Import finished in %(seconds).1f s (%(rate).0f articles/s)")
            % {"seconds": stats.seconds, "rate": stats.rate},
            _("  created: %(count)s") % {"count": stats.created},
            _("  updated: %(count)s") % {"count": stats.updated},
            _("  unchanged: %(count)s") % {"count": stats.unchanged},
            _("  skipped with errors: %(count)s") % {"count": stats.skipped},
        ]
        self.stdout.write("\n".join(lines))
