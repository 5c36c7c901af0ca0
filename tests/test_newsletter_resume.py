"""A sender killed with SIGKILL in the middle of an issue, then resumed: nobody is lost, and only
the messages that were in flight at the kill are sent again, each logged as uncertain.

The sender runs in a process of its own (the code the task worker runs), on the test database,
through a real SMTP server in this process. The server itself kills the sender while it takes a
message, so the kill falls mid-batch whatever the machine's speed: no clock in the assertions.
"""

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.db import connection
from django.utils import timezone

from akhbar.core.scheduler import REGISTRY
from akhbar.newsletter.models import Delivery, Issue, IssueArticle, Subscriber
from tests.conftest import REPO_DIR

SENDER = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.db import connections
    connections["default"].settings_dict["NAME"] = sys.argv[1]  # the test run's database
    from akhbar.newsletter.sending import send_issue
    send_issue.call(int(sys.argv[2]))
    """
)
BATCH, SUBSCRIBERS, KILL_AT = 5, 23, 12


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_mid_send_loses_nobody_and_repeats_only_what_was_in_flight(inbox, news_tree, settings):
    settings.NEWSLETTER_RATE, settings.NEWSLETTER_BATCH = 0, BATCH
    emails = [f"reader{n:02d}@example.org" for n in range(SUBSCRIBERS)]
    Subscriber.objects.bulk_create(Subscriber(email=email, status=Subscriber.Status.CONFIRMED, daily=True) for email in emails)
    Subscriber.objects.create(email="waiting@example.org", status=Subscriber.Status.PENDING, daily=True)
    issue = Issue.objects.create(subject="نشرة", list="daily", status=Issue.Status.SCHEDULED)
    IssueArticle.objects.create(issue=issue, article=news_tree["articles"][0], sort_order=0)

    sender = {}
    taken = inbox.handle_DATA

    async def take_then_kill(server, session, envelope):
        answer = await taken(server, session, envelope)
        if len(inbox.messages) == KILL_AT:
            os.kill(sender["pid"], signal.SIGKILL)  # the 250 for this message never reaches the sender
        return answer

    inbox.handle_DATA = take_then_kill
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "akhbar.settings.test",
        "EMAIL_HOST": settings.EMAIL_HOST,
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "AKHBAR_NEWSLETTER_BATCH": str(BATCH),
        "AKHBAR_NEWSLETTER_RATE": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", SENDER, str(connection.settings_dict["NAME"]), str(issue.pk)],
        cwd=REPO_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    sender["pid"] = process.pid
    _, errors = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, errors[-3000:]
    inbox.handle_DATA = taken

    before = {to[0] for to, _ in inbox.messages}  # the sender's other connections may have had one more under way
    assert len(before) >= KILL_AT
    logged = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status"))
    in_flight = {email for email, status in logged.items() if status == Delivery.Status.SENDING}
    assert 0 < len(in_flight) <= BATCH
    assert before <= in_flight | {email for email, status in logged.items() if status == Delivery.Status.SENT}

    # The dead sender's lease runs out (as time would make it); the worker's periodic job resumes.
    Issue.objects.filter(pk=issue.pk).update(lease_until=timezone.now() - timezone.timedelta(seconds=1))
    assert REGISTRY["newsletter_send_due"].func() == [issue.pk]

    received = [to[0] for to, _ in inbox.messages]
    assert set(received) == set(emails)  # nobody lost, nobody unconfirmed mailed
    repeated = {email for email in received if received.count(email) > 1}
    uncertain = set(Delivery.objects.filter(issue=issue, uncertain=True).values_list("subscriber__email", flat=True))
    assert repeated <= uncertain == in_flight
    assert all(received.count(email) <= 2 for email in emails)
    assert Delivery.objects.filter(issue=issue).exclude(status=Delivery.Status.SENT).count() == 0
    assert Delivery.objects.filter(issue=issue).count() == SUBSCRIBERS
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
