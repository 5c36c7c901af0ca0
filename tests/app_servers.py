"""Real Akhbar app servers (the web server `akhbar serve` runs, production settings) for tests across processes."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

# Ports of this suite's process tests that start plain app servers (not `akhbar serve`).
PORTS = range(8650, 8660)


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def free_port(taken: set[int] = frozenset()) -> int:
    for port in PORTS:
        if port not in taken and not port_open(port):
            return port
    pytest.fail(f"no free port in {PORTS.start}-{PORTS.stop - 1} for a test server")


def app_env(var_dir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AKHBAR_", "PYTEST_", "GUNICORN_", "RQ_"))
        and k not in {"DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "HOST", "PORT", "ALLOWED_HOSTS", "WEB_CONCURRENCY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="akhbar.settings.production",
        DJANGO_SECRET_KEY="test-only-secret",
        AKHBAR_VAR_DIR=str(var_dir),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def database_url_of_this_run() -> str:
    """The test run's own database, as a DATABASE_URL for another process (a transactional test's
    rows are visible to it)."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class AppServer:
    """One web server process serving Akhbar (python -m akhbar.core.web_server), its output in a file."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = int(env["PORT"])
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "akhbar.core.web_server"],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while not port_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the app server on port {self.port} did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """(status, headers, body) without following proxies from the environment; errors are answers too.
    Header names are looked up case-insensitively (servers send them in either case)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
