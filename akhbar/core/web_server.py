"""The command line of the web server `akhbar serve` runs: granian by default, gunicorn on request.

granian (HTTP in Rust, the application through WSGI) answers a cached page about five times
as fast as gunicorn on two cores (docs/benchmarks.md: 11,400 against 2,000–2,600 requests/s,
p99 11 ms against 60–1,000 ms), because gunicorn parses HTTP in Python for every request.
AKHBAR_WEB_SERVER=gunicorn keeps the former server (akhbar/core/gunicorn_config.py). Both
take HOST, PORT, WEB_CONCURRENCY (processes) and WEB_THREADS (threads each, for slow
requests; GUNICORN_THREADS is still read).
"""

import os
import sys

from akhbar.settings.env import env_bool, env_int, env_str

SERVERS = ("granian", "gunicorn")


def chosen() -> str:
    server = (env_str("AKHBAR_WEB_SERVER", "granian") or "granian").strip().lower()
    if server not in SERVERS:
        raise ValueError(f"AKHBAR_WEB_SERVER must be one of {', '.join(SERVERS)}, not {server!r}")
    return server


def command() -> list[str]:
    if chosen() == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "-c", "python:akhbar.core.gunicorn_config"]
    threads = env_int("WEB_THREADS", env_int("GUNICORN_THREADS", 4))
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--no-ws",
        "--host", env_str("HOST", "127.0.0.1"), "--port", str(env_int("PORT", 8000)),
        "--workers", str(env_int("WEB_CONCURRENCY", 2)), "--blocking-threads", str(threads),
        "--respawn-failed-workers", "--log-level", env_str("WEB_LOG_LEVEL", "warning"),
        "--access-log" if env_bool("ACCESS_LOG") else "--no-access-log",
        "akhbar.wsgi:application",
    ]  # fmt: skip


if __name__ == "__main__":  # `python -m akhbar.core.web_server`: become the chosen server, configured from this environment
    server_command = command()
    os.execv(server_command[0], server_command)
