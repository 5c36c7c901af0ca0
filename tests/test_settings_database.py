"""DATABASE_URL naming a SQLite file gets the embedded default's options (WAL, busy timeout,
IMMEDIATE transactions), so a worker's threads wait for each other instead of failing."""

import subprocess
import sys

from tests.app_servers import app_env
from tests.conftest import REPO_DIR

SHOW = (
    "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
    "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0], "
    "connection.settings_dict['OPTIONS']['transaction_mode'])"
)


def test_a_sqlite_database_url_gets_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    env = app_env(tmp_path, 0, DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    done = subprocess.run([sys.executable, "-c", SHOW], cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["wal", "20000", "IMMEDIATE"]
