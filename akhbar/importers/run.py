"""One import run: files → validated records → batches → counts. Used by the command and the benchmark."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from akhbar.core.models import RegionalSettings
from akhbar.pagecache.purge import purge_everything

from .jsonl import ImportFailure, JsonLine, JsonLinesReader, LineError, check_readable, count_lines
from .records import ArticleData, RecordError, article_from_line
from .sections import SectionResolver, import_site, parent_page
from .writer import ArticleWriter

DEFAULT_BATCH_SIZE = 250
MAX_BATCH_SIZE = 5000


@dataclass
class ImportStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rate(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0


def check_files(paths: list[Path]) -> int:
    """Refuse unreadable files before anything is written; returns their line count for a progress bar."""
    for path in paths:
        check_readable(path)
    return sum(count_lines(path) for path in paths)


class NullProgress:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str) -> None:
        pass


class JsonlImport:
    """Import JSON Lines files into article pages; `report` receives every skipped line as it happens."""

    def __init__(
        self,
        *,
        sections_map: dict | None = None,
        parent_section: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        report: Callable[[LineError], None] = lambda error: None,
    ):
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ImportFailure(_("The batch size must be between 1 and %(max)s") % {"max": MAX_BATCH_SIZE})
        site = import_site()
        self.zone = RegionalSettings.for_site(site).zone
        self.sections = SectionResolver(parent_page(site, parent_section), sections_map)
        self.batch_size = batch_size
        self.report = report
        self.writer = ArticleWriter()
        self.stats = ImportStats()
        self.progress = NullProgress()

    def run(self, paths: list[Path], progress=None) -> ImportStats:
        self.progress = progress or NullProgress()
        started = time.perf_counter()
        try:
            for path in paths:
                self._import_file(path)
        finally:
            self.stats.seconds = time.perf_counter() - started
            if self.stats.created or self.stats.updated:
                purge_everything()  # batched writes send no publish signals
        return self.stats

    def _import_file(self, path: Path) -> None:
        pending: dict[str, ArticleData] = {}
        seen_line = 0
        reader = JsonLinesReader(path)
        for entry in reader:
            self.progress.update(entry.line_no - seen_line)
            seen_line = entry.line_no
            item = self._article(entry)
            if item is None:
                continue
            # The same id twice: write the first before the second, so the second updates it.
            if item.external_id in pending:
                self._flush(pending)
            pending[item.external_id] = item
            if len(pending) >= self.batch_size:
                self._flush(pending)
        self._flush(pending)
        self.progress.update(reader.line_no - seen_line)

    def _article(self, entry: JsonLine | LineError) -> ArticleData | None:
        if isinstance(entry, LineError):
            self._skip(entry)
            return None
        try:
            item = article_from_line(entry, self.zone)
        except RecordError as error:
            self._skip(LineError(entry.path, entry.line_no, str(error)))
            return None
        item.section_id = self.sections(item.category).pk
        item.checksum = item.compute_checksum()
        return item

    def _skip(self, error: LineError) -> None:
        self.stats.skipped += 1
        self.report(error)

    def _flush(self, pending: dict[str, ArticleData]) -> None:
        if not pending:
            return
        outcome = self.writer.write(list(pending.values()))
        pending.clear()
        self.stats.created += outcome.created
        self.stats.updated += outcome.updated
        self.stats.unchanged += outcome.unchanged
        for item, message in outcome.errors:
            self._skip(LineError(item.path, item.line_no, message))
        self.progress.set_postfix_str(
            _("%(created)s new, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped")
            % {
                "created": self.stats.created,
                "updated": self.stats.updated,
                "unchanged": self.stats.unchanged,
                "skipped": self.stats.skipped,
            }
        )
