"""The full-page cache, driven through the same WSGI application the web server serves.

Django's test client bypasses akhbar/wsgi.py, so these tests call the wrapped WSGI application
with plain environ dicts, as a server would. Purges are checked through what a reader gets
next: the fresh page, not a counter.
"""

import http.server
import io
import re
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date
from wagtail.models import Page

from akhbar.pagecache import purge
from akhbar.pagecache.app import PageCacheApp
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


class Reply:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.all_headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    @property
    def outcome(self) -> str | None:
        return self.headers.get("x-akhbar-cache")


class Server:
    """The WSGI application as `akhbar/wsgi.py` builds it, counting how often Django runs."""

    def __init__(self):
        self.django = WSGIHandler()
        self.django_calls = 0
        self.app = PageCacheApp(self.counting)

    def counting(self, environ, start_response):
        self.django_calls += 1
        return self.django(environ, start_response)

    def request(self, path: str, *, method="GET", host="localhost", query="", cookie=None, headers=None) -> Reply:
        environ = wsgi_environ(path, method=method, host=host, query=query, cookie=cookie, headers=headers)
        started = []
        result = self.app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = started[0]
        return Reply(status, headers, body)


def wsgi_environ(path: str, *, method="GET", host="localhost", query="", cookie=None, headers=None) -> dict:
    """The environ a WSGI server would pass for this request."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


@pytest.fixture
def server(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    # A server closes database connections between requests; inside a test transaction it must not.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield Server()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def site(news_tree):
    author = make_author("هدى الكاتبة", slug="huda")
    other_author = make_author("سامي المحرر", slug="sami")
    world, sport = news_tree["world"], news_tree["sport"]
    story = make_article(world, "خبر الصباح", tags=["تونس"], authors=[author])
    sport_story = make_article(sport, "مباراة الأمس", tags=["كرة"], authors=[other_author])
    return {**news_tree, "story": story, "sport_story": sport_story, "author": author}


def page_paths(site) -> dict[str, str]:
    from urllib.parse import unquote

    story = site["story"]
    return {
        "home": "/",
        "news": unquote(site["news"].url),
        "world": unquote(site["world"].url),
        "article": unquote(story.url),
        "tag": unquote(reverse("tag", kwargs={"slug": story.tags.first().slug})),
        "author": unquote(reverse("author", kwargs={"slug": "huda"})),
        "sport": unquote(site["sport"].url),
        "sport tag": unquote(reverse("tag", kwargs={"slug": site["sport_story"].tags.first().slug})),
        "sport author": unquote(reverse("author", kwargs={"slug": "sami"})),
    }


def warm(server, paths):
    for name, path in paths.items():
        first = server.request(path)
        assert first.status == 200, (name, path, first.status)
        assert server.request(path).outcome == "hit", (name, path)


# --- hits ------------------------------------------------------------------------------------


def test_every_reader_page_type_is_stored_and_a_hit_runs_neither_django_nor_the_database(server, site):
    for name, path in page_paths(site).items():
        miss = server.request(path)
        assert (miss.status, miss.outcome) == (200, "miss"), name
        calls = server.django_calls
        with CaptureQueriesContext(connection) as queries:
            hit = server.request(path)
        assert (hit.status, hit.outcome) == (200, "hit"), name
        assert server.django_calls == calls, f"{name}: a hit ran Django"
        assert len(queries) == 0, f"{name}: a hit ran {len(queries)} queries"
        assert hit.body == miss.body


def test_a_hit_carries_what_the_whole_stack_produced_and_headers_for_cdns(server, site, settings):
    path = page_paths(site)["article"]
    miss = server.request(path)
    hit = server.request(path)
    for header in ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "content-type"):
        assert header in miss.headers, header
        assert hit.headers[header] == miss.headers[header]
    cache_control = hit.headers["cache-control"]
    assert cache_control == (
        f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, s-maxage={settings.PAGE_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}"
    )
    assert hit.headers["etag"] == miss.headers["etag"] and hit.headers["etag"].startswith('"')
    assert hit.headers["last-modified"].endswith("GMT")
    assert int(hit.headers["content-length"]) == len(hit.body)
    assert "set-cookie" not in hit.headers
    assert "csrfmiddlewaretoken" not in hit.text


def test_head_is_answered_from_the_stored_get_without_a_body(server, site):
    path = page_paths(site)["article"]
    assert server.request(path, method="HEAD").outcome is None  # HEAD never stores
    get = server.request(path)
    head = server.request(path, method="HEAD")
    assert (head.status, head.outcome, head.body) == (200, "hit", b"")
    assert head.headers["content-length"] == str(len(get.body))


def test_keys_separate_hosts_and_query_strings(server, site):
    path = page_paths(site)["world"]
    server.request(path, host="localhost")
    assert server.request(path, host="127.0.0.1").outcome == "miss"
    assert server.request(path, host="localhost").outcome == "hit"

    first = server.request(path, host="localhost")
    assert server.request(path, host="localhost", query="fragment=1").outcome == "miss"
    fragment = server.request(path, host="localhost", query="fragment=1")
    assert fragment.outcome == "hit"
    assert "<html" not in fragment.text and "<html" in first.text


# --- conditional requests --------------------------------------------------------------------


def test_if_none_match_and_if_modified_since_get_304_from_the_cache_and_on_a_miss(server, site):
    path = page_paths(site)["article"]
    first = server.request(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]

    calls = server.django_calls
    reply = server.request(path, headers={"If-None-Match": etag})
    assert (reply.status, reply.body) == (304, b"")
    assert reply.headers["etag"] == etag and "cache-control" in reply.headers
    assert server.request(path, headers={"If-None-Match": f'W/{etag}, "other"'}).status == 304
    assert server.request(path, headers={"If-Modified-Since": modified}).status == 304
    assert server.django_calls == calls
    assert server.request(path, headers={"If-None-Match": '"stale"'}).status == 200
    assert server.request(path, headers={"If-Modified-Since": http_date(time.time() - 3600)}).status == 200
    # If-None-Match decides when both are sent.
    assert server.request(path, headers={"If-None-Match": '"stale"', "If-Modified-Since": modified}).status == 200

    other = page_paths(site)["sport"]
    reply = server.request(other, headers={"If-None-Match": '"anything"'})
    assert (reply.status, reply.outcome) == (200, "miss")
    assert server.request(other, headers={"If-None-Match": reply.headers["etag"]}).status == 304


# --- what is never cached --------------------------------------------------------------------


def test_logged_in_editor_gets_the_live_personal_page_and_never_the_cached_one(server, site, client, django_user_model):
    path = page_paths(site)["article"]
    server.request(path)
    assert server.request(path).outcome == "hit"

    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-editor-1")
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    calls = server.django_calls
    personal = server.request(path, cookie=cookie)
    assert personal.status == 200 and personal.outcome is None
    assert server.django_calls == calls + 1
    assert "w-userbar" in personal.text or "wagtail-userbar" in personal.text  # the editor's admin bar
    assert "private" in personal.headers["cache-control"]
    # ...and that page was not stored for anonymous readers.
    anonymous = server.request(path)
    assert anonymous.outcome == "hit" and "userbar" not in anonymous.text


def test_unrelated_cookies_still_get_the_cached_page(server, site):
    path = page_paths(site)["article"]
    server.request(path)
    assert server.request(path, cookie="csrftoken=abc; theme=dark").outcome == "hit"


def test_a_response_that_sets_a_cookie_is_not_stored(server, site):
    from wagtail import hooks

    path = page_paths(site)["article"]

    def set_cookie(page, request, serve_args, serve_kwargs):
        response = page.serve(request, *serve_args, **serve_kwargs)
        response.set_cookie("seen", "1")
        return response

    with hooks.register_temporarily("before_serve_page", set_cookie, order=200):
        assert "set-cookie" in server.request(path).headers
        assert server.request(path).outcome is None
    assert server.request(path).outcome == "miss"


class ChunkedApp:
    """A cacheable WSGI application whose body is `count` chunks of `size` bytes, produced one
    at a time, counting how many were asked for and whether it was closed."""

    def __init__(self, count: int, size: int):
        self.count, self.size = count, size
        self.produced = self.calls = self.closed = 0

    def __call__(self, environ, start_response):
        from akhbar.pagecache.app import STATE_KEY

        self.calls += 1
        environ[STATE_KEY].cacheable = True
        start_response("200 OK", [("Content-Type", "application/xml; charset=utf-8")])
        return self.Body(self)

    def chunk(self, n: int) -> bytes:
        return (b"%08d" % n) * (self.size // 8)

    class Body:
        def __init__(self, app):
            self.app = app

        def __iter__(self):
            for n in range(self.app.count):
                self.app.produced += 1
                yield self.app.chunk(n)

        def close(self):
            self.app.closed += 1


def test_a_body_over_the_cap_is_streamed_through_with_bounded_memory_and_not_stored(settings):
    from akhbar.pagecache import rules

    settings.PAGE_CACHE_ENABLED = True
    chunk = 64 * 1024
    source = ChunkedApp(count=80, size=chunk)  # 5 MB, over the 2 MB cap
    app = PageCacheApp(source)
    started = []

    def start_response(status, headers, exc_info=None):
        started.append((status, dict(headers), source.produced))

    result = app(wsgi_environ("/sitemaps/articles-0.xml"), start_response)
    (status, headers, produced_when_started), = started
    assert status == "200 OK" and headers["X-Akhbar-Cache"] == "pass"
    # Held when the response starts: the cap and one chunk, not the body.
    assert produced_when_started == rules.MAX_BODY_BYTES // chunk + 1 < source.count
    assert "s-maxage=" in headers["Cache-Control"] and "ETag" not in headers
    pieces = []
    for piece in result:
        assert source.produced <= produced_when_started + len(pieces) + 1  # pulled as sent
        pieces.append(piece)
    result.close()
    assert b"".join(pieces) == b"".join(source.chunk(n) for n in range(source.count))
    assert source.closed == 1
    # Not stored: the next request runs the application again, and gets the whole body again.
    again = app(wsgi_environ("/sitemaps/articles-0.xml"), lambda status, headers, exc_info=None: None)
    assert len(b"".join(again)) == 80 * chunk and source.calls == 2
    again.close()


def test_a_body_under_the_cap_is_stored_and_its_source_closed(settings):
    settings.PAGE_CACHE_ENABLED = True
    source = ChunkedApp(count=4, size=1024)
    app = PageCacheApp(source)
    replies = []
    for _ in range(2):
        result = app(wsgi_environ("/feed/"), lambda status, headers, exc_info=None: replies.append(dict(headers)))
        assert b"".join(result) == b"".join(source.chunk(n) for n in range(4))
    assert [reply["X-Akhbar-Cache"] for reply in replies] == ["miss", "hit"]
    assert replies[0]["Content-Length"] == "4096" and source.calls == 1 and source.closed == 1


def test_errors_redirects_and_other_methods_are_not_stored(server, site):
    calls = server.django_calls
    assert server.request("/no-such-page/").status == 404
    assert server.request("/no-such-page/").status == 404
    assert server.django_calls == calls + 2

    story = site["story"]
    assert server.request(f"/a/{story.pk}/").status == 301
    assert server.request(f"/a/{story.pk}/").outcome is None

    path = page_paths(site)["article"]
    server.request(path)
    post = server.request(path, method="POST")
    assert post.outcome is None


@pytest.mark.parametrize("path", ["/search/", "/csrf/", "/api/v2/pages/", "/admin/login/"])
def test_never_cached_paths(server, site, path):
    for _ in range(2):
        reply = server.request(path, query="q=خبر" if path == "/search/" else "")
        assert reply.outcome is None
        assert "public" not in reply.headers.get("cache-control", "")


def test_restricted_page_is_never_stored(server, site):
    from wagtail.models import PageViewRestriction

    world = site["world"]
    PageViewRestriction.objects.create(page=world, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    path = page_paths(site)["article"]
    for _ in range(2):
        reply = server.request(path)
        assert reply.outcome is None and "خبر الصباح" not in reply.text


# --- purges ----------------------------------------------------------------------------------


def purged(server, paths) -> set[str]:
    """Names of pages whose next request misses (re-renders) rather than hits."""
    return {name for name, path in paths.items() if server.request(path).outcome == "miss"}


def retitle(page, title: str) -> None:
    page.title = title
    page.save_revision().publish()


LISTINGS = {"home", "news", "world", "article", "tag", "author"}
UNRELATED = {"sport", "sport tag", "sport author"}


def test_publishing_purges_the_article_its_sections_tags_authors_and_home_only(server, site):
    paths = page_paths(site)
    warm(server, paths)
    retitle(site["story"], "خبر الصباح بعد التحديث")
    assert purged(server, paths) == LISTINGS
    assert "خبر الصباح بعد التحديث" in server.request(paths["article"]).text
    for name in ("home", "world", "tag", "author"):
        assert "خبر الصباح بعد التحديث" in server.request(paths[name]).text, name


def test_a_new_article_appears_on_the_next_request_of_every_listing(server, site):
    paths = page_paths(site)
    warm(server, paths)
    make_article(site["world"], "عاجل: خبر جديد", tags=["تونس"], authors=[site["author"]])
    for name in ("home", "news", "world", "tag", "author"):
        reply = server.request(paths[name])
        assert reply.outcome == "miss" and "عاجل: خبر جديد" in reply.text, name
    assert purged(server, {n: paths[n] for n in UNRELATED}) == set()


@pytest.mark.parametrize(
    "take_down",
    [lambda story: story.unpublish(), lambda story: Page.objects.get(pk=story.pk).delete()],
    ids=["unpublish", "delete"],
)
def test_unpublishing_or_deleting_purges_and_the_article_disappears(server, site, take_down):
    paths = page_paths(site)
    warm(server, paths)
    take_down(site["story"])
    assert purged(server, paths) - {"article"} == LISTINGS - {"article"}
    assert server.request(paths["article"]).status == 404
    for name in ("home", "world", "tag", "author"):
        assert "خبر الصباح" not in server.request(paths[name]).text, name


def test_moving_purges_the_old_and_new_sections(server, site):
    paths = page_paths(site)
    warm(server, paths)
    story = site["story"]
    Page.objects.get(pk=story.pk).move(site["sport"], pos="last-child")
    old_address = server.request(paths["article"])
    assert old_address.status == 301  # Wagtail's automatic redirect to the new address
    assert old_address.headers["location"].endswith(story.slug + "/")
    assert purged(server, {n: paths[n] for n in ("home", "news", "world", "sport", "tag", "author")}) == {
        "home", "news", "world", "sport", "tag", "author"
    }
    assert "خبر الصباح" in server.request(paths["sport"]).text
    assert "خبر الصباح" not in server.request(paths["world"]).text


def test_removing_a_tag_purges_the_old_tag_page_too(server, site):
    paths = page_paths(site)
    warm(server, paths)
    story = site["story"]
    story.tags.set(["موضوع آخر"])
    story.save_revision().publish()
    tag_page = server.request(paths["tag"])
    assert tag_page.outcome == "miss" and "خبر الصباح" not in tag_page.text


def test_purge_reaches_every_query_string_variant(server, site):
    path = page_paths(site)["world"]
    for query in ("", "fragment=1", "before=1-1", "before=1-1&fragment=1"):
        server.request(path, query=query)
        assert server.request(path, query=query).outcome == "hit"
    make_article(site["world"], "خبر يضاف للقسم")
    for query in ("", "fragment=1", "before=1-1", "before=1-1&fragment=1"):
        assert server.request(path, query=query).outcome == "miss", query


def test_an_approved_comment_purges_the_article_and_its_listings(server, site):
    paths = page_paths(site)
    warm(server, paths)
    purge.comment_approved(site["story"])
    assert purged(server, paths) == LISTINGS


def test_a_section_change_or_a_menu_change_purges_everything(server, site):
    from akhbar.navigation.models import NavigationSettings

    paths = page_paths(site)
    warm(server, paths)
    retitle(site["sport"], "الرياضة")
    assert purged(server, paths) == set(paths)

    warm(server, paths)
    settings_row = NavigationSettings.for_site(site["home"].get_site())
    settings_row.footer_text = "نص جديد للتذييل"
    settings_row.save()
    assert "نص جديد للتذييل" in server.request(paths["sport"]).text


def test_purges_wait_for_nothing_when_the_cache_is_off(settings, site):
    settings.PAGE_CACHE_ENABLED = False
    with CaptureQueriesContext(connection) as queries:
        purge.purge_article(site["story"])
    # article_targets still reads tags and authors, but nothing is written anywhere
    assert all("INSERT" not in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def purge_listener():
    """A reverse proxy's purge endpoint on a local port: records every PURGE it receives."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802
            received.append(f"http://{self.headers['Host']}{self.path}")
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    listener = http.server.ThreadingHTTPServer(("127.0.0.1", 8649), Handler)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        listener.shutdown()
        listener.server_close()


