"""Purge on publish across processes: two real web servers, a publish from a third process.

Both servers run as `akhbar serve` runs its web server (python -m akhbar.core.web_server, two
worker processes each) on one var/ directory, so they share its file cache (or Redis, with
REDIS_TEST_URL), on SQLite or, with DATABASE_URL, a fresh PostgreSQL database. Each page is warmed until it is served from the cache; then a separate
process publishes a change, as an editor's save in another worker would, and the first request
to each server after that process has committed must get the fresh page: the purge is part of
the publish, so there is nothing to wait for. (How long a publish takes to reach readers is a
figure, measured by `make bench`, not asserted here.)
"""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import quote
from email.message import Message
from pathlib import Path

import pytest

from tests.test_serve import database_url, port_open, server_env, wait_for  # noqa: F401  (a fixture)

pytestmark = pytest.mark.slow

AKHBAR = Path(sys.executable).with_name("akhbar")
PORTS = (8601, 8602)

SET_UP_SITE = """
import json
from akhbar.core.management.site_setup import ensure_home_page
from akhbar.news.models import ArticlePage, Author, SectionPage
ensure_home_page()
from wagtail.models import Site
home = Site.objects.get(is_default_site=True).root_page.specific
news = SectionPage(title="أخبار", slug="news")
home.add_child(instance=news); news.save_revision().publish()
world = SectionPage(title="العالم", slug="world")
news.add_child(instance=world); world.save_revision().publish()
author = Author.objects.create(name="مراسلة الموقع", slug="reporter")
article = ArticlePage(title="العنوان الأول للخبر", slug="story", lede="ملخص الخبر.")
world.add_child(instance=article)
article.tags.add("اقتصاد")
article.authors.set([author])
article.save_revision().publish()
article.refresh_from_db()
print(json.dumps({"article": article.pk, "tag": article.tags.first().slug}))
"""

PUBLISH = """
import json
from akhbar.news.models import ArticlePage
article = ArticlePage.objects.get(pk={pk})
article.title = {title!r}
article.save_revision().publish()
print(json.dumps({{"published": article.live_revision_id}}))
"""


def fetch(url: str) -> tuple[int, Message, str]:
    """Header names are looked up case-insensitively (servers send them in either case)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, ""


def site_env(var_dir: Path, database_url: str | None, redis_url: str | None) -> dict[str, str]:
    env = server_env(var_dir, PORTS[0], database_url)
    env.update(AKHBAR_PAGE_CACHE="1", WEB_CONCURRENCY="2")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def akhbar(env, *args, timeout=300) -> str:
    done = subprocess.run([str(AKHBAR), *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def shell(env, code: str) -> dict:
    return json.loads(akhbar(env, "shell", "--verbosity", "0", "-c", code).strip().splitlines()[-1])


@pytest.fixture(params=["files", "redis"])
def cache_store(request):
    """The shared store: files under var/ (the embedded default) or Redis (the suite's own database)."""
    if request.param == "files":
        return None
    return request.getfixturevalue("redis_url")


@pytest.fixture
def servers(tmp_path, cache_store, database_url):
    busy = [port for port in PORTS if port_open(port)]
    if busy:
        pytest.fail(f"ports {busy} are in use; this test needs them for its own servers")
    env = site_env(tmp_path / "var", database_url, cache_store)
    akhbar(env, "migrate", "--no-input", "--verbosity", "0", timeout=600)
    akhbar(env, "collectstatic", "--no-input", "--verbosity", "0", timeout=600)
    ids = shell(env, SET_UP_SITE)
    processes = []
    try:
        for port in PORTS:
            log = open(tmp_path / f"server-{port}.log", "wb")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "akhbar.core.web_server"],
                    env={**env, "PORT": str(port)}, stdout=log, stderr=subprocess.STDOUT,
                )
            )
        for port, process in zip(PORTS, processes):
            if not wait_for(lambda: port_open(port) or process.poll() is not None, timeout=60) or process.poll() is not None:
                pytest.fail(f"the server on {port} did not start:\n{(tmp_path / f'server-{port}.log').read_text()}")
        yield env, ids
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_publish_in_another_process_reaches_both_servers_at_the_next_request(servers):
    env, ids = servers
    pages = ["/news/world/story/", "/news/world/", "/news/", "/", "/authors/reporter/", f"/tags/{quote(ids['tag'])}/"]
    for port in PORTS:
        for path in pages:
            url = f"http://127.0.0.1:{port}{path}"
            first = fetch(url)
            assert first[0] == 200, (url, first[0])
            status, headers, body = fetch(url)
            assert headers.get("X-Akhbar-Cache") == "hit", (url, headers)
            assert "العنوان الأول للخبر" in body
            assert "Set-Cookie" not in headers and "s-maxage=" in headers["Cache-Control"]

    new_title = "العنوان بعد التحديث من عملية أخرى"
    assert shell(env, PUBLISH.format(pk=ids["article"], title=new_title))["published"]

    # Every page that shows the article, on both servers: fresh at the first request, then cached again.
    for port in PORTS:
        for path in pages:
            url = f"http://127.0.0.1:{port}{path}"
            assert new_title in fetch(url)[2], url
            status, headers, body = fetch(url)
            assert new_title in body and headers.get("X-Akhbar-Cache") == "hit", url
