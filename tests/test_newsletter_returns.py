"""Mail returned to the newsletter over plain SMTP: a reader's unsubscribe request sent to the
List-Unsubscribe mailto, bounce reports (RFC 3464) and complaint reports (RFC 5965).

Every message here is built from a newsletter that Akhbar really sent through a real SMTP server
(aiosmtpd): the request is what a mail client makes of that newsletter's mailto, and the reports
quote its headers as mail servers do. Forged reports, soft bounces and garbage change nothing.
"""

import email
import email.policy
import mailbox
import re
import subprocess
import sys
import urllib.parse
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command

from akhbar.core.scheduler import REGISTRY
from akhbar.newsletter import returns
from akhbar.newsletter.models import Subscriber, Suppression
from tests.app_servers import app_env, database_url_of_this_run
from tests.conftest import REPO_DIR
from tests.test_newsletter_sending import make_issue, run_scheduler_job, site_settings, subscriber  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db
READERS = ["hala@example.org", "omar@example.org"]


@pytest.fixture
def delivered(inbox, news_tree, site_settings):  # noqa: F811
    """The newsletter as each reader received it, by address."""
    for address in READERS:
        subscriber(address)
    make_issue(news_tree["articles"][:1])
    run_scheduler_job()
    sent = {to[0]: raw for (to, _), raw in zip(inbox.messages, inbox.raw)}
    assert all(re.search(rb"\nList-Unsubscribe:\s+<https://", raw) for raw in sent.values())  # plain URLs, as RFC 2369 wants
    return {address: Newsletter(raw) for address, raw in sent.items()}


class Newsletter:
    """A newsletter as it came over SMTP: its bytes and its parsed headers."""

    def __init__(self, raw: bytes):
        self.raw = raw
        self.message = email.message_from_bytes(raw, policy=email.policy.compat32)

    def __getitem__(self, name):
        return " ".join(str(self.message[name]).split())


def unsubscribe_request(newsletter, sender: str, tamper=lambda subject: subject) -> bytes:
    """What a mail client sends for the List-Unsubscribe mailto of `newsletter`."""
    mailto = next(link for link in newsletter["List-Unsubscribe"].replace(" ", "").split(",") if link.startswith("<mailto:"))
    target = urllib.parse.urlsplit(mailto.strip("<>"))
    request = EmailMessage()
    request["From"], request["To"] = sender, target.path
    request["Subject"] = tamper(urllib.parse.parse_qs(target.query)["subject"][0])
    request.set_content("")
    return request.as_bytes()


def headers_of(newsletter) -> str:
    return newsletter.raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("ascii", "replace")


def delivery_report(newsletter, final_recipient: str, action="failed", status="5.1.1") -> bytes:
    """A bounce as Postfix writes it: a notice, the delivery status, the returned headers."""
    return f"""From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
To: bounces@news.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"

--B0UND
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.org. Your message could not be delivered.

--B0UND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Mon,  7 Dec 2026 10:00:00 +0000

Final-Recipient: rfc822; {final_recipient}
Original-Recipient: rfc822;{final_recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} <{final_recipient}>: Recipient address rejected

--B0UND
Content-Type: text/rfc822-headers

{headers_of(newsletter)}

--B0UND--
""".replace("\n", "\r\n").encode()


def feedback_report(newsletter, feedback_type="abuse") -> bytes:
    """A complaint as mailbox providers send it (ARF), the reader's address redacted."""
    redacted = headers_of(newsletter).replace(newsletter["To"], "redacted@example.org")
    return f"""From: feedback@isp.example
To: abuse@news.example
Subject: complaint about message from news.example
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"

--ARF
Content-Type: text/plain

This is an email abuse report.

--ARF
Content-Type: message/feedback-report

Feedback-Type: {feedback_type}
User-Agent: ISP-FBL/1.0
Version: 1

--ARF
Content-Type: text/rfc822-headers

{redacted}

--ARF--
""".replace("\n", "\r\n").encode()


def status(address: str) -> str:
    return Subscriber.objects.get(email=address).status