def test_frontend_cache_receives_the_same_purges_after_the_commit(
    server, site, settings, purge_listener, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": "http://127.0.0.1:8649"}
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_article(site["world"], "خبر للشبكة", tags=["تونس"], authors=[site["author"]])
    assert purge_listener == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    sent = purge_listener
    assert {"http://localhost/", "http://localhost/news/", "http://localhost/news/world/"} <= set(sent)
    assert any("/tags/" in url for url in sent) and any("/authors/huda/" in url for url in sent)
    assert not any("/sport/" in url for url in sent)


def test_no_template_of_a_reader_page_holds_a_csrf_token_or_the_user():
    """Forms on cached pages fetch their token from /csrf/ (static/js/forms.js); a page
    template that printed a token or the user would set a cookie or leak one reader's page."""
    from django.conf import settings

    templates = Path(settings.PACKAGE_DIR) / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"{%\s*csrf_token|{{\s*(csrf_token|user\.|request\.user)|{%\s*if\s+(request\.)?user", path.read_text())
    ]
    assert offenders == []


def test_the_csrf_endpoint_is_never_cached_and_gives_the_token_a_cached_form_needs(server, site):
    reply = server.request("/csrf/")
    assert reply.status == 200 and reply.outcome is None
    assert "no-store" in reply.headers["cache-control"] and "csrftoken=" in reply.headers["set-cookie"]
    assert '"token"' in reply.text


