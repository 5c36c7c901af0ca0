"""Search quality and speed, end to end: `make eval-search` (= `python -m bench.search_eval`).

For each database (SQLite; PostgreSQL when it answers) and each configuration
(AKHBAR_SEARCH_ANALYSIS=stock, =arabic): start `akhbar serve --no-seed` as `make run` does, on
a temporary var/ directory and an empty database of its own; import
../shared/search-eval/index_10k.jsonl with `akhbar import_jsonl`; send every query of
dev_queries.jsonl to /api/v2/pages/?search=… one after another; stop the server with Ctrl-C.
Prints MRR@10 and success@10 per known-item type and precision@10 for Latin names next to the
README's reference figures and the goals, plus search latency and requests/s per site.
How the figures are computed: docs/search-eval.md. This only measures; nothing here is tuned.

    python -m bench.search_eval [--db sqlite,postgresql] [--analysis stock,arabic]
                                [--postgres-url URL] [--search-operator and|or] [--budget-minutes M]
                                [--json FILE] [--keep]
                                [--per-type N] [--index-limit N]   (smoke runs only)
"""

import argparse
import datetime as dt
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import REPO_DIR, SKIPPED, machine
from bench._search_client import PROBES, SearchClient, probe_parameters
from bench._search_metrics import mean, percentile, precision, reciprocal_rank, relevant_for_names, success
from bench._search_report import LATIN, Row, reference_rows, table, verdicts
from bench._search_server import PostgresDatabase, Site, SiteError, free_port, postgres_reachable

EVAL_DIR = REPO_DIR.parent / "shared" / "search-eval"
INDEX_FILE = "index_10k.jsonl"
QUERIES_FILE = "dev_queries.jsonl"
DATABASES = ("sqlite", "postgresql")
ANALYSES = ("stock", "arabic")
PROBE_QUERY = "الاقتصاد العالمي"
PROGRESS_EVERY = 100


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.search_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=",".join(DATABASES), help="comma-separated: sqlite, postgresql")
    parser.add_argument("--analysis", default=",".join(ANALYSES), help="comma-separated: stock, arabic")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server; throw-away databases akhbar_eval_<analysis> are created and dropped")
    parser.add_argument("--search-operator", choices=("and", "or"),
                        help="also send search_operator=…; by default the API's own default applies")
    parser.add_argument("--budget-minutes", type=float, default=40,
                        help="stop sending queries to one site after this long (its figures are then marked partial)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var/ directories and databases")
    parser.add_argument("--per-type", type=int, default=0, help="smoke run: only the first N queries of each type")
    parser.add_argument("--index-limit", type=int, default=0, help="smoke run: only the first N articles (figures are meaningless)")
    args = parser.parse_args(argv)
    args.db = _choices(parser, args.db, DATABASES, "--db")
    args.analysis = _choices(parser, args.analysis, ANALYSES, "--analysis")
    return args


