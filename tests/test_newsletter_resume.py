"""The task worker (`akhbar worker`) killed with SIGKILL in the middle of an issue, then started
again: nobody is lost, and only the messages that were in flight at the kill are sent again, each
logged as uncertain.

Real processes all the way: the worker runs with production settings and the database task
queue, on the test database, and takes the issue up through its own periodic job; it sends
through a real SMTP server in this process. The server itself kills the worker while it takes a
message, so the kill falls mid-batch whatever the machine's speed: no clock in the assertions.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone

from akhbar.core.models import PeriodicJobRun
from akhbar.core.scheduler import REGISTRY
from akhbar.newsletter.models import Delivery, Issue, IssueArticle, Subscriber
from tests.app_servers import app_env, database_url_of_this_run
from tests.conftest import REPO_DIR

BATCH, SUBSCRIBERS, KILL_AT = 5, 23, 12
SEND_JOB = "newsletter_send_due"


def start_worker(env, log):
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "akhbar.manage", "worker"], cwd=REPO_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)


def only_the_send_job_is_due():
    """The worker's first tick would run every periodic job; here only the issue's sending may."""
    now = timezone.now()
    PeriodicJobRun.objects.all().delete()
    PeriodicJobRun.objects.bulk_create(PeriodicJobRun(name=name, last_started_at=now) for name in REGISTRY if name != SEND_JOB)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nobody_and_repeats_only_what_was_in_flight(inbox, news_tree, settings, tmp_path):
    emails = [f"reader{n:02d}@example.org" for n in range(SUBSCRIBERS)]
    Subscriber.objects.bulk_create(Subscriber(email=email, status=Subscriber.Status.CONFIRMED, daily=True) for email in emails)
    Subscriber.objects.create(email="waiting@example.org", status=Subscriber.Status.PENDING, daily=True)
    issue = Issue.objects.create(subject="نشرة", list="daily", status=Issue.Status.SCHEDULED)
    IssueArticle.objects.create(issue=issue, article=news_tree["articles"][0], sort_order=0)
    only_the_send_job_is_due()

    worker = {}
    taken = inbox.handle_DATA

    async def take_then_kill(server, session, envelope):
        answer = await taken(server, session, envelope)
        if len(inbox.messages) == KILL_AT:
            os.kill(worker["pid"], signal.SIGKILL)  # the 250 for this message never reaches the worker
        return answer

    inbox.handle_DATA = take_then_kill
    env = app_env(
        tmp_path / "var", 0,
        DATABASE_URL=database_url_of_this_run(),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_HOST=settings.EMAIL_HOST,
        EMAIL_PORT=str(settings.EMAIL_PORT),
        DEFAULT_FROM_EMAIL=settings.DEFAULT_FROM_EMAIL,
        AKHBAR_NEWSLETTER_BATCH=str(BATCH),
        AKHBAR_NEWSLETTER_RATE="0",
    )
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    worker["pid"] = first.pid
    try:
        assert first.wait(120) == -signal.SIGKILL, log.read_text(errors="replace")[-3000:]
    finally:
        if first.poll() is None:
            first.kill()
    inbox.handle_DATA = taken

    before = {to[0] for to, _ in inbox.messages}  # the worker's other connections may have had one more under way
    assert len(before) >= KILL_AT
    logged = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status"))
    in_flight = {email for email, status in logged.items() if status == Delivery.Status.SENDING}
    assert 0 < len(in_flight) <= BATCH
    assert before <= in_flight | {email for email, status in logged.items() if status == Delivery.Status.SENT}

    # The dead worker's lease runs out, and so does the send job's interval (as time would make
    # both); the worker, started again, resumes the issue through its periodic job.
    Issue.objects.filter(pk=issue.pk).update(lease_until=timezone.now() - timezone.timedelta(seconds=1))
    PeriodicJobRun.objects.filter(name=SEND_JOB).update(last_started_at=timezone.now() - REGISTRY[SEND_JOB].interval)
    second = start_worker(env, log)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and Issue.objects.get(pk=issue.pk).status != Issue.Status.SENT:
            time.sleep(0.3)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            code = second.wait(60)
        except subprocess.TimeoutExpired:
            second.kill()
            raise
    output = log.read_text(errors="replace")
    assert code == 0 and output.count("Worker stopped.") == 1, output[-3000:]

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT, output[-3000:]
    received = [to[0] for to, _ in inbox.messages]
    assert set(received) == set(emails)  # nobody lost, nobody unconfirmed mailed
    repeated = {email for email in received if received.count(email) > 1}
    uncertain = set(Delivery.objects.filter(issue=issue, uncertain=True).values_list("subscriber__email", flat=True))
    assert repeated <= uncertain == in_flight
    assert all(received.count(email) <= 2 for email in emails)
    assert Delivery.objects.filter(issue=issue).exclude(status=Delivery.Status.SENT).count() == 0
    assert Delivery.objects.filter(issue=issue).count() == SUBSCRIBERS
