"""A throw-away Akhbar site for `bench.search_eval`: `akhbar serve --no-seed` as `make run` starts it.

Each site gets its own temporary AKHBAR_VAR_DIR (never the project's var/) and its own
database: SQLite inside that directory, or a PostgreSQL database created for the run and
dropped afterwards. The server's environment is the caller's minus anything that could point
it elsewhere (DATABASE_URL, DJANGO_*, AKHBAR_*, ...), plus production settings.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import REPO_DIR

AKHBAR = Path(sys.executable).with_name("akhbar")
PORTS = range(8401, 8410)
START_TIMEOUT = 600  # a first start applies ~200 migrations; a busy 2-core machine is slow
STOP_TIMEOUT = 60
IMPORT_TIMEOUT = 3600
PROJECT_VAR_DIR = (REPO_DIR / "var").resolve()
INHERITED_PREFIXES = ("DJANGO_", "AKHBAR_", "PYTEST_", "GUNICORN_")
DROPPED = ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "HOST", "PORT", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL",
           "DEBUG", "MEDIA_ROOT", "ACCESS_LOG", "WEB_CONCURRENCY")

# Run inside the site (`akhbar shell`): which search backend it really uses, and the sizes of
# the tables the analysis learns from the articles, when the search package exposes them as
# `akhbar.search.learned_table_sizes() -> {name: rows}` (None until it does).
SITE_FACTS = """
import json
from wagtail.search.backends import get_search_backend
backend = get_search_backend()
try:
    from akhbar.search import learned_table_sizes
except ImportError:
    sizes = None
else:
    sizes = learned_table_sizes()
print(json.dumps({"backend": type(backend).__module__ + "." + type(backend).__qualname__, "learned": sizes}))
"""


class SiteError(RuntimeError):
    pass


def free_port() -> int | None:
    for port in PORTS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return None


def postgres_reachable(server_url: str) -> str | None:
    """None when the PostgreSQL server answers, else why not (one line)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(_maintenance_url(server_url), connect_timeout=5):
            return None
    except Exception as error:  # any failure means: skip PostgreSQL, say why
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _maintenance_url(server_url: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(server_url)._replace(path="/postgres"))


class PostgresDatabase:
    """A database created empty for one run and dropped (even when connections linger) afterwards."""

    def __init__(self, server_url: str, name: str):
        self.server_url, self.name = server_url, name
        parts = urllib.parse.urlsplit(server_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(_maintenance_url(self.server_url), autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql)

    def create(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.name}"')

    def create_if_missing(self) -> None:
        import psycopg

        with psycopg.connect(_maintenance_url(self.server_url), autocommit=True) as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone() is None:
                connection.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def site_env(var_dir: Path, port: int, analysis: str, database_url: str | None) -> dict[str, str]:
    if var_dir.resolve() == PROJECT_VAR_DIR or var_dir.resolve().is_relative_to(PROJECT_VAR_DIR):
        raise SiteError(f"refusing to use the project's own {PROJECT_VAR_DIR}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES) and k not in DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="akhbar.settings.production",
        AKHBAR_VAR_DIR=str(var_dir),
        AKHBAR_SEARCH_ANALYSIS=analysis,
        PORT=str(port),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
        # One client sends every request: the benchmarks measure the pages, not the rate limiter.
        AKHBAR_RATE_LIMIT_SEARCH="off",
        AKHBAR_RATE_LIMIT_SUGGEST="off",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Site:
    """One `akhbar serve --no-seed` with its worker, its output in a log file (never a pipe that could fill)."""

    def __init__(self, analysis: str, database: PostgresDatabase | None, port: int, keep: bool = False,
                 var_dir: Path | None = None):
        """`var_dir`: a site directory of the caller's, reused and kept (its database too)."""
        self.analysis, self.database, self.port = analysis, database, port
        self.reused = var_dir is not None
        self.keep = keep or self.reused
        if var_dir is not None:
            var_dir.mkdir(parents=True, exist_ok=True)
        self.var_dir = var_dir.resolve() if var_dir is not None else Path(tempfile.mkdtemp(prefix=f"akhbar-search-eval-{analysis}-"))
        self.env = site_env(self.var_dir, port, analysis, database.url if database else None)
        self.base = f"http://127.0.0.1:{port}"
        self.log = self.var_dir / "serve.log"
        self.process: subprocess.Popen | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    def __enter__(self):
        if self.database and self.reused:
            self.database.create_if_missing()
        elif self.database:
            self.database.create()
        return self

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            if self.database and not self.keep:
                self.database.drop()
            if self.keep:
                print(f"    kept: {self.var_dir}" + (f" and database {self.database.name}" if self.database else ""))
            else:
                shutil.rmtree(self.var_dir, ignore_errors=True)

    def start(self) -> float:
        """Start the server and wait until its API answers; returns the seconds it took."""
        started = time.monotonic()
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [str(AKHBAR), "serve", "--no-seed"], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                cwd=self.var_dir,
            )
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SiteError(f"akhbar serve exited with {self.process.returncode}:\n{self.tail()}")
            if self._answers():
                return time.monotonic() - started
            time.sleep(0.5)
        raise SiteError(f"akhbar serve did not answer within {START_TIMEOUT} s:\n{self.tail()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                f"{self.base}/api/v2/pages/?limit=1", timeout=10
            ) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def stop(self) -> int | None:
        """Ctrl-C, as a person stops `make run`; the supervisor stops gunicorn and the worker."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.terminate()  # a second signal: the supervisor kills its children at once
            try:
                return self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait()

    # --- work against the site's database ----------------------------------------------------
    def import_jsonl(self, path: Path) -> tuple[float, str]:
        """`akhbar import_jsonl FILE --quiet` on the same database; (seconds, its summary)."""
        started = time.monotonic()
        done = subprocess.run(
            [str(AKHBAR), "import_jsonl", str(path), "--quiet"], env=self.env, capture_output=True, text=True,
            timeout=IMPORT_TIMEOUT, cwd=self.var_dir,
        )
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SiteError(f"akhbar import_jsonl exited with {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return seconds, done.stdout.strip()

    def facts(self) -> dict:
        done = subprocess.run(
            [str(AKHBAR), "shell", "--verbosity", "0", "-c", SITE_FACTS], env=self.env, capture_output=True,
            text=True, timeout=300, cwd=self.var_dir,
        )
        if done.returncode != 0:
            return {"backend": f"unknown ({done.stderr.strip().splitlines()[-1:] or '?'})", "learned": None}
        return json.loads(done.stdout.strip().splitlines()[-1])

    def output(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.output().splitlines()[-lines:])
