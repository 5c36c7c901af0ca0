"""Mail that comes back to the newsletter over plain SMTP: unsubscribe requests sent to the
List-Unsubscribe mailto, bounce reports (RFC 3464 delivery status notifications) and complaint
reports (RFC 5965 feedback reports).

Each is acted on only when it carries a signed link of Akhbar's own: the request's subject is
the «unsubscribe <token>» that the mailto put there, and a report quotes the headers of the
newsletter it is about, whose List-Unsubscribe holds the recipient's signed token. Anyone can
send mail to these addresses; without that proof a message changes nothing, so nobody can
unsubscribe or suppress someone else by mailing a forged report.

The messages arrive from the mail server that receives for these addresses: piped to
`akhbar newsletter_returns` (one message on standard input), left in a Maildir the worker reads
(NEWSLETTER_RETURNS_MAILDIR), or posted by a provider's inbound webhook through django-anymail.
"""

import email
import email.policy
import enum
import logging
import mailbox
import re
from email.message import Message
from pathlib import Path

from . import subscriptions, tokens
from .models import Suppression, normalise_email

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 2_000_000  # returned mail quotes headers, not whole newsletters; larger is not ours
MAX_PARTS = 50
MAILDIR_BATCH = 200
_TOKEN = re.compile(r"[A-Za-z0-9_\-.:]{20,%d}" % tokens.MAX_TOKEN)
_LIST_UNSUBSCRIBE_LINK = re.compile(r"/newsletter/unsubscribe/([^/>\s]+)/")


class Outcome(enum.StrEnum):
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    IGNORED = "ignored"


def handle_bytes(raw: bytes) -> Outcome:
    """Act on one returned message given as it arrived (bytes in any encoding, or garbage)."""
    if not raw or len(raw) > MAX_MESSAGE_BYTES:
        logger.info("newsletter returns: a message of %d bytes ignored (empty or too large)", len(raw or b""))
        return Outcome.IGNORED
    return handle_message(email.message_from_bytes(raw, policy=email.policy.compat32))


def handle_message(message: Message) -> Outcome:
    try:
        report_type = (message.get_param("report-type", header="content-type") or "").lower()
        if message.get_content_type() == "multipart/report" and report_type == "delivery-status":
            outcome = handle_delivery_report(message)
        elif message.get_content_type() == "multipart/report" and report_type == "feedback-report":
            outcome = handle_feedback_report(message)
        else:
            outcome = handle_unsubscribe_request(message)
    except (ValueError, TypeError, LookupError, AttributeError, UnicodeError) as error:
        # A malformed message (broken MIME, unknown charset): nothing of ours to act on.
        logger.info("newsletter returns: an unreadable message ignored (%s)", type(error).__name__)
        return Outcome.IGNORED
    logger.info("newsletter returns: a returned message %s", outcome.value)
    return outcome


def handle_unsubscribe_request(message: Message) -> Outcome:
    """«unsubscribe <token>» in the subject, as the List-Unsubscribe mailto asked for."""
    subject = header_text(message.get("Subject", ""))
    words = subject.split()
    if not words or "unsubscribe" not in (word.lower() for word in words[:3]):
        return Outcome.IGNORED
    for candidate in _TOKEN.findall(subject):
        address = tokens.read_manage(candidate)
        if address:
            subscriptions.unsubscribe(address)
            return Outcome.UNSUBSCRIBED
    return Outcome.IGNORED


def handle_delivery_report(message: Message) -> Outcome:
    """A hard bounce (Action: failed, a 5.x.x status) for the address the quoted newsletter went to."""
    address = quoted_newsletter_recipient(message)
    if address is None:
        return Outcome.IGNORED
    for part in limited_parts(message):
        if part.get_content_type() != "message/delivery-status":
            continue
        for fields in status_groups(part):
            recipient = fields.get("final-recipient", "").rpartition(";")[2].strip()
            failed = fields.get("action", "").strip().lower() == "failed" and fields.get("status", "").strip().startswith("5")
            if failed and recipient and normalise_email(recipient) == address:
                subscriptions.suppress(address, Suppression.Reason.BOUNCE, note=f"DSN {fields.get('status', '').strip()}"[:300])
                return Outcome.BOUNCED
    return Outcome.IGNORED


