"""Spam and abuse checks a comment passes before it is saved.

Cheap signals first: the honeypot field, the time since the form was opened (a signed stamp:
akhbar.core.public_forms), the number of links, the
blocklist of words and domains, bans. An optional checker (Akismet-style) sits behind
`SpamChecker`; it is off unless COMMENTS_SPAM_CHECKER names one.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

@dataclass
class Verdict:
    spam: bool = False
    reasons: list[str] = field(default_factory=list)

    def flag(self, reason: str) -> None:
        self.spam = True
        self.reasons.append(reason)


class SpamChecker:
    """Interface of an external checker: return True when the comment is spam.

    Implementations must time out quickly and return False on failure (a checker outage must
    not block readers); they receive the comment before it is saved and the request.
    """

    def is_spam(self, comment, request) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


def configured_checker() -> SpamChecker | None:
    path = getattr(settings, "COMMENTS_SPAM_CHECKER", "")
    return import_string(path)() if path else None


def blocklist_verdict(comment, comment_settings, hosts: list[str]) -> Verdict:
    verdict = Verdict()
    haystack = f"{comment.name}\n{comment.text}\n{comment.email}".casefold()
    for word in comment_settings.lines("blocked_words"):
        if word.casefold() in haystack:
            verdict.flag(f"word:{word}")
            break
    domains = comment_settings.lines("blocked_domains")
    email_host = comment.email.rpartition("@")[2].lower()
    for host in [*hosts, email_host]:
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            verdict.flag(f"domain:{host}")
            break
    return verdict