def test_a_reader_mailing_the_unsubscribe_address_is_unsubscribed_and_only_that_reader(delivered, tmp_path):
    request = tmp_path / "request.eml"
    request.write_bytes(unsubscribe_request(delivered[READERS[0]], sender=READERS[0]))
    call_command("newsletter_returns", file=str(request), verbosity=0)
    assert status(READERS[0]) == Subscriber.Status.UNSUBSCRIBED
    assert status(READERS[1]) == Subscriber.Status.CONFIRMED
    assert returns.handle_bytes(request.read_bytes()) == returns.Outcome.UNSUBSCRIBED  # twice is fine
    assert not Suppression.objects.exists()


def test_the_request_counts_whoever_forwards_it_but_not_a_forged_or_missing_token(delivered):
    # The signed token is the authority: a request forwarded from another mailbox still works.
    assert returns.handle_bytes(unsubscribe_request(delivered[READERS[0]], sender="other@example.net")) == returns.Outcome.UNSUBSCRIBED
    forged = unsubscribe_request(delivered[READERS[1]], sender=READERS[1], tamper=lambda subject: subject[:-3] + "xyz")
    for message in [forged, b"Subject: unsubscribe\r\n\r\n", b"Subject: unsubscribe hala@example.org\r\n\r\n"]:
        assert returns.handle_bytes(message) == returns.Outcome.IGNORED
    assert status(READERS[1]) == Subscriber.Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_a_hard_bounce_piped_from_the_mail_server_suppresses_the_address(delivered, tmp_path, settings):
    """The real pipe: the mail server runs `akhbar newsletter_returns` with the report on stdin."""
    report = delivery_report(delivered[READERS[1]], READERS[1])
    env = app_env(tmp_path, 0, DATABASE_URL=database_url_of_this_run(), DJANGO_SECRET_KEY=settings.SECRET_KEY)
    done = subprocess.run(
        [sys.executable, "-m", "akhbar.manage", "newsletter_returns"], input=report, cwd=REPO_DIR, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    assert done.stdout.decode().strip() == "bounced"
    suppression = Suppression.objects.get()
    assert suppression.email == READERS[1] and suppression.reason == Suppression.Reason.BOUNCE and "5.1.1" in suppression.note
    assert status(READERS[1]) == Subscriber.Status.UNSUBSCRIBED and status(READERS[0]) == Subscriber.Status.CONFIRMED


def test_the_mail_server_is_told_to_retry_when_the_database_is_down(delivered, tmp_path, settings):
    env = app_env(tmp_path, 0, DATABASE_URL="postgres://nobody@127.0.0.1:9/none", DJANGO_SECRET_KEY=settings.SECRET_KEY)
    done = subprocess.run(
        [sys.executable, "-m", "akhbar.manage", "newsletter_returns"], input=unsubscribe_request(delivered[READERS[0]], READERS[0]),
        cwd=REPO_DIR, env=env, capture_output=True, timeout=120,
    )
    assert done.returncode == 75, done.stderr.decode()[-3000:]  # EX_TEMPFAIL: the server keeps the message
    assert "try again later" in done.stderr.decode()


def test_soft_bounces_and_reports_that_do_not_match_their_quoted_newsletter_change_nothing(delivered):
    newsletter = delivered[READERS[0]]
    for report in [
        delivery_report(newsletter, READERS[0], action="delayed", status="4.4.1"),  # the server still tries
        delivery_report(newsletter, READERS[0], action="failed", status="4.2.2"),  # not permanent
        delivery_report(newsletter, READERS[1]),  # quotes hala's newsletter, names omar
        delivery_report(newsletter, READERS[0]).replace(b"/>", b"xyz/>", 1),  # the token's signature broken
        feedback_report(newsletter, feedback_type="not-spam"),
    ]:
        assert returns.handle_bytes(report) == returns.Outcome.IGNORED
    assert not Suppression.objects.exists()
    assert {status(address) for address in READERS} == {Subscriber.Status.CONFIRMED}


def test_a_forged_report_without_our_headers_suppresses_nobody(delivered):
    forged = delivery_report(delivered[READERS[0]], READERS[0])
    start, end = forged.index(b"Content-Type: text/rfc822-headers"), forged.index(b"--B0UND--")
    forged = forged[:start] + b"Content-Type: text/rfc822-headers\r\n\r\nTo: hala@example.org\r\nSubject: hi\r\n\r\n" + forged[end:]
    assert returns.handle_bytes(forged) == returns.Outcome.IGNORED
    assert not Suppression.objects.exists()


def test_a_complaint_suppresses_the_reader_even_with_their_address_redacted(delivered):
    assert returns.handle_bytes(feedback_report(delivered[READERS[0]])) == returns.Outcome.COMPLAINED
    assert Suppression.objects.get().email == READERS[0]
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe" * 1000,
        b"Subject: =?x-unknown?B?2KfZhNi52LHYqNmK2Kk=?=\r\n\r\nbody",
        "Subject: unsubscribe \u202e.abc\u202c\r\n\r\n".encode(),
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n\x00garbage",
        b"Content-Type: multipart/report; report-type=feedback-report\r\n\r\nno parts at all",
        b"Subject: unsubscribe " + b"A" * (returns.MAX_MESSAGE_BYTES + 10),
    ],
    ids=["empty", "binary", "unknown charset", "bidi controls", "broken report", "report without parts", "huge"],
)
def test_malformed_returned_mail_is_ignored_without_an_error(delivered, raw):
    assert returns.handle_bytes(raw) == returns.Outcome.IGNORED
    assert not Suppression.objects.exists()
    assert {status(address) for address in READERS} == {Subscriber.Status.CONFIRMED}


