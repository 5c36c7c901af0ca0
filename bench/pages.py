"""Reader pages under load: Akhbar's server as `make run` starts it, driven by wrk, against
nginx serving the same HTML as a static file (the machine's physical limit).

    python -m bench pages            (part of `make bench`)
    python -m bench.pages [--limit N] [--scale K] [--db sqlite|postgresql] [--duration S]
                          [--connections C,C…] [--keep] [--site-dir DIR]

What it does:

1. A throw-away site (its own AKHBAR_VAR_DIR; SQLite in it, or a PostgreSQL database
   `akhbar_bench_pages` created and dropped) started with `akhbar serve --no-seed`, which is
   what `make run` runs (the web server and the task worker), then ../shared/corpus/ant_multisource.jsonl
   imported into it with `akhbar import_jsonl` (29,952 articles; `--scale 10` writes each
   article ten times under new ids for about 300,000, `--limit` takes fewer).
2. One URL of each kind read from the site: the newest article, its section, one of its tags,
   its author, the home page, a search, and the site feed where the site has one.
3. For each URL, wrk from a separate process (`wrk -t2 -cC -dS --latency`): hot (the page
   cache on, as in production, after one warming request) and cold (the server restarted
   with AKHBAR_PAGE_CACHE=0). Printed: requests/s, p50 and p99 latency, errors (socket
   errors and non-2xx/3xx answers).
4. The same URLs hot through the shipped nginx configuration (deploy/nginx/akhbar.conf,
   rendered for this run's ports: reverse proxy with its one-to-two-second microcache) in
   front of the same server.
5. The article's HTML written to a file and served by nginx (a minimal configuration of its
   own, on its own port): the static-file reference; every figure is also printed as a
   share of it.

`--site-dir DIR` keeps the site in DIR and reuses it on the next run (no import when it
already holds articles; with --db postgresql the database is kept too).

Needs wrk and nginx (Debian: `apt-get install wrk nginx-light`); without them it says so and
stops. Record the figures with the command in docs/benchmarks.md.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import SKIPPED, corpus_file, machine
from bench._nginx import SHIPPED, main_config, render_shipped
from bench._search_server import AKHBAR, PostgresDatabase, Site, SiteError, free_port, postgres_reachable

CORPUS = "ant_multisource.jsonl"
MODES = ("hot", "nginx", "cold")
KINDS = ("article", "section", "tag", "author", "home", "search", "feed")

# Run inside the site (`akhbar shell`): one URL path of each kind, as JSON.
SITE_URLS = """
import json
from akhbar.news.models import ArticlePage
live = ArticlePage.objects.live().order_by("-published_at")
article = live.first()
urls = {"article": article.url, "section": article.get_parent().url, "home": "/", "search": "/search/?q=" + article.title.split()[0]}
# The newest articles that have tags and authors (not every imported article has them).
tagged = live.filter(tagged_items__isnull=False).first()
if tagged is not None:
    urls["tag"] = f"/tags/{tagged.tags.first().slug}/"
credited = live.filter(authors__isnull=False).first()
if credited is not None:
    urls["author"] = f"/authors/{credited.authors.first().slug}/"
print(json.dumps(urls, ensure_ascii=False))
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles of the corpus (0: all)")
    parser.add_argument("--scale", type=int, default=1, help="import every article K times under new ids (10: about 300k)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL and mode")
    parser.add_argument("--connections", default="16,64", help="comma-separated wrk connection counts")
    parser.add_argument("--keep", action="store_true", help="keep the site's directory and database")
    parser.add_argument("--site-dir", type=Path, help="keep the site here and reuse it next time (no re-import)")
    parser.add_argument("--pages", default=",".join(KINDS), help=f"comma-separated pages to load (of {','.join(KINDS)})")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated modes (of {','.join(MODES)})")
    return parser.parse_args(argv)


def scaled_corpus(source: Path, limit: int, scale: int, directory: Path) -> Path:
    """The corpus, or its first `limit` lines, each written `scale` times under distinct ids and titles."""
    if limit == 0 and scale == 1:
        return source
    target = directory / f"corpus-{limit or 'all'}-x{scale}.jsonl"
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        records = [json.loads(line) for number, line in enumerate(lines) if not limit or number < limit]
        for copy in range(scale):
            for record in records:
                if copy:
                    record = {**record, "id": f"{record['id']}-copy{copy}", "title": f"{record['title']} ({copy})"}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


