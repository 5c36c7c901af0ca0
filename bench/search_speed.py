"""Search speed at 30k articles: indexing time, then search latency and throughput, Akhbar's
Arabic analysis against stock Wagtail on the same articles, on SQLite and PostgreSQL.

    python -m bench search_speed          (= python -m bench.search_speed)
    python -m bench.search_speed [--db sqlite,postgresql] [--analysis arabic,stock]
                                 [--limit N] [--queries N] [--budget-seconds S]
                                 [--postgres-url URL] [--site-dir DIR]

Each site (database × analysis) runs in its own process: a temporary AKHBAR_VAR_DIR (never
the project's var/), production settings, AKHBAR_SEARCH_ANALYSIS=arabic|stock, and an empty
database of its own (SQLite in that directory, or PostgreSQL `akhbar_bench_<analysis>`,
dropped afterwards). `akhbar import_jsonl` brings in ../shared/corpus/ant_multisource.jsonl
(29,952 articles; the importer writes the search index in the same transactions), which is
the indexing time; on PostgreSQL then ANALYZE (autovacuum's job, off on this machine).
Then every query is sent, one at a time, in-process through Django's test client (no
network, no server: the application's own time):

    api     GET /api/v2/pages/?search=Q&type=news.ArticlePage&fields=external_id&limit=10
            (as `make eval-search` sends it: 10 results, the total count, JSON)
    page    GET /search/?q=Q (the search page, rendered)
    search  the search alone: ArticlePage.objects.live().public().search(Q), the first 20
            results as objects and .count()

Queries: the text of ../shared/search-eval/dev_queries.jsonl (620 queries, turns by type),
then the 40 most frequent content words of the corpus titles, one word a query (large hit
sets: the hard case for ranking). Stock Wagtail is slow, so each measurement stops after
--budget-seconds; its throughput is compared with Akhbar's on the same first queries.
`--site-dir DIR` keeps each site in DIR/<db>-<analysis> (PostgreSQL: keeps the database) and
reuses it on the next run instead of importing again (for profiling; indexing time is then n/a).
"""

import argparse
import collections
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench import CORPUS_DIR, REPO_DIR, SKIPPED, corpus_file, machine
from bench._search_metrics import percentile

