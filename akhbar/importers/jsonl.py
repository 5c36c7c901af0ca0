"""Reading JSON Lines files safely: one bad line is reported and skipped, never fatal.

Lines are read as bytes with a size cap (a 1 GB line must not exhaust memory), decoded as
strict UTF-8 and parsed one by one, so the line number of every problem is known.
"""

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from akhbar.arabic.text import clean_line

MAX_LINE_BYTES = 2 * 1024 * 1024
_READ_CHUNK = 1024 * 1024


class ImportFailure(Exception):
    """A problem that stops the whole import (missing file, bad options); the message is for the user."""


@dataclass(frozen=True)
class LineError:
    path: Path
    line_no: int
    message: str

    def __str__(self) -> str:
        return _("%(file)s, line %(line)s: %(message)s") % {
            "file": self.path.name,
            "line": self.line_no,
            "message": self.message,
        }


@dataclass(frozen=True)
class JsonLine:
    path: Path
    line_no: int
    data: dict


def shown(value, limit: int = 60) -> str:
    """Input echoed in a message: one clean line (no terminal escapes, no bidi tricks), shortened."""
    text = clean_line(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_readable(path: Path) -> None:
    """Refuse what cannot be imported before anything is written, with a message a user can act on."""
    if not path.exists():
        raise ImportFailure(_("File not found: %(path)s") % {"path": path})
    if path.is_dir():
        raise ImportFailure(_("%(path)s is a directory, not a JSON Lines file") % {"path": path})
    if not path.is_file():
        raise ImportFailure(_("%(path)s is not a regular file") % {"path": path})
    if not os.access(path, os.R_OK):
        raise ImportFailure(_("Cannot read %(path)s: permission denied") % {"path": path})
    size = path.stat().st_size
    if size == 0 or (size <= _READ_CHUNK and not path.read_bytes().strip()):
        raise ImportFailure(_("The file is empty: %(path)s") % {"path": path})


def count_lines(path: Path) -> int:
    """Number of lines, for the progress bar (about 0.1 s per 100 MB)."""
    count = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)


class JsonLinesReader:
    """Iterate over a file's non-blank lines as parsed JSON objects or the reason each cannot be one.

    `line_no` is the number of lines read so far (blank ones included), for progress reporting.
    """

    def __init__(self, path: Path, max_line_bytes: int = MAX_LINE_BYTES):
        self.path = path
        self.max_line_bytes = max_line_bytes
        self.line_no = 0

    def __iter__(self) -> Iterator[JsonLine | LineError]:
        with self.path.open("rb") as handle:
            while raw := handle.readline(self.max_line_bytes + 2):
                self.line_no += 1
                if len(raw.rstrip(b"\r\n")) > self.max_line_bytes:
                    while raw and not raw.endswith(b"\n"):
                        raw = handle.readline(_READ_CHUNK)
                    limit = round(self.max_line_bytes / (1024 * 1024), 1)
                    yield self.error(_("the line is longer than %(limit)s MB") % {"limit": limit})
                    continue
                entry = self.parse(raw)
                if entry is not None:
                    yield entry

    def error(self, message: str) -> LineError:
        return LineError(self.path, self.line_no, message)

    def parse(self, raw: bytes) -> JsonLine | LineError | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return self.error(
                _("the line is not valid UTF-8 text (byte %(position)s); save the file as UTF-8")
                % {"position": error.start + 1}
            )
        if self.line_no == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            return self.error(_("the line is not valid JSON (column %(column)s)") % {"column": error.colno})
        except (ValueError, RecursionError):
            return self.error(_("the line is not valid JSON"))
        if not isinstance(data, dict):
            return self.error(_("the line is not a JSON object ({…})"))
        return JsonLine(self.path, self.line_no, data)
