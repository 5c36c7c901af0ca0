"""What the caller's queryset keeps (and other answers that only change with the data),
remembered between searches until anything is committed to the database.

A search keeps only the matches that the caller's queryset keeps (live, public, under the
site's root, the API's `type=`, a section …). Checking that for every search costs more than
the search itself when a common word matches thousands of articles: SQLite materialises an
`IN (SELECT … WHERE …)` subquery in full (a scan of the page table, however few the matches),
PostgreSQL looks up every match in the page table. Which rows the queryset keeps does not
depend on the words searched for, so their primary keys are remembered per process and per
SQL text, and dropped as soon as the data may have changed:

- SQLite: a connection of our own, which never writes, sees `PRAGMA data_version` change on
  every commit by any other connection or process;
- PostgreSQL: the current snapshot (`pg_current_snapshot()`: oldest running transaction, next
  transaction id, those in progress) changes whenever a transaction that writes starts or ends,
  in any database of the server.

sqlite.py also keeps the index entries' object ids here (FTS row → primary key), so that a
word's hits need no join.

Nothing is remembered inside a transaction (its own uncommitted writes would not count) nor
for a SQLite database in memory (another connection would open another database).
"""

import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

from django.db import connections

MAX_ROWS = 200_000  # a queryset keeping more rows than this is not remembered (memory)
MAX_ANSWERS = 16  # per database; least recently used first out


class _Remembered:
    """The remembered answers of one database, valid for one version of its data."""

    def __init__(self):
        self.lock = threading.Lock()
        self.version = None
        self.answers: OrderedDict[tuple, object] = OrderedDict()

    def data_version(self, connection):
        raise NotImplementedError

    def get(self, key: tuple, version):
        with self.lock:
            if version != self.version:
                self.answers.clear()
                self.version = version
                return None
            answer = self.answers.get(key)
            if answer is not None:
                self.answers.move_to_end(key)
            return answer

    def put(self, key: tuple, version, answer) -> None:
        with self.lock:
            if version != self.version:
                return
            self.answers[key] = answer
            while len(self.answers) > MAX_ANSWERS:
                self.answers.popitem(last=False)

    def close(self) -> None:
        pass


class _SQLiteRemembered(_Remembered):
    def __init__(self, path: str):
        super().__init__()
        self.file = os.stat(path).st_ino  # a database file replaced under the same name is another database
        self.watcher = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=20)

    def data_version(self, connection) -> int:
        with self.lock:
            return self.watcher.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self.watcher.close()


class _PostgresRemembered(_Remembered):
    def data_version(self, connection) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_snapshot()::text")
            return cursor.fetchone()[0]


_DATABASES: dict[tuple, _Remembered] = {}
_DATABASES_LOCK = threading.Lock()


def _remembered(alias: str) -> _Remembered | None:
    connection = connections[alias]
    if connection.in_atomic_block:
        return None
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        key = ("postgresql", settings.get("HOST"), settings.get("PORT"), settings.get("NAME"))
        with _DATABASES_LOCK:
            return _DATABASES.setdefault(key, _PostgresRemembered())
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    path = str(Path(settings["NAME"]).resolve())
    try:
        file = os.stat(path).st_ino
    except OSError:
        return None
    with _DATABASES_LOCK:
        remembered = _DATABASES.get(("sqlite", path))
        if remembered is None or remembered.file != file:
            if remembered is not None:
                remembered.close()
            remembered = _DATABASES[("sqlite", path)] = _SQLiteRemembered(path)
    return remembered


def remember(alias: str, key: tuple, compute):
    """compute()'s answer, kept until the next commit to the database; None when nothing can be
    remembered here (in a transaction, in memory …) or when compute() returns None."""
    remembered = _remembered(alias)
    if remembered is None:
        return None
    version = remembered.data_version(connections[alias])  # before computing: a commit meanwhile drops the answer
    answer = remembered.get(key, version)
    if answer is None:
        answer = compute()
        if answer is not None:
            remembered.put(key, version, answer)
    return answer


def kept_pks(queryset) -> frozenset | None:
    """Every primary key `queryset` keeps, remembered until the next commit; None when not remembered here."""
    pks = queryset.order_by().values_list("pk", flat=True)
    try:
        sql, params = pks.query.get_compiler(queryset.db).as_sql()
        key = ("kept", sql, tuple(params))
        hash(key)
    except Exception:  # an empty queryset (EmptyResultSet) or unhashable parameters: not remembered
        return None

    def compute():
        rows = list(pks[: MAX_ROWS + 1])
        return frozenset(rows) if len(rows) <= MAX_ROWS else None

    return remember(queryset.db, key, compute)


def forget() -> None:
    """Drop every remembered answer and watching connection (tests, after a database is replaced)."""
    with _DATABASES_LOCK:
        for remembered in _DATABASES.values():
            remembered.close()
        _DATABASES.clear()
