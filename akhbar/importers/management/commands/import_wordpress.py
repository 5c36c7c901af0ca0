"""`akhbar import_wordpress EXPORT.xml [--uploads DIR] [--dry-run]`: a WordPress site from its export."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils.translation import gettext as _
from tqdm import tqdm

from akhbar.core.planner import refresh_after_bulk_write
from akhbar.importers.jsonl import shown
from akhbar.importers.wordpress.importer import KINDS, Problem, Summary, WordPressImport
from akhbar.importers.wordpress.wxr import WxrError
from akhbar.pagecache.purge import purge_everything
from akhbar.search.vocabulary import relearn as relearn_vocabulary

from .import_jsonl import MAX_ERRORS_SHOWN, quiet_logger


class Command(BaseCommand):
    help = (
        "Import a WordPress site from its export file (Tools › Export › All content): sections, tags, authors, "
        "posts, pages, comments, images and redirects from the old addresses. Re-running updates, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, metavar="EXPORT.xml")
        parser.add_argument("--uploads", type=Path, metavar="DIR", help="the site's wp-content/uploads directory, for images")
        parser.add_argument("--dry-run", action="store_true", help="read and check everything, then save nothing")
        parser.add_argument(
            "--create-editors", action="store_true", help="an editor account (without a password) for each WordPress author"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, export, uploads, dry_run, create_editors, quiet, **options):
        self.errors_shown = 0
        path = Path(export)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        if uploads is not None and not Path(uploads).is_dir():
            raise CommandError(_("The uploads directory %(path)s does not exist") % {"path": uploads})
        importer = WordPressImport(
            path, uploads=Path(uploads) if uploads else None, create_editors=create_editors, dry_run=dry_run, report=self.report
        )
        try:
            scan = importer.scan()
        except WxrError as error:
            raise CommandError(_("%(file)s: %(error)s Nothing was imported.") % {"file": path.name, "error": error}) from None
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": shown(error, 120)}) from None
        show_bar = not quiet and sys.stderr.isatty()
        bar = tqdm(total=scan.items, unit=_(" items"), file=sys.stderr, disable=not show_bar, dynamic_ncols=True)
        try:
            with bar, quiet_logger("wagtail"):
                summary = importer.run(progress=bar)
        except KeyboardInterrupt:
            self.summary(importer.summary, dry_run)
            raise CommandError(_("Interrupted; the items above were saved, the one in progress was not"), returncode=130) from None
        except OperationalError as error:
            self.summary(importer.summary, dry_run)
            raise CommandError(
                _("The database refused the import (%(error)s); the items above were saved, run the command again")
                % {"error": shown(error, 120)}
            ) from None
        except WxrError as error:  # the file changed between the two passes
            self.summary(importer.summary, dry_run)
            raise CommandError(_("%(file)s: %(error)s") % {"file": path.name, "error": error}) from None
        self.summary(summary, dry_run)
        if summary.changed and not dry_run:
            purge_everything()
            relearn_vocabulary()
            refresh_after_bulk_write(summary.changed)
        if summary.failed:
            raise CommandError(
                _("%(count)s item(s) could not be imported (reasons above); fix them and run the command again")
                % {"count": summary.failed}
            )

    def report(self, problem: Problem) -> None:
        self.errors_shown += 1
        if self.errors_shown > MAX_ERRORS_SHOWN:
            return
        message = str(problem)
        if self.errors_shown == MAX_ERRORS_SHOWN:
            message += "\n" + _("(further problems are counted but not shown)")
        with tqdm.external_write_mode(file=sys.stderr):
            self.stderr.write(message)

    def summary(self, summary: Summary, dry_run: bool) -> None:
        title = _("Dry run: nothing was saved. It would have done this:") if dry_run else _("Import finished in %(seconds).1f s") % {
            "seconds": summary.seconds
        }
        lines = [title]
        for kind, tally in summary.counts.items():
            lines.append(
                _("  %(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped, %(failed)s failed")
                % {
                    "kind": KINDS.get(kind, kind),
                    "created": tally.created,
                    "updated": tally.updated,
                    "unchanged": tally.unchanged,
                    "skipped": tally.skipped,
                    "failed": tally.failed,
                }
            )
        if summary.skip_reasons:
            lines.append(_("Skipped:"))
            for (kind, reason), count in summary.skip_reasons.most_common():
                lines.append(_("  %(kind)s: %(count)s, %(reason)s") % {"kind": KINDS.get(kind, kind), "count": count, "reason": reason})
        self.stdout.write("\n".join(lines))
