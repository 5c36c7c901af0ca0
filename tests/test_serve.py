"""`akhbar serve` end to end: only the processes `make run` starts, a real database, real HTTP.

Two starts on one fresh var/ directory:
1. set-up from nothing (migrations, static files, home page or demo content, an admin with a
   generated password), the admin login works, a page scheduled two seconds ahead goes live
   with nothing but serve's own processes running, background tasks get done, and Ctrl-C
   leaves no process behind;
2. a restart prints the same password and skips static collection; when the web server dies,
   serve stops the worker too and exits non-zero.

SQLite by default; with DATABASE_URL pointing at PostgreSQL the same runs against a fresh
database of its own on that server.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

AKHBAR = Path(sys.executable).with_name("akhbar")
START_TIMEOUT = 300  # a first start migrates ~200 migrations and collects Wagtail's static files
PORTS = (8201, 8202)

SCHEDULE_ARTICLE = """
import datetime as dt, json, os, time, urllib.error, urllib.request
from django.utils import timezone
from wagtail.models import Site
from akhbar.news.models import ArticlePage, SectionPage

home = Site.objects.get(is_default_site=True).root_page.specific
section = SectionPage(title="مكتب المواعيد", slug="scheduled-desk")
home.add_child(instance=section)
section.save_revision().publish()
go_live_at = timezone.now() + dt.timedelta(seconds=2)
article = ArticlePage(title="خبر ينشر بعد ثانيتين", slug="in-two-seconds", lede="تجربة النشر المجدول.",
                      go_live_at=go_live_at, live=False)
section.add_child(instance=article)
article.save_revision().publish()
path = "/scheduled-desk/in-two-seconds/"
try:
    status = urllib.request.urlopen("http://127.0.0.1:" + os.environ["PORT"] + path, timeout=5).status
except urllib.error.HTTPError as error:
    status = error.code
print(json.dumps({"path": path, "status_before": status, "checked_before_go_live": timezone.now() < go_live_at,
                  "live": ArticlePage.objects.get(pk=article.pk).live}))
