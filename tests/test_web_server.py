"""The web server `akhbar serve` runs (akhbar/core/web_server.py): granian unless gunicorn is asked for."""

import pytest

from akhbar.core import web_server


def test_granian_by_default_configured_from_the_environment(monkeypatch):
    for name in ("AKHBAR_WEB_SERVER", "WEB_THREADS", "GUNICORN_THREADS", "ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    command = web_server.command()
    assert command[1:3] == ["-m", "granian"] and command[-1] == "akhbar.wsgi:application"
    options = dict(zip(command[3:-1], command[4:-1], strict=False))  # each word → the word after it
    assert options["--interface"] == "wsgi" and options["--host"] == "0.0.0.0" and options["--port"] == "8123"
    assert options["--workers"] == "3" and options["--blocking-threads"] == "4"
    assert "--no-access-log" in command
    monkeypatch.setenv("GUNICORN_THREADS", "6")  # the former setting still counts
    monkeypatch.setenv("ACCESS_LOG", "true")
    command = web_server.command()
    assert command[command.index("--blocking-threads") + 1] == "6" and "--access-log" in command


def test_gunicorn_on_request_and_a_clear_error_for_anything_else(monkeypatch):
    monkeypatch.setenv("AKHBAR_WEB_SERVER", "Gunicorn")
    assert web_server.command()[1:] == ["-m", "gunicorn", "-c", "python:akhbar.core.gunicorn_config"]
    monkeypatch.setenv("AKHBAR_WEB_SERVER", "uwsgi")
    with pytest.raises(ValueError, match="AKHBAR_WEB_SERVER must be one of granian, gunicorn"):
        web_server.command()