def handle_feedback_report(message: Message) -> Outcome:
    """A reader marked the newsletter as spam; providers often hide the address, the token does not."""
    feedback = next((part for part in limited_parts(message) if part.get_content_type() == "message/feedback-report"), None)
    address = quoted_newsletter_recipient(message)
    if feedback is None or address is None:
        return Outcome.IGNORED
    kind = next((fields.get("feedback-type", "") for fields in status_groups(feedback)), "").strip().lower()
    if kind not in {"abuse", "fraud", ""}:
        return Outcome.IGNORED  # e.g. «not-spam» or «virus»: not a complaint about our mail
    subscriptions.suppress(address, Suppression.Reason.COMPLAINT, note="ARF complaint")
    return Outcome.COMPLAINED


def quoted_newsletter_recipient(report: Message) -> str | None:
    """The address in the signed unsubscribe link of the newsletter a report quotes, if any."""
    for part in limited_parts(report):
        kind = part.get_content_type()
        if kind in {"message/rfc822", "message/rfc822-headers"} and part.is_multipart():
            quoted = part.get_payload(0)
        elif kind in {"text/rfc822-headers", "message/rfc822-headers", "message/rfc822"}:
            quoted = email.message_from_string(decoded_text(part), policy=email.policy.compat32)
        else:
            continue
        for link in _LIST_UNSUBSCRIBE_LINK.findall(header_text(quoted.get("List-Unsubscribe", ""))):
            address = tokens.read_manage(link)
            if address:
                return normalise_email(address)
    return None


def status_groups(part: Message) -> list[dict[str, str]]:
    """The field groups of a message/delivery-status or message/feedback-report part, names lower-cased."""
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else [email.message_from_string(chunk) for chunk in str(payload).split("\n\n")]
    return [{name.lower(): header_text(value) for name, value in block.items()} for block in blocks[:MAX_PARTS]]


def limited_parts(message: Message):
    for n, part in enumerate(message.walk()):
        if n >= MAX_PARTS:
            return
        yield part


def decoded_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        return str(part.get_payload())
    return payload.decode(part.get_content_charset() or "utf-8", "replace")


def header_text(value) -> str:
    """A header's text, RFC 2047 words decoded, undecodable bytes replaced."""
    try:
        return str(email.header.make_header(email.header.decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):
        return str(value).encode("utf-8", "replace").decode("utf-8", "replace")


def process_maildir(path: str | Path, limit: int = MAILDIR_BATCH) -> dict[str, int]:
    """Act on the new messages of a Maildir. Those acted on are deleted (they hold readers'
    addresses and nothing more is needed from them); the others move to cur/, marked seen, for a
    person to read. Counts by outcome."""
    try:
        box = mailbox.Maildir(path, factory=None, create=False)
    except mailbox.NoSuchMailboxError as error:
        raise FileNotFoundError(str(path)) from error
    counts = {outcome.value: 0 for outcome in Outcome}
    for key in list(box.iterkeys()):
        if limit <= 0:
            break
        message = box.get_message(key)
        if message.get_subdir() != "new":
            continue
        limit -= 1
        with box.get_file(key) as stream:
            outcome = handle_bytes(stream.read(MAX_MESSAGE_BYTES + 1))
        counts[outcome.value] += 1
        if outcome is Outcome.IGNORED:
            message.set_subdir("cur")
            message.add_flag("S")
            box[key] = message
        else:
            box.discard(key)
    return counts


def on_inbound(sender, event, esp_name, **kwargs) -> None:
    """django-anymail's normalised inbound event (a provider's inbound webhook)."""
    if event.message is not None:
        handle_message(event.message)


def connect() -> None:
    try:
        from anymail.signals import inbound
    except ImportError:  # no provider integration installed
        return
    inbound.connect(on_inbound, dispatch_uid="akhbar.newsletter.returns")
