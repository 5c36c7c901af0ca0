"""`akhbar worker`: tasks from the database queue, periodic jobs beside them, any backend."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks import task

from akhbar.core.management.commands import worker as worker_command

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
done: list[str] = []


@task()
def remember(word: str) -> str:
    done.append(word)
    return word


@pytest.fixture
def scheduler_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(worker_command, "run_scheduler", lambda stop: calls.append(stop))
    return calls


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections, as in production
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_worker_runs_what_was_queued_in_the_database(restore_signals):
    done.clear()
    results = [remember.enqueue("أول"), remember.enqueue("ثان")]
    assert done == []  # queued, not run

    call_command("worker", "--batch", verbosity=0)

    assert sorted(done) == sorted(["أول", "ثان"])
    for result in results:
        result.refresh()
        assert result.status.name == "SUCCESSFUL"


def test_with_a_backend_that_has_its_own_worker_only_the_scheduler_runs(capsys, scheduler_calls, restore_signals):
    # The test settings use Django's immediate backend, standing in for RQ and the like.
    call_command("worker")
    assert len(scheduler_calls) == 1
    assert "periodic jobs only" in capsys.readouterr().out


def test_asking_that_backend_for_tasks_is_a_clear_error(scheduler_calls):
    with pytest.raises(CommandError, match="not a database queue"):
        call_command("worker", "--no-scheduler")
    assert scheduler_calls == []


def test_an_unknown_backend_is_a_clear_error():
    with pytest.raises(CommandError):
        call_command("worker", "--backend", "nowhere")