def test_the_worker_reads_the_returns_maildir_deletes_what_it_acted_on_and_keeps_the_rest(delivered, settings, tmp_path):
    box = mailbox.Maildir(tmp_path / "returns", create=True)
    acted = box.add(unsubscribe_request(delivered[READERS[0]], sender=READERS[0]))
    bounced = box.add(delivery_report(delivered[READERS[1]], READERS[1]))
    person = EmailMessage()
    person["From"], person["Subject"] = "reader@example.org", "شكرا على النشرة"
    person.set_content("رسالة من قارئ يجب أن يقرأها أحد")
    kept = box.add(person.as_bytes())
    settings.NEWSLETTER_RETURNS_MAILDIR = str(tmp_path / "returns")

    counts = REGISTRY["newsletter_returns"].func()
    assert counts == {"unsubscribed": 1, "bounced": 1, "complained": 0, "ignored": 1}
    assert status(READERS[0]) == Subscriber.Status.UNSUBSCRIBED
    assert Suppression.objects.get().email == READERS[1]
    box = mailbox.Maildir(tmp_path / "returns", create=False)
    assert acted not in box and bounced not in box  # readers' addresses are not kept longer than needed
    assert box.get_message(kept).get_subdir() == "cur" and "S" in box.get_message(kept).get_flags()
    assert REGISTRY["newsletter_returns"].func() == {"unsubscribed": 0, "bounced": 0, "complained": 0, "ignored": 0}


def test_a_missing_maildir_is_a_clear_error_and_does_not_stop_the_worker(settings, tmp_path):
    with pytest.raises(CommandError, match="No Maildir"):
        call_command("newsletter_returns", maildir=str(tmp_path / "nowhere"), verbosity=0)
    settings.NEWSLETTER_RETURNS_MAILDIR = str(tmp_path / "nowhere")
    assert REGISTRY["newsletter_returns"].func() is None
    settings.NEWSLETTER_RETURNS_MAILDIR = ""
    assert REGISTRY["newsletter_returns"].func() is None


def test_a_providers_inbound_webhook_event_is_handled_the_same_way(delivered):
    anymail_inbound = pytest.importorskip("anymail.inbound", reason="django-anymail is not installed (pip install 'akhbar[providers]')")
    from anymail.signals import AnymailInboundEvent, inbound

    raw = unsubscribe_request(delivered[READERS[1]], sender=READERS[1])
    event = AnymailInboundEvent(event_type="inbound", message=anymail_inbound.AnymailInboundMessage.parse_raw_mime_bytes(raw))
    inbound.send(sender=object, event=event, esp_name="Test")
    assert status(READERS[1]) == Subscriber.Status.UNSUBSCRIBED