WRK_LINES = {
    "rps": re.compile(r"Requests/sec:\s+([\d.]+)"),
    "p50": re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "p99": re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "non2xx": re.compile(r"Non-2xx or 3xx responses:\s+(\d+)"),
    "socket": re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"),
    "requests": re.compile(r"(\d+) requests in"),
}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict:
    """requests/s, p50 and p99 in ms, and errors, from wrk's --latency report."""
    figures = {"rps": 0.0, "p50": None, "p99": None, "errors": 0, "requests": 0}
    if match := WRK_LINES["rps"].search(output):
        figures["rps"] = float(match[1])
    for key in ("p50", "p99"):
        if match := WRK_LINES[key].search(output):
            figures[key] = float(match[1]) * UNITS[match[2]]
    if match := WRK_LINES["requests"].search(output):
        figures["requests"] = int(match[1])
    if match := WRK_LINES["non2xx"].search(output):
        figures["errors"] += int(match[1])
    if match := WRK_LINES["socket"].search(output):
        figures["errors"] += sum(int(value) for value in match.groups())
    return figures


def wrk(url: str, connections: int, duration: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, timeout=duration + 60,
    )
    if done.returncode != 0:
        raise SiteError(f"wrk failed on {url}: {done.stderr.strip()}")
    return parse_wrk(done.stdout)


def fetch(url: str) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


NGINX_CONF = """
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
        location / {{ try_files $uri =404; }}
    }}
}}
"""


