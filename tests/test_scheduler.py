"""The periodic-job scheduler: each job once per interval, across racing workers, despite failures."""

import datetime as dt
import logging
import threading

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from akhbar.core import scheduler
from akhbar.core.models import PeriodicJobRun
from akhbar.core.periodic import publish_scheduled_pages
from akhbar.core.scheduler import PeriodicJob, claim, every, run_due_jobs
from akhbar.core.worker import SchedulerThread

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


class Counter:
    def __init__(self, fail: bool = False):
        self.calls = 0
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
        if self.fail:
            raise RuntimeError("job exploded")


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, so the built-in jobs stay out of the way."""
    jobs: dict[str, PeriodicJob] = {}
    monkeypatch.setattr(scheduler, "REGISTRY", jobs)
    return jobs


def add_job(registry, name: str, seconds: float, func) -> PeriodicJob:
    registry[name] = PeriodicJob(name, dt.timedelta(seconds=seconds), func)
    return registry[name]


@pytest.mark.django_db
def test_a_due_job_runs_once_then_waits_for_its_interval(registry):
    job = Counter()
    add_job(registry, "digest", 60, job)

    assert run_due_jobs(T0) == ["digest"]
    assert run_due_jobs(T0 + dt.timedelta(seconds=1)) == []
    assert run_due_jobs(T0 + dt.timedelta(seconds=59)) == []
    assert job.calls == 1
    assert run_due_jobs(T0 + dt.timedelta(seconds=60)) == ["digest"]
    assert job.calls == 2
    assert PeriodicJobRun.objects.get(name="digest").last_started_at == T0 + dt.timedelta(seconds=60)


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(registry, caplog):
    broken, healthy = Counter(fail=True), Counter()
    add_job(registry, "broken", 60, broken)
    add_job(registry, "healthy", 60, healthy)

    with caplog.at_level(logging.ERROR, logger="akhbar.core.scheduler"):
        assert run_due_jobs(T0) == ["healthy"]
    assert broken.calls == 1 and healthy.calls == 1
    assert "Periodic job broken failed" in caplog.text
    assert "job exploded" in caplog.text
    # The failed run still counts as a start: it is retried after its interval, not every tick.
    assert run_due_jobs(T0 + dt.timedelta(seconds=5)) == []
    assert broken.calls == 1


@pytest.mark.django_db
def test_a_database_error_while_claiming_is_logged_not_raised(registry, monkeypatch, caplog):
    first, second = Counter(), Counter()
    add_job(registry, "first", 60, first)
    add_job(registry, "second", 60, second)
    real_claim = scheduler.claim

    def flaky_claim(job, now=None):
        if job.name == "first":
            raise OperationalError("database is locked")
        return real_claim(job, now)

    monkeypatch.setattr(scheduler, "claim", flaky_claim)
    with caplog.at_level(logging.ERROR, logger="akhbar.core.scheduler"):
        assert run_due_jobs(T0) == ["second"]
    assert first.calls == 0
    assert "Could not claim periodic job first" in caplog.text


def test_an_interval_must_be_positive():
    with pytest.raises(ValueError):
        every(seconds=0)


def race(job: PeriodicJob, now: dt.datetime, workers: int = 4) -> list[bool]:
    """`workers` threads (each with its own database connection) claim the same run at once."""
    barrier = threading.Barrier(workers)
    results: list[bool] = []
    errors: list[BaseException] = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            results.append(claim(job, now))
        except BaseException as error:  # surfaced in the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_a_run_start_it_exactly_once():
    job = PeriodicJob("race", dt.timedelta(seconds=60), lambda: None)
    # First run ever (an INSERT race), then due runs (UPDATE races), then a run that is not due.
    assert sorted(race(job, T0)) == [False, False, False, True]
    for minute in (1, 2, 3):
        assert sorted(race(job, T0 + dt.timedelta(minutes=minute))) == [False, False, False, True]
    assert race(job, T0 + dt.timedelta(minutes=3, seconds=30)) == [False] * 4
    assert PeriodicJobRun.objects.filter(name="race").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_keeps_going_after_a_job_fails(registry):
    broken, healthy = Counter(fail=True), Counter()
    add_job(registry, "broken", 0.05, broken)
    add_job(registry, "healthy", 0.05, healthy)
    thread = SchedulerThread(tick=0.02)
    thread.start()
    try:
        deadline = timezone.now() + dt.timedelta(seconds=30)
        while (broken.calls < 3 or healthy.calls < 3) and timezone.now() < deadline:
            thread.stop_event.wait(0.05)
        assert thread.is_alive()
    finally:
        thread.stop(timeout=30)
    assert broken.calls >= 3 and healthy.calls >= 3
    assert not thread.is_alive()


@pytest.mark.django_db
def test_the_scheduled_publishing_job_publishes_pages_whose_time_has_come(home):
    import time

    from akhbar.news.models import ArticlePage
    from tests.factories import make_section

    section = make_section(home, "أخبار", slug="news")
    go_live_at = timezone.now() + dt.timedelta(seconds=3)
    article = ArticlePage(title="خبر مجدول", slug="scheduled", go_live_at=go_live_at)
    section.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()
    assert not article.live  # scheduled, not published

    publish_scheduled_pages()
    article.refresh_from_db()
    assert not article.live  # its time has not come

    time.sleep(max(0.0, (go_live_at - timezone.now()).total_seconds()) + 0.1)
    publish_scheduled_pages()
    article.refresh_from_db()
    assert article.live


@pytest.mark.django_db
def test_an_idle_tick_only_reads(registry):
    """When nothing is due a tick writes nothing, so SQLite's one write lock stays free for imports."""
    from django.test.utils import CaptureQueriesContext

    add_job(registry, "digest", 60, Counter())
    run_due_jobs(T0)
    with CaptureQueriesContext(connection) as queries:
        assert run_due_jobs(T0 + dt.timedelta(seconds=30)) == []
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries]
    assert statements == ["SELECT"]