CORPUS = "ant_multisource.jsonl"
QUERIES = REPO_DIR.parent / "shared" / "search-eval" / "dev_queries.jsonl"
DATABASES = ("sqlite", "postgresql")
ANALYSES = ("arabic", "stock")
MEASURES = ("api", "page", "search")
COMMON_WORDS = 40
WARM_UP = 2  # queries sent first, not timed (stock SQLite takes seconds each)
GOAL_P95_MS = 50
GOAL_SPEEDUP = 20
PROJECT_VAR_DIR = (REPO_DIR / "var").resolve()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.search_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=",".join(DATABASES), help="comma-separated: sqlite, postgresql")
    parser.add_argument("--analysis", default=",".join(ANALYSES), help="comma-separated: arabic, stock")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles of the corpus (0: all)")
    parser.add_argument("--queries", type=int, default=0, help="only the first N dev queries (0: all 620)")
    parser.add_argument("--budget-seconds", type=float, default=90, help="per site and measurement, then stop sending queries")
    parser.add_argument("--measures", default=",".join(MEASURES), help="comma-separated: api, page, search")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server; databases akhbar_bench_<analysis> are created there")
    parser.add_argument("--site-dir", type=Path, help="keep and reuse the sites here (no re-import)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # db:analysis, run by the parent in a process of its own
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.db = [item for item in args.db.split(",") if item]
    args.analysis = [item for item in args.analysis.split(",") if item]
    args.measures = [item for item in args.measures.split(",") if item]
    for chosen, allowed, option in ((args.db, DATABASES, "--db"), (args.analysis, ANALYSES, "--analysis"), (args.measures, MEASURES, "--measures")):
        if not chosen or set(chosen) - set(allowed):
            parser.error(f"{option}: choose from {', '.join(allowed)}")
    return args


# Queries -------------------------------------------------------------------------------------


def dev_queries(limit: int) -> list[str]:
    from bench.search_eval import load_queries

    queries = [query["query"] for query in load_queries(QUERIES, 0)]
    return queries[:limit] if limit else queries


def common_title_words(corpus: Path, count: int, limit: int) -> list[str]:
    """The most frequent content words of the titles (as written: the commonest spelling of each)."""
    from akhbar.arabic.analysis import ANALYZER

    spellings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with corpus.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit and n >= limit:
                break
            for token in ANALYZER.tokens(json.loads(line).get("title") or ""):
                if not token.stop:
                    spellings[token.norm][token.surface] += 1
    ranked = sorted(spellings.items(), key=lambda item: -sum(item[1].values()))
    words = []
    for _norm, written in ranked:
        word = written.most_common(1)[0][0]
        if len(word) > 2:
            words.append(word)
        if len(words) == count:
            break
    return words


# One site, in this process ------------------------------------------------------------------


@contextmanager
def site(db: str, analysis: str, args):
    """Django set up on a site of its own; yields (var_dir, reused: bool)."""
    keep = args.site_dir is not None
    if keep:
        var_dir = (args.site_dir / f"{db}-{analysis}").resolve()
        var_dir.mkdir(parents=True, exist_ok=True)
    else:
        var_dir = Path(tempfile.mkdtemp(prefix=f"akhbar-bench-search-{db}-{analysis}-")).resolve()
    if var_dir == PROJECT_VAR_DIR or var_dir.is_relative_to(PROJECT_VAR_DIR):
        raise SystemExit(f"refusing to use the project's own {PROJECT_VAR_DIR}")
    for name in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE"):
        os.environ.pop(name, None)
    os.environ.update(
        AKHBAR_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="akhbar.settings.production",
        AKHBAR_SEARCH_ANALYSIS=analysis,
        LOG_LEVEL="WARNING",
        # One client sends every request: the benchmarks measure the pages, not the rate limiter.
        AKHBAR_RATE_LIMIT_SEARCH="off",
        AKHBAR_RATE_LIMIT_SUGGEST="off",
    )
    database = None
    if db == "postgresql":
        from bench._search_server import PostgresDatabase

        database = PostgresDatabase(args.postgres_url, f"akhbar_bench_{analysis}")
        os.environ["DATABASE_URL"] = database.url
        if not (keep and _database_exists(database)):
            database.create()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        if db == "sqlite":
            assert Path(settings.DATABASES["default"]["NAME"]).is_relative_to(var_dir)
        call_command("migrate", verbosity=0)
        from akhbar.core.management.static_files import collect_static_if_changed
        from akhbar.news.models import HomePage

        collect_static_if_changed()  # production pages name hashed static files, as `akhbar serve` collects them

        reused = HomePage.objects.exists()
        if not reused:
            from bench import _make_home

            _make_home()
        yield var_dir, reused
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            import shutil

            shutil.rmtree(var_dir, ignore_errors=True)
            if database is not None:
                database.drop()


def _database_exists(database) -> bool:
    import psycopg

    from bench._search_server import _maintenance_url

    with psycopg.connect(_maintenance_url(database.server_url), autocommit=True, connect_timeout=10) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone() is not None


def import_corpus(corpus: Path, limit: int) -> dict:
    from django.core.management import call_command

    from akhbar.news.models import ArticlePage

    with tempfile.TemporaryDirectory(prefix="akhbar-bench-input-") as scratch:
        source = corpus
        if limit:
            source = Path(scratch) / f"first-{limit}.jsonl"
            with corpus.open("rb") as lines, source.open("wb") as subset:
                subset.writelines(line for _n, line in zip(range(limit), lines, strict=False))
        cpu, started = time.process_time(), time.perf_counter()
        call_command("import_jsonl", str(source), quiet=True, stdout=io.StringIO())
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    articles = ArticlePage.objects.count()
    return {"articles": articles, "seconds": seconds, "cpu": cpu}


def analyse() -> None:
    """Table statistics, as autovacuum gathers them within a minute of a large import (this
    machine's server runs with autovacuum off, and plans made on empty-table estimates are
    not what a site sees)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"   ANALYZE: {time.perf_counter() - started:.1f} s (not counted in the import)", flush=True)


def measurers(measures: list[str]):
    """name → function(query) running what that measurement times."""
    from django.test import Client

    from akhbar.news.models import ArticlePage

    client = Client(HTTP_HOST="127.0.0.1")

    def api(query):
        response = client.get("/api/v2/pages/", {"search": query, "type": "news.ArticlePage", "fields": "external_id", "limit": 10})
        if response.status_code != 200:
            raise RuntimeError(f"API answered {response.status_code} for {query!r}")

    def page(query):
        response = client.get("/search/", {"q": query})
        if response.status_code != 200:
            raise RuntimeError(f"/search/ answered {response.status_code} for {query!r}")

    def search(query):
        results = ArticlePage.objects.live().public().search(query)
        list(results[:20])
        results.count()

    functions = {"api": api, "page": page, "search": search}
    return {name: functions[name] for name in measures}


def time_queries(function, queries: list[str], budget: float) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds (this process) per query, and how many failed; stops when the budget is spent."""
    for query in queries[:WARM_UP]:
        _attempt(function, query)
    wall, cpu, failures, started = [], [], 0, time.perf_counter()
    for query in queries:
        if time.perf_counter() - started > budget:
            break
        begin, begin_cpu = time.perf_counter(), time.process_time()
        failures += not _attempt(function, query)
        wall.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    return wall, cpu, failures


def _attempt(function, query: str) -> bool:
    try:
        function(query)
    except Exception as error:  # counted and shown, the run goes on
        print(f"   failed: {query!r}: {type(error).__name__}: {str(error)[:200]}", flush=True)
        return False
    return True


def run_one(db: str, analysis: str, args, corpus: Path) -> dict:
    result = {"db": db, "analysis": analysis, "machine_start": machine()}
    print(f"-- {db}, {analysis}: {machine()}", flush=True)
    with site(db, analysis, args) as (var_dir, reused):
        from django.db import connection

        from akhbar.news.models import ArticlePage

        if reused and ArticlePage.objects.exists():
            print(f"   reusing {var_dir} ({ArticlePage.objects.count()} articles): no indexing time", flush=True)
            result["import"] = None
        else:
            result["import"] = import_corpus(corpus, args.limit)
            figures = result["import"]
            print(f"   import_jsonl: {figures['articles']} articles in {figures['seconds']:.1f} s "
                  f"({figures['articles'] / figures['seconds']:.0f}/s, CPU {figures['cpu']:.1f} s), {machine()}", flush=True)
            if connection.vendor == "postgresql":
                analyse()
        result["articles"] = ArticlePage.objects.live().count()
        result["database_version"] = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else connection.pg_version}"
        from wagtail.search.backends import get_search_backend

        result["backend"] = type(get_search_backend()).__qualname__
        query_sets = {"dev": dev_queries(args.queries), "common": common_title_words(corpus, COMMON_WORDS, args.limit)}
        result["measures"] = {}
        for name, function in measurers(args.measures).items():
            for set_name, queries in query_sets.items():
                latencies, cpu, failures = time_queries(function, queries, args.budget_seconds)
                result["measures"][f"{name}/{set_name}"] = {"latencies": latencies, "cpu": cpu, "failures": failures, "of": len(queries)}
                print(f"   {name:6} {set_name:6} {summary(latencies, cpu, len(queries))}{f', {failures} FAILED' if failures else ''}", flush=True)
    result["machine_end"] = machine()
    return result


