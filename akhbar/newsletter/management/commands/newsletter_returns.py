"""`akhbar newsletter_returns`: act on mail returned to the newsletter (unsubscribe requests,
bounce and complaint reports; akhbar/newsletter/returns.py).

For the mail server's pipe delivery (Postfix: a transport `| akhbar newsletter_returns`), it
reads one message on standard input; with `--maildir` it reads a Maildir's new messages. The
exit status follows sendmail's convention: 0 when the message was taken (acted on or not),
75 (try again later) when the database could not be reached, so the mail server keeps it.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from akhbar.newsletter import returns

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Act on one returned message (standard input, or --file) or on a Maildir's new messages."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--file", help="Read the message from this file instead of standard input.")
        source.add_argument("--maildir", help="Process the new messages of this Maildir.")

    def handle(self, *, file, maildir, verbosity, **options):
        try:
            if maildir:
                try:
                    counts = returns.process_maildir(maildir)
                except FileNotFoundError as error:
                    raise CommandError(f"No Maildir at {maildir}") from error
                if verbosity:
                    self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))
                return
            raw = self.read(file)
            outcome = returns.handle_bytes(raw)
        except DatabaseError as error:
            self.stderr.write(f"database unavailable, try again later: {type(error).__name__}")
            sys.exit(EX_TEMPFAIL)
        if verbosity:
            self.stdout.write(outcome.value)

    def read(self, file: str | None) -> bytes:
        """At most one byte beyond the limit: enough to know a message is too large."""
        limit = returns.MAX_MESSAGE_BYTES + 1
        if file:
            try:
                with open(file, "rb") as stream:
                    return stream.read(limit)
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        return sys.stdin.buffer.read(limit)