"""

IMPORTED_ARTICLE = """
import json
from akhbar.news.models import ArticlePage
article = ArticlePage.objects.get(external_id="serve-import-1")
print(json.dumps({"path": article.url, "live": article.live}))
"""

TASK_COUNTS = """
import json
from django_tasks_db.models import DBTaskResult
print(json.dumps({status: DBTaskResult.objects.filter(status=status).count() for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED")}))
"""


@pytest.fixture
def database_url():
    """None for SQLite under var/; with DATABASE_URL on PostgreSQL, a fresh database for this test."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"akhbar_serve_{os.getpid()}"
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(var_dir: Path, port: int, database_url: str | None) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AKHBAR_", "PYTEST_", "GUNICORN_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "HOST", "PORT", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL", "DEBUG"):
        keep.pop(name, None)
    keep.update(
        DJANGO_SETTINGS_MODULE="akhbar.settings.production",
        AKHBAR_VAR_DIR=str(var_dir),
        PORT=str(port),
        AKHBAR_SCHEDULED_PUBLISHING_INTERVAL="1",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        keep["DATABASE_URL"] = database_url
    return keep


class Serve:
    """One `akhbar serve` process with its output in a file (never a pipe that could fill up)."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.port = int(env["PORT"])
        self.base = f"http://127.0.0.1:{self.port}"
        with open(log, "wb") as out:
            self.process = subprocess.Popen([str(AKHBAR), "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_ready(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            text = self.output()
            if "Press Ctrl-C" in text:
                return text
            if self.process.poll() is not None:
                pytest.fail(f"akhbar serve exited with {self.process.returncode}:\n{text}")
            time.sleep(0.5)
        self.process.kill()
        pytest.fail(f"akhbar serve was not ready after {START_TIMEOUT} s:\n{self.output()}")

    def shell(self, code: str) -> dict:
        done = subprocess.run(
            [str(AKHBAR), "shell", "--verbosity", "0", "-c", code],
            env=self.env, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def stop(self, sig=signal.SIGINT, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def get(url: str, opener=None) -> tuple[int, str]:
    opener = opener or urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=120) as response:  # a first hit renders image renditions
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, whatever process group or session it moved to."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat_line.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def admin_login(base: str, username: str, password: str) -> bool:
    """Log in through the real login form (CSRF cookie and token included); True when it worked."""
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    status, page = get(f"{base}/admin/login/", opener)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(f"{base}/admin/login/", data=form, headers={"Referer": f"{base}/admin/login/"})
    with opener.open(request, timeout=30) as response:
        return urllib.parse.urlsplit(response.url).path == "/admin/"


def wait_for(check, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def test_serve_runs_the_site_publishes_on_schedule_and_stops_cleanly(tmp_path, database_url):
    from akhbar.core.management.static_files import source_fingerprint

    require_free_ports()
    var_dir = tmp_path / "var"
    static_sources = source_fingerprint()

    # --- first start: everything from nothing -------------------------------------------------
    serve = Serve(server_env(var_dir, PORTS[0], database_url), tmp_path / "serve-1.log")
    try:
        banner = serve.wait_until_ready()
        assert f"site:  http://127.0.0.1:{PORTS[0]}/" in banner
        assert f"admin: http://127.0.0.1:{PORTS[0]}/admin/" in banner
        login = re.search(r'log in as "([^"]+)" with password "([^"]+)"', banner)
        assert login, banner
        username, password = login.groups()

        credentials = var_dir / "admin_credentials"
        assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
        assert password in credentials.read_text()
        assert (var_dir / "secret_key").exists()

        assert get(serve.base + "/")[0] == 200
        assert get(serve.base + "/admin/login/")[0] == 200
        assert get(serve.base + "/no-such-page/")[0] == 404
        assert admin_login(serve.base, username, password)
        assert not admin_login(serve.base, username, password + "x")

        scheduled = serve.shell(SCHEDULE_ARTICLE)
        assert scheduled["live"] is False
        assert scheduled["status_before"] == 404
        assert scheduled["checked_before_go_live"], "the machine was too slow to look before the go-live time"

        def article_is_served():
            status, body = get(serve.base + scheduled["path"])
            return status == 200 and "خبر ينشر بعد ثانيتين" in body

        assert wait_for(article_is_served, timeout=60), "the scheduled article did not go live within 60 s"

        # An import beside the running site: once the command exits, its article is served and found.
        source = tmp_path / "import.jsonl"
        record = {
            "id": "serve-import-1", "title": "مهرجان الزعفران يختتم دورته بحضور كبير",
            "body": "اختتم مهرجان الزعفران دورته السنوية.\n\nوشارك فيه مزارعون من المنطقة.",
            "category": "culture", "date": "2026-11-01T10:00:00+03:00", "tags": ["مهرجانات"],
            "summary": None, "author": None, "source_url": "https://example.org/saffron", "publisher": "وكالة المثال",
        }
        source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        done = subprocess.run(
            [str(AKHBAR), "import_jsonl", str(source), "--quiet"], env=serve.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
        imported = serve.shell(IMPORTED_ARTICLE)
        assert imported["live"]
        status, body = get(serve.base + imported["path"])  # Wagtail URLs come percent-encoded
        assert status == 200 and "مهرجان الزعفران" in body
        status, body = get(serve.base + "/search/?q=" + urllib.parse.quote("الزعفران"))
        body = body.replace("<mark>", "").replace("</mark>", "")  # the matched words are highlighted
        assert status == 200 and "مهرجان الزعفران يختتم دورته بحضور كبير" in body  # a result, not just the query

        # The worker also runs the queued background tasks (search indexing of what was published).
        def tasks_done():
            counts = serve.shell(TASK_COUNTS)
            return counts if counts["READY"] == counts["RUNNING"] == 0 else None

        tasks = wait_for(tasks_done, timeout=60)
        assert tasks and tasks["SUCCESSFUL"] > 0 and tasks["FAILED"] == 0, tasks

        children = descendants(serve.process.pid)
        assert any("granian" in command_line(pid) for pid in children)
        assert any("worker" in command_line(pid) for pid in children)
    finally:
        children = descendants(serve.process.pid)
        code = serve.stop(signal.SIGINT)
    output = serve.output()
    assert code == 0, output
    assert "Stopped." in output
    assert not [pid for pid in children if running(pid)], "processes left behind after Ctrl-C"
    assert not port_open(PORTS[0])
    assert output.count(password) == 1, "the password must be printed once, in the banner, and nowhere else"

    # --- second start: same password, static files reused, a dying child stops everything ---
    serve = Serve(server_env(var_dir, PORTS[1], database_url), tmp_path / "serve-2.log")
    try:
        banner = serve.wait_until_ready()
        assert f'log in as "{username}" with password "{password}"' in banner
        if source_fingerprint() == static_sources:  # (someone may be editing the shared tree meanwhile)
            assert "Static files: up to date." in banner
        assert "applying" not in banner  # nothing left to migrate

        children = descendants(serve.process.pid)
        [web_server] = [pid for pid in children if "granian" in command_line(pid) and os.getpgid(pid) == pid]
        os.kill(web_server, signal.SIGKILL)
        code = serve.process.wait(60)
    finally:
        children |= descendants(serve.process.pid)
        serve.stop(signal.SIGTERM)
    output = serve.output()
    assert code != 0, output
    assert "The web server stopped" in output
    assert not [pid for pid in children if running(pid)], "the worker outlived the web server"
    assert output.count(password) == 1


def require_free_ports() -> None:
    busy = [port for port in PORTS if port_open(port)]
    if busy:
        pytest.fail(f"ports {busy} are in use; this test needs them for its own servers")