def summary(latencies: list[float], cpu: list[float], of: int) -> str:
    if not latencies:
        return "no queries"
    ms = [1000 * value for value in latencies]
    cpu_ms = [1000 * value for value in cpu]
    partial = f" (time budget: {len(ms)}/{of} queries)" if len(ms) < of else ""
    return (f"p50 {percentile(ms, 0.5):7.1f} ms  p95 {percentile(ms, 0.95):7.1f} ms  max {max(ms):7.1f} ms  "
            f"{len(ms) / (sum(ms) / 1000):7.1f} queries/s  CPU p50 {percentile(cpu_ms, 0.5):6.1f} p95 {percentile(cpu_ms, 0.95):6.1f} ms{partial}")


# The whole run --------------------------------------------------------------------------------


def report(results: list[dict]) -> None:
    print()
    print("== search speed (sequential, in-process; p50/p95 nearest rank)")
    header = "| database | analysis | articles | import | measure | queries | p50 ms | p95 ms | max ms | queries/s | CPU p50 ms | CPU p95 ms |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    by_site = {(result["db"], result["analysis"]): result for result in results}
    for result in results:
        imported = result["import"]
        import_text = f"{imported['seconds']:.0f} s (CPU {imported['cpu']:.0f} s)" if imported else "n/a (reused)"
        for key, figures in result["measures"].items():
            ms = [1000 * value for value in figures["latencies"]]
            cpu_ms = [1000 * value for value in figures["cpu"]]
            if not ms:
                continue
            print(f"| {result['db']} | {result['analysis']} | {result['articles']:,} | {import_text} | {key} | "
                  f"{count_text(len(ms), figures['of'])} | {percentile(ms, 0.5):.1f} | "
                  f"{percentile(ms, 0.95):.1f} | {max(ms):.1f} | {len(ms) / (sum(ms) / 1000):.1f} | "
                  f"{percentile(cpu_ms, 0.5):.1f} | {percentile(cpu_ms, 0.95):.1f} |")
    print()
    for db in DATABASES:
        arabic, stock = by_site.get((db, "arabic")), by_site.get((db, "stock"))
        if arabic:
            for key, figures in arabic["measures"].items():
                ms = [1000 * value for value in figures["latencies"]]
                if ms and key.endswith("/dev"):
                    p95 = percentile(ms, 0.95)
                    print(f"{db}, {key}: p95 {p95:.1f} ms — goal ≤ {GOAL_P95_MS} ms: {'met' if p95 <= GOAL_P95_MS else 'NOT met'}")
        if arabic and stock:
            for key, figures in stock["measures"].items():
                slow = figures["latencies"]
                fast = arabic["measures"].get(key, {}).get("latencies", [])[: len(slow)]
                if slow and len(fast) == len(slow):
                    ratio = sum(slow) / sum(fast)
                    print(f"{db}, {key}: arabic answers {ratio:.1f}× the queries/s of stock on the same {len(slow)} queries "
                          f"— goal ≥ {GOAL_SPEEDUP}×: {'met' if ratio >= GOAL_SPEEDUP else 'NOT met'}")


