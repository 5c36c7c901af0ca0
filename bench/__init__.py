"""Akhbar's benchmarks: `python -m bench` (or `make bench`) runs them all, `python -m bench NAME…` a few.

Adding one: write `bench/<name>.py` with a `main(argv: list[str]) -> int` function (and
`if __name__ == "__main__": sys.exit(main(sys.argv[1:]))`). `python -m bench` finds every
module of this package whose name does not start with "_" and runs each in its own Python
process, so each can point Django at its own throw-away var/ directory before setting it
up. Helpers below: `fresh_site()` (temporary SQLite site), `corpus_file()` (skips politely
when ../shared/corpus is absent), `machine()` (what to write next to a figure).
Benchmarks print their figures; record them with the exact command in docs/benchmarks.md.
Performance is measured here only, never with timed assertions in tests.
"""

import datetime as dt
import os
import platform
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_DIR.parent / "shared" / "corpus"
SKIPPED = 0  # exit status of a benchmark that could not run here (missing data), distinct from a failure


def corpus_file(name: str) -> Path | None:
    """A file of the shared corpus, or None after saying why the benchmark is skipped."""
    path = CORPUS_DIR / name
    if not path.is_file():
        print(f"skipped: needs {path} (the shared corpus is absent on this machine)")
        return None
    return path


@contextmanager
def fresh_site(prefix: str = "akhbar-bench-"):
    """Django set up on an empty, migrated SQLite database in a temporary var/ directory, with a home page.

    Never the project's own var/: the environment is pointed at the temporary directory
    before Django reads its settings, and database, cache and media URLs from the caller's
    environment are ignored. Set BENCH_KEEP=1 to keep the directory for inspection.
    """
    var_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        AKHBAR_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="akhbar.settings.production",
        LOG_LEVEL="WARNING",
        # One client sends every request: the benchmarks measure the pages, not the rate limiter.
        AKHBAR_RATE_LIMIT_SEARCH="off",
        AKHBAR_RATE_LIMIT_SUGGEST="off",
    )
    for name in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "TASKS_BACKEND"):
        os.environ.pop(name, None)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        assert Path(settings.DATABASES["default"]["NAME"]).is_relative_to(var_dir)
        call_command("migrate", verbosity=0)
        _make_home()
        yield var_dir
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"kept: {var_dir}")


def _make_home() -> None:
    from wagtail.models import Page, Site

    from akhbar.news.models import HomePage

    home = Page.get_first_root_node().add_child(instance=HomePage(title="الرئيسية", slug="akhbar"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()


def machine() -> str:
    """One line describing where a figure was measured (this machine is shared, so the load matters)."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{dt.date.today().isoformat()}, {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, load average {load}"
    )