def _choices(parser, value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    chosen = [item.strip() for item in value.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in allowed]
    if unknown or not chosen:
        parser.error(f"{option}: choose from {', '.join(allowed)}")
    return chosen


def load_queries(path: Path, per_type: int) -> list[dict]:
    """The queries, taking turns by type (1st of each type, then 2nd…): a run cut short by the
    time budget still has every type equally covered, and no type runs on a warmer server."""
    by_type: dict[str, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            query = json.loads(line)
            by_type[query["type"]].append(query)
    if per_type:
        by_type = {kind: queries[:per_type] for kind, queries in by_type.items()}
    turns = itertools.zip_longest(*by_type.values())
    return [query for turn in turns for query in turn if query is not None]


def read_records(path: Path, limit: int):
    with path.open(encoding="utf-8") as lines:
        for line in itertools.islice(lines, limit or None):
            if line.strip():
                yield json.loads(line)


def judge_latin_queries(queries: list[dict], index: Path, limit: int) -> str:
    """Replace each Latin-name query's relevant set by the README's rule applied to the indexed articles."""
    latin = [query for query in queries if query["type"] == LATIN]
    if not latin:
        return "no Latin-name queries"
    found = relevant_for_names(read_records(index, limit), [query["arabic"] for query in latin])
    agree = 0
    for query in latin:
        computed = found[query["arabic"]]
        agree += computed == set(query.get("relevant", ()))
        query["relevant"] = sorted(computed)
    sizes = [len(query["relevant"]) for query in latin]
    return (f"{len(latin)} Latin-name queries judged on the index ({min(sizes)}–{max(sizes)} relevant articles each); "
            f"{agree}/{len(latin)} identical to the lists shipped in {QUERIES_FILE}")


def run_queries(client: SearchClient, queries: list[dict], extra: dict[str, str], budget_seconds: float) -> dict:
    """Every query once, until the time budget is spent; returns per-type scores, latencies and failures."""
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    latencies, failures = [], []
    started = time.perf_counter()
    for n, query in enumerate(queries, start=1):
        if time.perf_counter() - started > budget_seconds:
            print(f"    time budget of {budget_seconds / 60:.0f} min spent: {n - 1}/{len(queries)} queries sent", flush=True)
            break
        answer = client.search(query["query"], extra)
        latencies.append(answer.seconds)
        if answer.status != 200:
            failures.append(f"{query['qid']}: {answer.status} {answer.error}")
        kind, relevant = query["type"], query["relevant"]
        if kind == LATIN:
            scores[kind]["precision"].append(precision(answer.ids, relevant))
        else:
            scores[kind]["rr"].append(reciprocal_rank(answer.ids, relevant))
            scores[kind]["success"].append(success(answer.ids, relevant))
        if n % PROGRESS_EVERY == 0 or n == len(queries):
            print(f"    {n}/{len(queries)} queries, {time.perf_counter() - started:.0f} s", flush=True)
    wall = time.perf_counter() - started
    return {
        "per_type": {
            kind: {name: mean(values) for name, values in figures.items()} | {"queries": max(len(v) for v in figures.values())}
            for kind, figures in scores.items()
        },
        "latency_ms": {
            "p50": 1000 * percentile(latencies, 0.50),
            "p95": 1000 * percentile(latencies, 0.95),
            "max": 1000 * max(latencies),
        },
        "requests_per_second": len(latencies) / wall,
        "answered": len(latencies),
        "total_queries": len(queries),
        "failures": failures,
    }


def evaluate_site(database_kind: str, analysis: str, args, queries: list[dict], index: Path) -> dict:
    port = free_port()
    if port is None:
        raise SiteError("no free port in 8401–8409")
    database = PostgresDatabase(args.postgres_url, f"akhbar_eval_{analysis}") if database_kind == "postgresql" else None
    label = f"{database_kind}/{analysis}"
    print(f"== {label}: AKHBAR_SEARCH_ANALYSIS={analysis}, port {port}"
          + (f", database {database.name}" if database else ", SQLite in a temporary var/"), flush=True)
    with Site(analysis, database, port, keep=args.keep) as site:
        print("    starting akhbar serve --no-seed (migrations on an empty database)…", flush=True)
        start_seconds = site.start()
        print(f"    serving after {start_seconds:.0f} s; importing {index.name}…", flush=True)
        import_seconds, summary = site.import_jsonl(index)
        print(f"    imported in {import_seconds:.0f} s: {' / '.join(line.strip() for line in summary.splitlines()[1:])}", flush=True)
        facts = site.facts()
        print(f"    search backend in use: {facts['backend']}", flush=True)
        client = SearchClient(port)
        try:
            probes = probe_parameters(client, PROBE_QUERY)
            client.search("اختبار")  # warm-up, not measured: first request of each worker loads the code
            print(f"    sending {len(queries)} queries, one at a time…", flush=True)
            extra = {"search_operator": args.search_operator} if args.search_operator else {}
            result = run_queries(client, queries, extra, 60 * args.budget_minutes)
        finally:
            client.close()
        code = site.stop()
        print(f"    stopped (exit code {code})", flush=True)
    return {
        "database": database_kind,
        "analysis": analysis,
        "backend": facts["backend"],
        "learned_tables": facts["learned"],
        "start_seconds": start_seconds,
        "import_seconds": import_seconds,
        "probes": probes,
        **result,
    }


def measured_row(result: dict) -> Row:
    partial = "" if result["answered"] == result["total_queries"] else f" PARTIAL {result['answered']}/{result['total_queries']}"
    row = Row(name=f"Akhbar {result['database']}, {result['analysis']}{partial}")
    for kind, figures in result["per_type"].items():
        if kind == LATIN:
            row.latin = figures["precision"]
        else:
            row.known[kind] = (figures["rr"], figures["success"])
    return row


def code_version() -> str:
    """The commit measured, and whether the application code differs from it (a shared working tree)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True,
                              text=True, timeout=30).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", "akhbar"], cwd=REPO_DIR, capture_output=True,
                                 text=True, timeout=30).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    if not changed:
        return f"commit {head or '?'}"
    return f"commit {head or '?'} + {len(changed)} uncommitted file(s) under akhbar/: " + ", ".join(
        line[3:] for line in changed[:6]) + (" …" if len(changed) > 6 else "")


def print_report(results: list[dict], skipped: list[str], queries: list[dict], judged: str, smoke: bool,
                 operator: str | None) -> None:
    types = list(dict.fromkeys(query["type"] for query in queries if query["type"] != LATIN))
    references = reference_rows(EVAL_DIR / "README.md")
    rows = [measured_row(result) for result in results]
    print()
    print(f"Search evaluation, {machine()}")
    print(f"code: {code_version()}")
    if smoke:
        print("SMOKE RUN (--per-type/--index-limit): these figures are not comparable with anything.")
    print(f"queries: {len(queries)} from {QUERIES_FILE}; {judged}")
    print("request: /api/v2/pages/?search=<query>&type=news.ArticlePage&fields=external_id&limit=10"
          + (f"&search_operator={operator}" if operator else " (the API's default operator)"))
    print("MRR@10 per type (success@10 in brackets when below 1.00); Latin names: precision@10; "
          "overall: mean MRR@10 of the known-item types")
    print(table(references + rows, types))
    for line in skipped:
        print(f"not measured: {line}")
    if results:
        print("\nAgainst the goals and the reference rows (the ceiling row excepted):")
        for row in rows:
            misses = verdicts(row, references, types)
            print(f"  {row.name}: " + ("meets every goal and beats every reference row" if not misses else "; ".join(misses)))
        print("\nSpeed (sequential requests from one client; latency measured by the client, request to last byte):")
        print("  site                  |    p50 ms |    p95 ms |    max ms | requests/s | import s | learned tables | failures")
        for result in results:
            latency = result["latency_ms"]
            learned = result["learned_tables"]
            learned_text = "n/a" if not learned else ", ".join(f"{name} {rows:,}" for name, rows in learned.items())
            print(f"  {result['database'] + '/' + result['analysis']:<21} | {latency['p50']:9.1f} | {latency['p95']:9.1f} | "
                  f"{latency['max']:9.1f} | {result['requests_per_second']:10.1f} | {result['import_seconds']:8.0f} | "
                  f"{learned_text:<14} | {len(result['failures'])}")
        for result in results:
            for failure in result["failures"][:5]:
                print(f"  failed ({result['database']}/{result['analysis']}): {failure}")
            backend = result["backend"]
            print(f"  {result['database']}/{result['analysis']}: search backend {backend}")
        print("\nParameters of /api/v2/pages/ next to search= (type=news.ArticlePage&fields=external_id&limit=10):")
        first = results[0]["probes"]
        for name in PROBES:
            answers = {result["probes"].get(name) for result in results}
            shown = first.get(name) if len(answers) == 1 else " | ".join(
                f"{r['database']}/{r['analysis']}: {r['probes'].get(name)}" for r in results)
            print(f"  {name:<26} {shown}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    index, query_file = EVAL_DIR / INDEX_FILE, EVAL_DIR / QUERIES_FILE
    if not (index.is_file() and query_file.is_file()):
        print(f"skipped: needs {index} and {query_file} (the search evaluation set is absent on this machine)")
        return SKIPPED
    began = time.monotonic()
    print(f"search evaluation started {dt.datetime.now().isoformat(timespec='seconds')}; {machine()}", flush=True)
    print(f"code: {code_version()}", flush=True)
    queries = load_queries(query_file, args.per_type)
    with tempfile.TemporaryDirectory(prefix="akhbar-search-eval-input-") as scratch:
        if args.index_limit:
            subset = Path(scratch) / f"first-{args.index_limit}.jsonl"
            with index.open("rb") as source, subset.open("wb") as target:
                target.writelines(itertools.islice(source, args.index_limit))
            index = subset
        judged = judge_latin_queries(queries, index, 0)
        print(judged, flush=True)
        results, skipped, failed = [], [], False
        for database_kind in args.db:
            if database_kind == "postgresql":
                why = postgres_reachable(args.postgres_url)
                if why:
                    message = f"PostgreSQL at {args.postgres_url} is not reachable ({why}); skipped"
                    print(message, flush=True)
                    skipped.append(message)
                    continue
            for analysis in args.analysis:
                try:
                    results.append(evaluate_site(database_kind, analysis, args, queries, index))
                except (SiteError, OSError, subprocess.SubprocessError) as error:
                    failed = True
                    message = f"{database_kind}/{analysis} failed: {error}"
                    print(message, file=sys.stderr, flush=True)
                    skipped.append(message.splitlines()[0])
    print_report(results, skipped, queries, judged, smoke=bool(args.per_type or args.index_limit),
                 operator=args.search_operator)
    print(f"\ntotal time: {(time.monotonic() - began) / 60:.1f} min")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results, "skipped": skipped},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
