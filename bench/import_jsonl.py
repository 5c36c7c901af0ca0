"""Benchmark `akhbar import_jsonl`: the 30k-article corpus into a fresh SQLite site, then a re-run.

    python -m bench.import_jsonl [--limit N] [--batch-size N] [--baseline N]

Prints articles/s for the first import and for a re-run where nothing changed, and, for
comparison, the plain Wagtail path (add_child + save_revision().publish()) on a few records.
"""

import argparse
import itertools
import multiprocessing
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import SKIPPED, corpus_file, fresh_site, machine

CORPUS = "ant_multisource.jsonl"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.import_jsonl", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N lines of the corpus file (0: all)")
    parser.add_argument("--batch-size", type=int, default=0, help="articles per transaction (0: the command's default)")
    parser.add_argument("--baseline", type=int, default=200, help="articles for the plain Wagtail path (0: skip)")
    return parser.parse_args(argv)


def first_lines(path: Path, limit: int, directory: Path) -> Path:
    subset = directory / f"first-{limit}.jsonl"
    with path.open("rb") as source, subset.open("wb") as target:
        target.writelines(itertools.islice(source, limit))
    return subset


def probe(database: str, stop, results) -> None:
    """Another process using the database meanwhile (as `make run` would): a read and a small write every 0.2 s."""
    connection = sqlite3.connect(database, timeout=60, isolation_level=None)
    connection.execute("CREATE TABLE IF NOT EXISTS bench_probe (n INTEGER)")
    reads, writes = [], []
    while not stop.is_set():
        started = time.perf_counter()
        connection.execute("SELECT title FROM wagtailcore_page ORDER BY id DESC LIMIT 12").fetchall()
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO bench_probe VALUES (1)")
        connection.execute("COMMIT")
        writes.append(time.perf_counter() - started)
        time.sleep(0.2)
    results.put((reads, writes))


def with_probe(database: Path, work):
    """Run `work()` while `probe` runs in another process; returns work's result and the probe's timings."""
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    process = context.Process(target=probe, args=(str(database), stop, results))
    process.start()
    try:
        outcome = work()
    finally:
        stop.set()
        reads, writes = results.get(timeout=120)
        process.join()
    return outcome, reads, writes


def timed_import(path: Path, batch_size: int):
    from akhbar.importers.run import DEFAULT_BATCH_SIZE, JsonlImport, check_files

    check_files([path])
    errors = []
    importer = JsonlImport(batch_size=batch_size or DEFAULT_BATCH_SIZE, report=errors.append)
    cpu = time.process_time()
    stats = importer.run([path])
    return stats, time.process_time() - cpu, errors


def plain_wagtail_rate(path: Path, count: int) -> tuple[float, int]:
    """What the ordinary API manages per second here, and how many tasks it leaves for the worker."""
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import Site

    from akhbar.core.models import RegionalSettings
    from akhbar.importers.jsonl import JsonLine, JsonLinesReader
    from akhbar.importers.records import article_from_line, author_slug
    from akhbar.news.models import ArticlePage, Author, SectionPage

    site = Site.objects.get(is_default_site=True)
    zone = RegionalSettings.for_site(site).zone
    section = SectionPage(title="مقارنة", slug="plain-wagtail")
    site.root_page.add_child(instance=section)
    section.save_revision().publish()
    lines = (entry for entry in JsonLinesReader(path) if isinstance(entry, JsonLine))
    items = [article_from_line(entry, zone) for entry in itertools.islice(lines, count)]
    tasks_before = DBTaskResult.objects.count()
    started = time.perf_counter()
    for n, item in enumerate(items):
        page = ArticlePage(
            title=item.title,
            slug=f"plain-{n}",
            lede=item.lede,
            body=item.body_blocks(),
            source_name=item.source_name,
            source_url=item.source_url,
            published_at=item.published_at,
        )
        section.add_child(instance=page)
        if item.tags:
            page.tags.add(*item.tags)
        if item.author_name:
            author, _ = Author.objects.get_or_create(slug=author_slug(item.author_name), defaults={"name": item.author_name})
            page.authors = [author]
        page.save_revision().publish()
    elapsed = time.perf_counter() - started
    return len(items) / elapsed, DBTaskResult.objects.count() - tasks_before


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    corpus = corpus_file(CORPUS)
    if corpus is None:
        return SKIPPED
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-input-") as scratch, fresh_site() as var_dir:
        source = first_lines(corpus, args.limit, Path(scratch)) if args.limit else corpus
        from django_tasks_db.models import DBTaskResult
        from wagtail.models import Page

        from akhbar.news.models import ArticlePage

        print(f"machine: {machine()}")
        print(f"input: {source.name}{f' (first {args.limit} lines of {CORPUS})' if args.limit else ''}")
        if args.baseline:
            rate, tasks = plain_wagtail_rate(source, args.baseline)
            print(f"plain Wagtail API (add_child + save_revision().publish()), {args.baseline} articles: "
                  f"{rate:.1f} articles/s, {tasks} tasks left in the queue")
        tasks_before = DBTaskResult.objects.count()
        database = var_dir / "akhbar.sqlite3"
        (first, first_cpu, errors), reads, writes = with_probe(database, lambda: timed_import(source, args.batch_size))
        queued = DBTaskResult.objects.count() - tasks_before
        print(f"first import: {first.created} created, {first.skipped} skipped in {first.seconds:.1f} s "
              f"= {first.rate:.0f} articles/s (CPU {first_cpu:.1f} s = {1000 * first_cpu / max(first.processed, 1):.1f} ms/article)")
        for error in errors[:5]:
            print(f"  {error}")
        print(f"  tasks left in the queue by the import: {queued} (new sections' own saves)")
        print(f"  another process meanwhile: {len(reads)} reads, slowest {1000 * max(reads):.0f} ms; "
              f"{len(writes)} small writes, median wait {1000 * statistics.median(writes):.0f} ms, "
              f"slowest {1000 * max(writes):.0f} ms")
        again, again_cpu, _errors = timed_import(source, args.batch_size)
        print(f"re-run, nothing changed: {again.unchanged} unchanged in {again.seconds:.1f} s = {again.rate:.0f} articles/s")
        problems = Page.find_problems()
        print(f"tree problems (treebeard find_problems): {sum(len(p) for p in problems)}")
        print(f"live articles: {ArticlePage.objects.live().count()}, database: {database.stat().st_size / 1e6:.0f} MB")
        print(f"machine after: load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0 if not any(problems) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
