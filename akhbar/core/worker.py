"""The periodic-job scheduler loop that runs inside `akhbar worker`.

It ticks about once a second in its own thread (its own database connection), so a long
background task never delays scheduled publishing, and nothing it meets stops it: job errors
and database hiccups are logged by `run_due_jobs()` and retried on the next tick.
"""

import logging
import threading

from django.db import close_old_connections, connections

from .scheduler import REGISTRY, run_due_jobs

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0


def run_scheduler(stop: threading.Event, tick: float = TICK_SECONDS) -> None:
    """Run due periodic jobs every `tick` seconds until `stop` is set."""
    logger.info("Scheduler started: %s", ", ".join(sorted(REGISTRY)) or "no periodic jobs")
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                ran = run_due_jobs()
            except Exception:  # run_due_jobs already guards its jobs; this is the last line
                logger.exception("Scheduler tick failed")
            else:
                for name in ran:
                    logger.debug("Periodic job %s ran", name)
            stop.wait(tick)
    finally:
        connections.close_all()
        logger.info("Scheduler stopped")


class SchedulerThread(threading.Thread):
    """`run_scheduler` in a daemon thread; `stop()` lets a running job finish, then returns."""

    def __init__(self, tick: float = TICK_SECONDS):
        super().__init__(name="akhbar-scheduler", daemon=True)
        self.tick = tick
        self.stop_event = threading.Event()

    def run(self) -> None:
        run_scheduler(self.stop_event, self.tick)

    def stop(self, timeout: float | None = 30.0) -> None:
        self.stop_event.set()
        if self.is_alive():
            self.join(timeout)
            if self.is_alive():
                logger.warning("Scheduler still busy after %.0f s; leaving it behind", timeout)