def count_text(done: int, of: int) -> str:
    return str(done) if done == of else f"{done} of {of}"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    corpus = corpus_file(CORPUS)
    if corpus is None:
        return SKIPPED
    if not QUERIES.is_file():
        print(f"skipped: needs {QUERIES} (the shared evaluation set is absent on this machine)")
        return SKIPPED
    if args.one:
        db, analysis = args.one.split(":")
        result = run_one(db, analysis, args, corpus)
        if args.result:
            args.result.write_text(json.dumps(result), encoding="utf-8")
        return 0
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True).stdout.strip()
    print(f"commit {commit or 'unknown'}; corpus {CORPUS_DIR / CORPUS}{f' (first {args.limit})' if args.limit else ''}; {machine()}")
    from bench._search_server import postgres_reachable

    results, failed = [], []
    for db in args.db:
        if db == "postgresql":
            reason = postgres_reachable(args.postgres_url)
            if reason:
                print(f"PostgreSQL skipped: {args.postgres_url} does not answer ({reason})")
                continue
        for analysis in args.analysis:
            with tempfile.TemporaryDirectory(prefix="akhbar-bench-result-") as scratch:
                result_file = Path(scratch) / "result.json"
                command = [sys.executable, "-m", "bench.search_speed", *argv, "--one", f"{db}:{analysis}", "--result", str(result_file)]
                completed = subprocess.run(command, cwd=REPO_DIR)
                if completed.returncode != 0 or not result_file.is_file():
                    failed.append(f"{db}:{analysis}")
                    continue
                results.append(json.loads(result_file.read_text(encoding="utf-8")))
    report(results)
    print(f"machine at the end: {machine()}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