@pytest.mark.slow
@pytest.mark.parametrize(
    "settings_module, value, expected",
    [
        ("akhbar.settings.production", None, "PageCacheApp"),
        ("akhbar.settings.production", "0", "WSGIHandler"),
        ("akhbar.settings.production", "off", "WSGIHandler"),
        ("akhbar.settings.dev", None, "WSGIHandler"),
        ("akhbar.settings.dev", "1", "PageCacheApp"),
    ],
)
def test_the_switch_decides_what_the_web_server_serves(tmp_path, settings_module, value, expected):
    """AKHBAR_PAGE_CACHE: on by default in production, off in development; 0/off turns it off."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AKHBAR_"))}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, AKHBAR_VAR_DIR=str(tmp_path))
    if value is not None:
        env["AKHBAR_PAGE_CACHE"] = value
    code = "from akhbar.wsgi import application; print(type(application).__name__)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected


def test_behind_a_proxy_the_key_follows_the_forwarded_host_and_scheme(server, site, settings):
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    server.app = PageCacheApp(server.counting)  # settings are read once per process
    path = page_paths(site)["article"]
    https = {"X-Forwarded-Host": "localhost", "X-Forwarded-Proto": "https"}
    first = server.request(path, host="127.0.0.1", headers=https)
    assert first.outcome == "miss" and 'href="https://localhost' in first.text
    assert server.request(path, host="127.0.0.1", headers=https).outcome == "hit"
    plain = server.request(path, host="127.0.0.1", headers={"X-Forwarded-Host": "localhost"})
    assert plain.outcome == "miss" and 'href="https://localhost' not in plain.text
