"""Sending a newsletter issue: resumable, batched, throttled, through Django's email backend.

The sender walks the issue's list in keyset batches (subscriber id > the issue's cursor). For
each batch it first writes one send-log row per recipient, «sending», together with the new
cursor, in one transaction; then it hands the messages to the SMTP server over one connection,
and marks the accepted ones «sent» in one UPDATE. A sender killed at any moment therefore leaves
every recipient either not yet logged (the cursor did not pass them: they are sent later) or
logged «sending»: those few, the batch in flight, are sent again on resume and flagged
uncertain. Nobody is lost; at most one batch is repeated.

Only one sender works on an issue at a time: it holds a lease (a conditional UPDATE, renewed
at each batch). A sender that dies stops renewing; the periodic job `newsletter_send_due` finds
the expired lease and queues the issue again.
"""

import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from smtplib import SMTPRecipientsRefused
from email.utils import formatdate
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from . import mail, tokens
from .models import Delivery, Issue, Subscriber, Suppression

logger = logging.getLogger(__name__)

MANAGE = "__AKHBAR_MANAGE_TOKEN__"  # replaced per recipient in the issue rendered once
MAX_ARTICLES = 50
QUEUED = "queued"


def site_root() -> str:
    return (settings.NEWSLETTER_SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def article_url(article, root: str, issue: Issue) -> str:
    url = article.get_url() or ""
    if not urlsplit(url).scheme:
        url = root + url
    if settings.NEWSLETTER_UTM:
        campaign = f"{issue.list}-{issue.pk}"
        url += ("&" if "?" in url else "?") + urlencode({"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": campaign})
    return url


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    prepared: bytes | None = None  # the whole message serialised once, placeholders in it

    def personal(self, token: str) -> tuple[str, str]:
        return self.text.replace(MANAGE, token), self.html.replace(MANAGE, token)


# Placeholders of the message serialised once per issue (ASCII, unsplittable by header folding).
TO, MESSAGE_ID, DATE = "recipient@akhbar.invalid", "<message-id@akhbar.invalid>", "__AKHBAR_DATE__"


class PreparedMIME:
    """What EmailMessage.message() returns, for backends that serialise it (SMTP, console, file)."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n") -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n") -> str:
        return self.as_bytes(linesep=linesep).decode()


class PreparedMessage(EmailMultiAlternatives):
    """A recipient's copy as a few byte replacements in the issue's serialised message, instead of
    building and encoding the MIME tree again (most of a send's CPU). Its attributes are a normal
    message's, so API backends (anymail) that read them rather than message() work unchanged."""

    data = b""

    def message(self):
        return PreparedMIME(self.data)


def prepare(rendered: Rendered, issue: Issue) -> bytes | None:
    """The issue's message with placeholders, or None when encoding split one (then each copy is built)."""
    headers = {**mail.unsubscribe_headers(site_root(), MANAGE), **issue_headers(issue), "Message-ID": MESSAGE_ID, "Date": DATE}
    data = mail.message(rendered.subject, rendered.text, rendered.html, TO, headers=headers).message().as_bytes(linesep="\r\n")
    expected = rendered.text.count(MANAGE) + rendered.html.count(MANAGE) + 2  # and the two in List-Unsubscribe
    if data.count(MANAGE.encode()) != expected or any(data.count(mark.encode()) != 1 for mark in (TO, MESSAGE_ID, DATE)):
        return None
    return data


def issue_headers(issue: Issue) -> dict[str, str]:
    return {"List-Id": list_id(issue), "Precedence": "bulk"}


def render_issue(issue: Issue) -> Rendered:
    """The issue rendered once (CSS inlined once); each recipient's links are filled in after."""
    root = site_root()
    items = issue.items.select_related("article").order_by("sort_order")[:MAX_ARTICLES]
    stories = [
        {"title": item.article.title, "lede": getattr(item.article, "lede", ""), "url": article_url(item.article, root, issue)}
        for item in items
        if item.article.live
    ]
    manage_path = reverse("newsletter:manage", kwargs={"token": MANAGE})
    context = {
        "issue": issue,
        "subject": issue.subject,
        "stories": stories,
        "manage_url": root + manage_path,
        "unsubscribe_url": root + reverse("newsletter:unsubscribe", kwargs={"token": MANAGE}),
        "privacy_url": root + reverse("newsletter:privacy"),
    }
    text, html = mail.render("issue", context)
    rendered = Rendered(issue.subject, text, html)
    rendered.prepared = prepare(rendered, issue)
    return rendered


def message_for(rendered: Rendered, email: str, issue: Issue, connection):
    token = tokens.manage_token(email)
    text, html = rendered.personal(token)
    headers = {**mail.unsubscribe_headers(site_root(), token), **issue_headers(issue)}
    prepared = rendered.prepared is not None and email.isascii()  # an IDN address is encoded by Django
    cls = PreparedMessage if prepared else EmailMultiAlternatives
    message = mail.message(rendered.subject, text, html, email, headers=headers, connection=connection, cls=cls)
    if prepared:
        message.data = (
            rendered.prepared.replace(MANAGE.encode(), token.encode())
            .replace(TO.encode(), email.encode())
            .replace(MESSAGE_ID.encode(), message.extra_headers["Message-ID"].encode())
            .replace(DATE.encode(), formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode())
        )
    return message


def list_id(issue: Issue) -> str:
    return f"<{issue.list}.newsletter.{mail.from_domain()}>"


class Pacer:
    """At most `rate` messages a second (0: no limit) across all connections, without drifting."""

    def __init__(self, rate: float):
        self.interval = 1 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:  # each caller takes the next free slot
            now = time.monotonic()
            slot = max(self.next_at, now)
            self.next_at = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def lease_seconds() -> timezone.timedelta:
    """Long enough for a batch at the configured pace, so that a slow sender never loses its lease."""
    seconds = settings.NEWSLETTER_LEASE_SECONDS
    if settings.NEWSLETTER_RATE > 0:
        seconds = max(seconds, 3 * settings.NEWSLETTER_BATCH / settings.NEWSLETTER_RATE)
    return timezone.timedelta(seconds=seconds)


def claim(issue_id: int, owner: str) -> bool:
    """Take the issue's lease: it is scheduled and due, or a sender's lease has run out."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=QUEUED)
    due = Q(status=Issue.Status.SENDING) | (Q(status=Issue.Status.SCHEDULED) & (Q(send_at__isnull=True) | Q(send_at__lte=now)))
    return bool(
        Issue.objects.filter(due, free, pk=issue_id).update(status=Issue.Status.SENDING, lease_owner=owner, lease_until=now + lease_seconds())
    )


def renew(issue_id: int, owner: str, **fields) -> bool:
    return bool(Issue.objects.filter(pk=issue_id, lease_owner=owner).update(lease_until=timezone.now() + lease_seconds(), **fields))


def next_recipients(issue: Issue, after: int, limit: int) -> list[tuple[int, str]]:
    """The next confirmed subscribers of the issue's list after id `after`, never suppressed ones."""
    return list(
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, id__gt=after, **{issue.list: True})
        .exclude(email__in=Suppression.objects.values("email"))
        .order_by("id")
        .values_list("id", "email")[:limit]
    )


def in_flight(issue: Issue, limit: int) -> list[tuple[int, str]]:
    """Log rows left «sending» by a sender that stopped, with their addresses if still subscribed."""
    rows = list(
        Delivery.objects.filter(issue=issue, status=Delivery.Status.SENDING)
        .order_by("id")
        .values_list("id", "subscriber__email", "subscriber__status")[:limit]
    )
    gone = [pk for pk, _, status in rows if status != Subscriber.Status.CONFIRMED]
    if gone:
        Delivery.objects.filter(pk__in=gone).update(status=Delivery.Status.SKIPPED)
    return [(pk, email) for pk, email, status in rows if status == Subscriber.Status.CONFIRMED]


def deliver(issue: Issue, rendered: Rendered, rows: list[tuple[int, str]], pool: "Pool", pacer: Pacer) -> int:
    """Hand one batch to the SMTP server; mark what it accepted (and refused). The number sent."""
    sent, refused = [], []

    def send_share(connection, share) -> None:
        for delivery_id, email in share:
            pacer.wait()
            try:
                accepted = connection.send_messages([message_for(rendered, email, issue, connection)])
            except SMTPRecipientsRefused:
                accepted = 0
            (sent if accepted else refused).append(delivery_id)

    try:
        pool.run(send_share, rows)
    finally:  # even when the server goes away mid-batch, what it accepted is logged as sent
        now = timezone.now()
        Delivery.objects.filter(pk__in=sent).update(status=Delivery.Status.SENT, sent_at=now)
        Delivery.objects.filter(pk__in=refused).update(status=Delivery.Status.FAILED)
    return len(sent)


class Pool:
    """NEWSLETTER_CONNECTIONS open SMTP connections, each fed by a thread of its own: while one
    waits for the server's answer, another builds its next message."""

    def __init__(self, size: int):
        self.connections = [get_connection() for _ in range(max(1, size))]
        for connection in self.connections:
            connection.open()
        self.executor = ThreadPoolExecutor(max_workers=len(self.connections)) if len(self.connections) > 1 else None

    def run(self, work, rows) -> None:
        if self.executor is None:
            return work(self.connections[0], rows)
        shares = [rows[n :: len(self.connections)] for n in range(len(self.connections))]
        for future in [self.executor.submit(work, c, share) for c, share in zip(self.connections, shares) if share]:
            future.result()  # re-raises a connection's failure, after every share has finished

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown()
        for connection in self.connections:
            connection.close()


@task()
def send_issue(issue_id: int) -> int:
    """Send (or go on sending) one issue; returns the number of messages sent by this run."""
    owner = uuid.uuid4().hex
    if not claim(issue_id, owner):
        return 0
    issue = Issue.objects.get(pk=issue_id)
    with translation.override(settings.LANGUAGE_CODE):
        rendered = render_issue(issue)
    batch, pacer, total = max(1, settings.NEWSLETTER_BATCH), Pacer(settings.NEWSLETTER_RATE), 0
    pool = Pool(settings.NEWSLETTER_CONNECTIONS)
    try:
        while True:
            rows = in_flight(issue, batch)
            if rows:  # in flight when a sender stopped: sent again, flagged as possibly repeated
                Delivery.objects.filter(pk__in=[pk for pk, _ in rows]).update(uncertain=True)
                logger.warning("newsletter issue %s: %d messages in flight at a stop are sent again", issue.pk, len(rows))
            else:
                recipients = next_recipients(issue, issue.cursor, batch)
                if not recipients:
                    break
                with transaction.atomic():
                    if not renew(issue.pk, owner, cursor=recipients[-1][0]):
                        logger.warning("newsletter issue %s: lease lost; another sender goes on", issue.pk)
                        return total
                    Delivery.objects.bulk_create(
                        [Delivery(issue_id=issue.pk, subscriber_id=pk) for pk, _ in recipients], ignore_conflicts=True
                    )
                issue.cursor = recipients[-1][0]
                ids = dict(
                    Delivery.objects.filter(issue=issue, subscriber_id__in=[pk for pk, _ in recipients], status=Delivery.Status.SENDING)
                    .values_list("subscriber_id", "id")
                )
                rows = [(ids[pk], email) for pk, email in recipients if pk in ids]
            total += deliver(issue, rendered, rows, pool, pacer)
        Issue.objects.filter(pk=issue.pk, lease_owner=owner).update(
            status=Issue.Status.SENT, finished_at=timezone.now(), lease_until=None, lease_owner=""
        )
        logger.info("newsletter issue %s sent (%d messages by this run)", issue.pk, total)
        return total
    finally:
        pool.close()


def queue_due(now=None) -> list[int]:
    """Queue every issue that is due, or whose sender stopped renewing its lease."""
    now = now or timezone.now()
    due_time = Q(status=Issue.Status.SCHEDULED) & (Q(send_at__isnull=True) | Q(send_at__lte=now))
    lease_free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    queued = []
    for pk in Issue.objects.filter(due_time | Q(status=Issue.Status.SENDING), lease_free).values_list("pk", flat=True)[:20]:
        # Marked queued (a lease of its own) so that the next ticks do not queue it again while it
        # waits for a worker; if no worker takes it within the lease, it is queued again.
        if Issue.objects.filter(lease_free, pk=pk).update(lease_owner=QUEUED, lease_until=now + lease_seconds()):
            transaction.on_commit(lambda pk=pk: send_issue.enqueue(pk), robust=True)
            queued.append(pk)
    return queued


def send_test(issue: Issue, email: str) -> None:
    """The issue exactly as subscribers get it, to one address, logging nothing."""
    with translation.override(settings.LANGUAGE_CODE):
        rendered = render_issue(issue)
        rendered.subject = "[" + translation.gettext("Test") + "] " + rendered.subject
        rendered.prepared = None  # serialised with the subscribers' subject
    message_for(rendered, email, issue, None).send()
