"""`akhbar worker`: the background task worker plus the periodic-job scheduler.

Tasks come from django-tasks-db's queue and run in its own `Worker` loop (reused, not copied),
or, with the RQ backend (REDIS_URL), from Redis in RQ's worker (in-process, like the database
worker: no fork beside the scheduler thread); periodic jobs (scheduled publishing, later
digests and clean-ups) run in a scheduler thread beside either. Any number of these workers
can run at once: each task goes to one of them, and each periodic run is claimed once in the
database (akhbar/core/scheduler.py). With another backend (one that runs tasks elsewhere)
this command runs only the scheduler.
"""

import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, InvalidTaskBackend, task_backends
from django_tasks_db.management.commands.db_worker import Worker, valid_interval, valid_max_tasks, validate_worker_id

from akhbar.core.worker import SchedulerThread, run_scheduler

logger = logging.getLogger("akhbar.worker")


def is_rq_backend(backend) -> bool:
    return type(backend).__module__.startswith("django_tasks_rq")


def rq_worker_class():
    """RQ's in-process worker, stopping promptly on SIGTERM with the redis-py this project installs.

    RQ 3.0 stops its pub/sub thread by sending UNSUBSCRIBE, then redis-py's
    `PubSubWorkerThread.stop()`, which (from redis-py 8.2) waits for the thread. When the thread
    reads the UNSUBSCRIBE reply before `stop()` clears its run flag, it goes back to wait 60 s
    for a subscription, and the worker hangs that long on shutdown (seen: a worker not stopping
    within 30 s of SIGTERM). Clearing the flag first makes the reply the thread's last message.
    """
    from rq.worker import SimpleWorker

    class PromptlyStoppingWorker(SimpleWorker):
        def unsubscribe(self):
            if self.pubsub_thread:
                self.pubsub_thread._running.clear()
            super().unsubscribe()

    return PromptlyStoppingWorker


def default_worker_id() -> str:
    """Readable in the task table (host and pid), still unique across a pool of workers."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


class Command(BaseCommand):
    help = "Run background tasks (database queue, or RQ on Redis) and the periodic jobs (scheduled publishing)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME, help="Queues to process, comma-separated; '*' for all.")
        parser.add_argument("--backend", default=DEFAULT_TASK_BACKEND_ALIAS, dest="backend_name", help="Task backend alias.")
        parser.add_argument("--interval", default=1.0, type=valid_interval, help="Seconds to wait when the queue is empty.")
        parser.add_argument("--batch", action="store_true", help="Run the queued tasks, then exit (no scheduler).")
        parser.add_argument("--max-tasks", default=None, type=valid_max_tasks, help="Exit after this many tasks.")
        parser.add_argument("--worker-id", default=None, type=validate_worker_id, help="Unique id of this worker.")
        jobs = parser.add_mutually_exclusive_group()
        jobs.add_argument("--no-scheduler", action="store_true", help="Run tasks only, no periodic jobs.")
        jobs.add_argument("--scheduler-only", action="store_true", help="Run periodic jobs only, no tasks.")

    def handle(self, *, backend_name, queue_name, interval, batch, max_tasks, worker_id, no_scheduler, scheduler_only, verbosity, **options):
        try:
            backend = task_backends[backend_name]
        except InvalidTaskBackend as error:
            raise CommandError(str(error)) from error
        if verbosity >= 2:
            for name in ("django_tasks_db", "django_tasks", "django.tasks", "akhbar"):
                logging.getLogger(name).setLevel(logging.DEBUG if verbosity > 2 else logging.INFO)

        if is_rq_backend(backend) and not scheduler_only:
            self.run_rq_worker(backend, queue_name, batch, max_tasks, worker_id, no_scheduler, verbosity)
            return

        if not isinstance(backend, DatabaseBackend) and not scheduler_only:
            if no_scheduler or batch:
                raise CommandError(
                    f"Task backend {backend_name!r} ({type(backend).__name__}) is not a database queue; "
                    "run that backend's own worker for tasks."
                )
            self.stdout.write(
                f"Task backend {backend_name!r} ({type(backend).__name__}) runs its tasks in its own worker; "
                "this process runs the periodic jobs only."
            )
            scheduler_only = True

        if scheduler_only:
            self.run_scheduler_only()
            return

        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id or default_worker_id(),
            excluded_queue_names=[],
        )
        # The Worker's handlers stop it after the current task (sys.exit from the main thread);
        # the scheduler thread is then asked to finish its job and is joined.
        worker.configure_signals()
        self.run_beside_scheduler(worker.run, f"queue {queue_name}", not (no_scheduler or batch), verbosity)

    def run_rq_worker(self, backend, queue_name, batch, max_tasks, worker_id, no_scheduler, verbosity) -> None:
        """RQ's worker on the backend's queues (or those asked for), with the scheduler beside it."""
        import django_rq
        from django_tasks_rq.backend import Job

        names = sorted(backend.queues) if queue_name == "*" else queue_name.split(",")
        unknown = [name for name in names if name not in backend.queues]
        if unknown:
            raise CommandError(f"Queues {unknown} are not configured for the RQ backend (RQ_QUEUES, TASKS QUEUES).")
        worker = django_rq.get_worker(*names, job_class=Job, worker_class=rq_worker_class(), name=worker_id or default_worker_id())
        connections.close_all()

        def work():
            # RQ's own scheduler moves deferred tasks (run_after) to their queue; RQ elects one per Redis.
            worker.work(burst=batch, max_jobs=max_tasks, with_scheduler=True, logging_level="INFO" if verbosity > 1 else "WARNING")

        self.run_beside_scheduler(work, f"RQ queues {', '.join(names)}", not (no_scheduler or batch), verbosity)

    def run_beside_scheduler(self, work, described: str, periodic_jobs: bool, verbosity: int) -> None:
        """Run the task loop `work` with the scheduler thread beside it; the scheduler ends with it."""
        scheduler = SchedulerThread() if periodic_jobs else None
        if verbosity:
            self.stdout.write(f"Worker started ({described}, periodic jobs {'on' if scheduler else 'off'}); Ctrl-C stops it.")
        if scheduler:
            scheduler.start()
        try:
            work()
        finally:
            if scheduler:
                scheduler.stop()
            if verbosity:
                self.stdout.write("Worker stopped.")

    def run_scheduler_only(self) -> None:
        stop = threading.Event()

        def request_stop(signum, frame):
            logger.info("Received %s, stopping the scheduler", signal.strsignal(signum))
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        run_scheduler(stop)
