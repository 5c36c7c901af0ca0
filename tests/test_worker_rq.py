"""`akhbar worker` on RQ (REDIS_URL): tasks queued in Redis, run by the same command."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task, task_backends

from akhbar.core.management.commands import worker as worker_command

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
