"""Periodic jobs for the task worker: Django's tasks API has none, so Akhbar keeps one registry.

Jobs register with `@every(seconds=…)`; the worker (`akhbar worker`) calls `run_due_jobs()`
between tasks. Claiming a run is a single conditional UPDATE on `PeriodicJobRun`, so any number
of workers on any number of machines start each job once per interval, with no extra service.
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


def every(*, seconds: int, name: str | None = None) -> Callable:
    """Register `func` to run every `seconds` seconds inside the task worker."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        REGISTRY[job_name] = PeriodicJob(job_name, dt.timedelta(seconds=seconds), func)
        return func

    return register


def claim(job: PeriodicJob, now: dt.datetime | None = None) -> bool:
    """True when this process won the right to run `job` now."""
    from .models import PeriodicJobRun

    now = now or timezone.now()
    due_before = now - job.interval
    claimed = PeriodicJobRun.objects.filter(name=job.name, last_started_at__lte=due_before).update(
        last_started_at=now
    )
    if claimed:
        return True
    try:
        with transaction.atomic():
            PeriodicJobRun.objects.create(name=job.name, last_started_at=now)
        return True
    except IntegrityError:
        return False


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Run every job whose interval has passed; returns the names that ran. Failures are logged, not raised."""
    ran = []
    for job in list(REGISTRY.values()):
        if not claim(job, now):
            continue
        try:
            job.func()
            ran.append(job.name)
        except Exception:  # a broken job must not stop the worker or the other jobs
            logger.exception("Periodic job %s failed", job.name)
    return ran