class StaticReference:
    """nginx serving one HTML file: what the machine can do at best."""

    def __init__(self, html: bytes):
        self.prefix = Path(tempfile.mkdtemp(prefix="akhbar-bench-nginx-"))
        (self.prefix / "www").mkdir()
        (self.prefix / "www" / "article.html").write_bytes(html)
        self.port = free_port()
        (self.prefix / "nginx.conf").write_text(NGINX_CONF.format(prefix=self.prefix, port=self.port))
        # nginx's workers drop to an unprivileged user when started as root: they must be able to read.
        for path in (self.prefix, self.prefix / "www"):
            path.chmod(0o755)
        (self.prefix / "www" / "article.html").chmod(0o644)
        self.url = f"http://127.0.0.1:{self.port}/article.html"

    def __enter__(self):
        subprocess.run(["nginx", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")], check=True)
        for _attempt in range(50):
            if fetch(self.url)[0] == 200:
                return self
            time.sleep(0.1)
        raise SiteError("nginx did not start: " + (self.prefix / "error.log").read_text())

    def __exit__(self, *exc):
        subprocess.run(["nginx", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-s", "stop"], check=False, stderr=subprocess.DEVNULL)
        time.sleep(0.2)
        shutil.rmtree(self.prefix, ignore_errors=True)


class ShippedProxy:
    """The shipped nginx configuration in front of the site, as a production host runs it."""

    def __init__(self, site: Site):
        self.work = Path(tempfile.mkdtemp(prefix="akhbar-bench-proxy-"))
        self.port = free_port()
        conf = self.work / "akhbar.conf"
        conf.write_text(render_shipped(SHIPPED.read_text(), app_port=site.port, nginx_port=self.port,
                                       var_dir=site.var_dir, cache_dir=self.work / "cache"))
        (self.work / "nginx.conf").write_text(main_config(self.work, conf, workers="auto", connections=4096))
        self.command = ["nginx", "-p", str(self.work), "-c", str(self.work / "nginx.conf"), "-e", str(self.work / "error.log")]
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        subprocess.run(self.command, check=True)
        for _attempt in range(50):
            if fetch(f"{self.base}/healthz")[0] == 200:
                return self
            time.sleep(0.1)
        raise SiteError("nginx (shipped configuration) did not start: " + (self.work / "error.log").read_text())

    def __exit__(self, *exc):
        subprocess.run([*self.command, "-s", "stop"], check=False, stderr=subprocess.DEVNULL)
        time.sleep(0.2)
        shutil.rmtree(self.work, ignore_errors=True)


def site_urls(site: Site) -> dict[str, str]:
    done = subprocess.run(
        [str(AKHBAR), "shell", "--verbosity", "0", "-c", SITE_URLS], env=site.env, capture_output=True, text=True,
        timeout=300, cwd=site.var_dir,
    )
    if done.returncode != 0:
        raise SiteError(f"could not read the site's URLs: {done.stderr[-2000:]}")
    urls = json.loads(done.stdout.strip().splitlines()[-1])
    if fetch(f"{site.base}/feed/")[0] == 200:
        urls["feed"] = "/feed/"
    return urls


def load(base: str, urls: dict[str, str], mode: str, connections: list[int], duration: int, kinds=KINDS) -> list[dict]:
    rows = []
    for kind in kinds:
        if kind not in urls:
            print(f"   {mode:4} {kind:8} (the site has no such page yet)", flush=True)
            continue
        url = base + urllib.parse.quote(urls[kind], safe="/?=&%")
        status, _body = fetch(url)  # warms the page cache (hot) and the process (both)
        if status != 200:
            print(f"   {mode:4} {kind:8} answered {status}: skipped", flush=True)
            continue
        for count in connections:
            figures = wrk(url, count, duration)
            rows.append({"mode": mode, "kind": kind, "connections": count, **figures})
            print(f"   {mode:4} {kind:8} c{count:<3} {figures['rps']:9.0f} req/s  p50 {fmt(figures['p50'])}  "
                  f"p99 {fmt(figures['p99'])}  errors {figures['errors']}", flush=True)
    return rows


def article_count(site: Site) -> int:
    return json.loads(fetch(f"{site.base}/api/v2/pages/?type=news.ArticlePage&limit=1")[1])["meta"]["total_count"]


def fmt(milliseconds: float | None) -> str:
    return "   n/a   " if milliseconds is None else f"{milliseconds:7.2f} ms"


def report(rows: list[dict], reference: dict[int, dict], articles: int, import_seconds: float | None) -> None:
    imported = f"imported in {import_seconds:.0f} s" if import_seconds is not None else "a site reused from --site-dir"
    print(f"\n== reader pages under load ({articles:,} articles, {imported})")
    print("| page | cache | connections | req/s | p50 ms | p99 ms | errors | share of nginx static |")
    print("|---|---|---|---|---|---|---|---|")
    for count, figures in sorted(reference.items()):
        print(f"| article as a static file (nginx) | – | {count} | {figures['rps']:,.0f} | {fmt(figures['p50']).strip()} | "
              f"{fmt(figures['p99']).strip()} | {figures['errors']} | 100% |")
    for row in rows:
        base = reference.get(row["connections"], {}).get("rps") or 0
        share = f"{100 * row['rps'] / base:.1f}%" if base else "n/a"
        print(f"| {row['kind']} | {row['mode']} | {row['connections']} | {row['rps']:,.0f} | {fmt(row['p50']).strip()} | "
              f"{fmt(row['p99']).strip()} | {row['errors']} | {share} |")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists()]
    if missing:
        print(f"skipped: needs {' and '.join(missing)} (Debian: apt-get install wrk nginx-light)")
        return SKIPPED
    corpus = corpus_file(CORPUS)
    if corpus is None:
        return SKIPPED
    connections = [int(value) for value in args.connections.split(",") if value]
    print(f"{machine()}", flush=True)
    database = None
    if args.db == "postgresql":
        problem = postgres_reachable(args.postgres_url)
        if problem:
            print(f"skipped: PostgreSQL at {args.postgres_url} is not reachable ({problem})")
            return SKIPPED
        database = PostgresDatabase(args.postgres_url, "akhbar_bench_pages")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-pages-input-") as scratch, \
            Site("arabic", database, port, keep=args.keep, var_dir=args.site_dir) as site:
        site.start()
        articles = article_count(site)
        import_seconds = None
        if not articles:
            source = scaled_corpus(corpus, args.limit, args.scale, Path(scratch))
            print(f"-- {args.db}: importing {source.name}…", flush=True)
            import_seconds, _summary = site.import_jsonl(source)
            articles = article_count(site)
        urls = site_urls(site)
        print(f"   {articles:,} articles; pages: {json.dumps(urls, ensure_ascii=False)}", flush=True)
        status, html = fetch(site.base + urllib.parse.quote(urls["article"], safe="/%"))
        kinds, modes = [k for k in KINDS if k in args.pages.split(",")], args.modes.split(",")
        rows = load(site.base, urls, "hot", connections, args.duration, kinds) if "hot" in modes else []
        if "nginx" in modes:
            with ShippedProxy(site) as proxy:
                rows += load(proxy.base, urls, "hot, through nginx", connections, args.duration, kinds)
        if "cold" in modes:
            site.stop()
            site.env["AKHBAR_PAGE_CACHE"] = "0"
            site.start()
            rows += load(site.base, urls, "cold", connections, args.duration, kinds)
    reference = {}
    if status != 200:
        print(f"   the article answered {status}: no static-file reference", flush=True)
    else:
        with StaticReference(html) as nginx:
            for count in connections:
                reference[count] = wrk(nginx.url, count, args.duration)
                print(f"   nginx static article c{count:<3} {reference[count]['rps']:9.0f} req/s", flush=True)
    report(rows, reference, articles, import_seconds)
    print(f"machine at the end: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
