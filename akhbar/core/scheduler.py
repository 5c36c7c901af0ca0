"""Periodic jobs for the task worker: Django's tasks API has none, so Akhbar keeps one registry.

Jobs register with `@every(seconds=…)`; the worker (`akhbar worker`) calls `run_due_jobs()`
about once a second from its scheduler thread. Claiming a run is a single conditional UPDATE on
`PeriodicJobRun`, so any number of workers on any number of machines start each job once per
interval, with no extra service. A cheap read comes first, so an idle tick never takes
SQLite's write lock (which an import may be holding for seconds).
"""

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval: dt.timedelta
    func: Callable[[], object]


REGISTRY: dict[str, PeriodicJob] = {}


def every(*, seconds: float, name: str | None = None) -> Callable:
    """Register `func` to run every `seconds` seconds inside the task worker."""
    if seconds <= 0:
        raise ValueError(f"a periodic job needs a positive interval, not {seconds!r}")

    def register(func: Callable[[], object]) -> Callable[[], object]:
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        REGISTRY[job_name] = PeriodicJob(job_name, dt.timedelta(seconds=seconds), func)
        return func

    return register


def claim(job: PeriodicJob, now: dt.datetime | None = None) -> bool:
    """True when this process won the right to run `job` now.

    The UPDATE only matches when the last start is at least one interval old, so of several
    workers racing for the same run exactly one sees a changed row. The first run ever is an
    INSERT guarded by the unique name.
    """
    from .models import PeriodicJobRun

    now = now or timezone.now()
    due_before = now - job.interval
    claimed = PeriodicJobRun.objects.filter(name=job.name, last_started_at__lte=due_before).update(
        last_started_at=now
    )
    if claimed:
        return True
    if PeriodicJobRun.objects.filter(name=job.name).exists():
        return False
    try:
        with transaction.atomic():
            PeriodicJobRun.objects.create(name=job.name, last_started_at=now)
        return True
    except IntegrityError:  # another worker inserted it first
        return False


def due_jobs(now: dt.datetime | None = None) -> list[PeriodicJob]:
    """Registered jobs whose interval has passed, found with one read (no write lock taken)."""
    from .models import PeriodicJobRun

    now = now or timezone.now()
    jobs = list(REGISTRY.values())
    last_started = dict(
        PeriodicJobRun.objects.filter(name__in=[job.name for job in jobs]).values_list("name", "last_started_at")
    )
    return [job for job in jobs if job.name not in last_started or last_started[job.name] <= now - job.interval]


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Run every job whose interval has passed; returns the names that ran.

    Nothing raises out of here: a failing job, or a database that is busy or briefly gone, is
    logged and the remaining jobs still get their turn (the next tick retries).
    """
    ran = []
    try:
        candidates = due_jobs(now)
    except Exception:
        logger.exception("Could not read the periodic job schedule")
        return ran
    for job in candidates:
        try:
            if not claim(job, now):
                continue
        except Exception:
            logger.exception("Could not claim periodic job %s", job.name)
            continue
        try:
            job.func()
            ran.append(job.name)
        except Exception:  # a broken job must not stop the worker or the other jobs
            logger.exception("Periodic job %s failed", job.name)
    return ran
