"""Benchmark `akhbar import_wordpress`: corpus articles as a WordPress export into a fresh SQLite site.

    python -m bench.import_wordpress [--posts N] [--comments N] [--stream-mb N]

Prints posts/s for the first import (no images) and for a re-run where nothing changed,
and the memory the streaming reader needs for a large export (peak Python allocations
while reading every item of a file of about --stream-mb megabytes).
"""

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import SKIPPED, corpus_file, fresh_site, machine
from bench._wxr import category, post, write_export

CORPUS = "ant_multisource.jsonl"
SITE = "https://old-site.example"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.import_wordpress", description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000, help="posts in the export")
    parser.add_argument("--comments", type=int, default=2, help="comments per post")
    parser.add_argument("--stream-mb", type=int, default=200, help="size of the export for the memory figure (0: skip)")
    return parser.parse_args(argv)


def corpus_posts(corpus: Path, count: int, comments: int):
    """The first `count` corpus records as WordPress posts (body paragraphs as classic-editor text)."""
    categories: dict[str, int] = {}
    items = []
    when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with corpus.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if len(items) >= count:
                break
            record = json.loads(line)
            slug = record.get("category") or "news"
            categories.setdefault(slug, len(categories) + 1)
            paragraphs = [p for p in record.get("body", "").split("\n") if p.strip()] or ["نص"]
            items.append(
                post(
                    n + 1,
                    record.get("title") or f"خبر {n}",
                    paragraphs,
                    site=SITE,
                    when=when + dt.timedelta(minutes=n),
                    category_slug=slug,
                    category_name=slug,
                    tags=(record.get("tags") or [])[:5],
                    comments=comments,
                )
            )
    terms = [category(term_id, slug, slug) for slug, term_id in categories.items()]
    return items, terms


def stream_memory(directory: Path, items: list[str], terms: list[str], megabytes: int) -> tuple[float, float, int]:
    """Peak memory of reading an export of about `megabytes` MB item by item."""
    from akhbar.importers.wordpress.wxr import Item, read_export

    size_per_item = sum(len(item.encode()) for item in items[:200]) / min(len(items), 200)
    repeat = max(1, int(megabytes * 1e6 / size_per_item / len(items)))
    path = write_export(directory / "large.xml", (item for _ in range(repeat) for item in items), site=SITE, categories=terms)
    tracemalloc.start()
    count = 0
    started = time.perf_counter()
    for entry in read_export(path):
        count += isinstance(entry, Item)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = path.stat().st_size
    path.unlink()
    return size / 1e6, peak / 1e6, count if seconds else 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    corpus = corpus_file(CORPUS)
    if corpus is None:
        return SKIPPED
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-wxr-") as scratch, fresh_site() as _var_dir:
        from wagtail.models import Page

        from akhbar.importers.wordpress.importer import WordPressImport

        print(f"machine: {machine()}")
        items, terms = corpus_posts(corpus, args.posts, args.comments)
        export = write_export(Path(scratch) / "export.xml", items, site=SITE, categories=terms)
        print(f"input: {len(items)} posts from {CORPUS}, {args.comments} comments each, {export.stat().st_size / 1e6:.1f} MB")
        for label in ("first import", "re-run, nothing changed"):
            importer = WordPressImport(export)
            started = time.perf_counter()
            importer.scan()
            summary = importer.run()
            seconds = time.perf_counter() - started
            articles = summary.counts.get("articles") or next(iter(summary.counts.values()))
            print(
                f"{label}: {articles.created} created, {articles.updated} updated, {articles.unchanged} unchanged, "
                f"{articles.failed} failed in {seconds:.1f} s = {len(items) / seconds:.0f} posts/s (both passes)"
            )
        print(f"tree problems (treebeard find_problems): {sum(len(p) for p in Page.find_problems())}")
        if args.stream_mb:
            size, peak, count = stream_memory(Path(scratch), items, terms, args.stream_mb)
            print(f"streaming reader: {count} items from a {size:.0f} MB export, peak Python memory {peak:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
