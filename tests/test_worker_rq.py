"""`akhbar worker` on RQ (REDIS_URL): tasks queued in Redis, run by the same command."""

import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task, task_backends

from akhbar.core.management.commands import worker as worker_command
from tests.app_servers import app_env
from tests.conftest import REPO_DIR

RQ_BACKEND = "django_tasks_rq.RQBackend"


@task()
def shout(word: str) -> str:
    return word + "!"


@pytest.fixture
def rq_queue(redis_url, settings):
    """The RQ backend on the test Redis database, as production settings build it from REDIS_URL."""
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    with override_settings(TASKS={"default": {"BACKEND": RQ_BACKEND}}):
        yield task_backends["default"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_what_was_queued_in_redis(rq_queue, restore_signals):
    results = [shout.enqueue("مرحبا"), shout.enqueue("أهلا")]
    for result in results:
        result.refresh()
        assert result.status.name == "READY"  # queued in Redis, not run

    call_command("worker", "--batch", verbosity=0)

    for result, word in zip(results, ["مرحبا", "أهلا"]):
        result.refresh()
        assert result.status.name == "SUCCESSFUL"
        assert result.return_value == word + "!"


def test_unknown_rq_queues_are_a_clear_error(rq_queue):
    with pytest.raises(Exception, match="not configured"):
        call_command("worker", "--batch", "--queue-name", "nowhere", verbosity=0)


def test_rq_backends_are_recognised():
    assert not worker_command.is_rq_backend(task_backends["default"])


@pytest.mark.slow
@pytest.mark.django_db
def test_two_worker_processes_share_the_redis_queue_and_stop_on_sigterm(rq_queue, redis_url, tmp_path):
    """Real `akhbar worker` processes (production settings, REDIS_URL): each task runs once."""
    results = [shout.enqueue(f"خبر {n}") for n in range(12)]
    env = app_env(tmp_path, 0, REDIS_URL=redis_url)
    workers = []
    for n in range(2):
        log = tmp_path / f"worker{n}.log"
        with open(log, "wb") as out:
            workers.append(
                (subprocess.Popen([sys.executable, "-m", "akhbar.manage", "worker"], cwd=REPO_DIR, env=env, stdout=out, stderr=subprocess.STDOUT), log)
            )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for result in results:
                result.refresh()
            if all(result.status.name == "SUCCESSFUL" for result in results):
                break
            time.sleep(0.5)
        assert [result.return_value for result in results] == [f"خبر {n}!" for n in range(12)]
        assert all(len(result.worker_ids) == 1 for result in results)  # each ran once
        # Both listening (RQ's signal handlers in place, not still starting) before they are stopped.
        wait_until_listening(redis_url, [process.pid for process, _ in workers])
    finally:
        for process, _ in workers:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(30) for process, _ in workers]
    outputs = [log.read_text(errors="replace") for _, log in workers]
    assert codes == [0, 0], outputs
    assert all("periodic jobs on" in output and "Worker stopped." in output for output in outputs), outputs


def wait_until_listening(redis_url: str, pids: list[int], timeout: float = 60) -> None:
    """Wait until RQ shows each worker process idle on its queue (it sets that state after startup)."""
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        idle = {worker.pid for worker in Worker.all(connection=connection) if worker.get_state() == "idle"}
        if idle.issuperset(pids):
            return
        time.sleep(0.2)
    raise AssertionError(f"workers {pids} not listening after {timeout:.0f} s")


SHOW_SETTINGS = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'], settings.CACHES['default']['BACKEND'])"


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({}, "django_tasks_db.DatabaseBackend django.core.cache.backends.filebased.FileBasedCache"),
        ({"REDIS_URL": "redis://127.0.0.1:8699/0"}, "django_tasks_rq.RQBackend django.core.cache.backends.redis.RedisCache"),
        (
            {"REDIS_URL": "redis://127.0.0.1:8699/0", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"},
            "django_tasks_db.DatabaseBackend django.core.cache.backends.redis.RedisCache",
        ),
    ],
)
def test_production_settings_put_cache_and_queue_on_redis_when_redis_url_is_set(tmp_path, extra, expected):
    env = app_env(tmp_path, 0, **extra)
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW_SETTINGS}"],
        cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected
