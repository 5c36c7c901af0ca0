"""Spam and abuse checks a comment passes before it is saved.

Cheap signals first: the honeypot field, the time since the form was opened (a signed stamp:
akhbar.core.public_forms), the number of links, the
blocklist of words and domains, bans. An optional checker (Akismet-style) sits behind
`SpamChecker`; it is off unless COMMENTS_SPAM_CHECKER names one (AKHBAR_AKISMET_KEY alone
turns on `AkismetChecker`). A checker that cannot be loaded or fails holds the comment for
moderation (posting.submit): it never publishes one unchecked, nor answers a reader with a 500.
"""

import datetime as dt
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Invisible marks a spammer can slip inside a word to dodge the blocklist but that real text
# needs (so they stay in the comment): zero-width non-joiner and joiner (Persian, emoji), the
# left-to-right and right-to-left marks, and the Arabic letter mark. Ignored for matching only.
IGNORED_FOR_MATCHING = str.maketrans("", "", "\u200c\u200d\u200e\u200f\u061c")


@dataclass
class Verdict:
    spam: bool = False
    reasons: list[str] = field(default_factory=list)

    def flag(self, reason: str) -> None:
        self.spam = True
        self.reasons.append(reason)


class SpamChecker:
    """Interface of an external checker: return True when the comment is spam.

    Implementations must time out quickly; they receive the comment before it is saved and the
    request. Raising (a timeout, an answer that makes no sense) holds the comment for
    moderation: a checker outage neither blocks readers nor publishes unchecked comments.
    """

    def is_spam(self, comment, request) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class CheckerFailed(Exception):
    """The checker gave no usable answer."""


class AkismetChecker(SpamChecker):
    """Akismet's comment-check API, or any service that speaks it.

    Settings: AKISMET_KEY (required), AKISMET_BLOG_URL (the site's address as registered with
    the service; WAGTAILADMIN_BASE_URL by default), AKISMET_URL (the API's base, for a
    compatible service or a test double) and AKISMET_TIMEOUT (seconds). The answer body is
    `true` (spam) or `false`; anything else, an HTTP error or a timeout raises CheckerFailed.
    """

    def __init__(self):
        self.key = getattr(settings, "AKISMET_KEY", "")
        if not self.key:
            raise ImproperlyConfigured("AkismetChecker needs AKHBAR_AKISMET_KEY")
        self.blog = getattr(settings, "AKISMET_BLOG_URL", "") or settings.WAGTAILADMIN_BASE_URL
        self.endpoint = getattr(settings, "AKISMET_URL", "https://rest.akismet.com/1.1/").rstrip("/") + "/comment-check"
        self.timeout = float(getattr(settings, "AKISMET_TIMEOUT", 3))

    def fields(self, comment, request) -> dict:
        article = comment.article
        permalink = ""
        try:
            parts = article.get_url_parts(request)
            if parts and parts[1]:
                permalink = parts[1].rstrip("/") + parts[2]
        except Exception:  # an address is a hint to the service, never a reason to fail
            pass
        return {
            "api_key": self.key,
            "blog": self.blog,
            "user_ip": comment.ip_address or "",
            "user_agent": comment.user_agent,
            "referrer": request.META.get("HTTP_REFERER", "")[:500],
            "permalink": permalink,
            "comment_type": "reply" if comment.parent_id else "comment",
            "comment_author": comment.name,
            "comment_author_email": comment.email,
            "comment_content": comment.text,
            "comment_date_gmt": (comment.created_at or timezone.now()).astimezone(dt.timezone.utc).isoformat(),
            "blog_lang": settings.LANGUAGE_CODE,
            "blog_charset": "UTF-8",
        }

    def is_spam(self, comment, request) -> bool:
        body = urllib.parse.urlencode(self.fields(comment, request)).encode()
        call = urllib.request.Request(
            self.endpoint,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "Akhbar/1 | Akismet"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(call, timeout=self.timeout) as response:
                answer = response.read(100).decode("utf-8", "replace").strip()
                help_text = response.headers.get("X-akismet-debug-help", "")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise CheckerFailed(f"Akismet did not answer: {error}") from error
        if answer == "true":
            return True
        if answer == "false":
            return False
        raise CheckerFailed(f"Akismet answered {answer[:40]!r} {help_text[:200]}".strip())


def configured_checker() -> SpamChecker | None:
    """The checker COMMENTS_SPAM_CHECKER names, or None; raises when it cannot be made (a
    mistyped path, a missing key): the caller holds the comment."""
    path = getattr(settings, "COMMENTS_SPAM_CHECKER", "")
    return import_string(path)() if path else None


def blocklist_verdict(comment, comment_settings, hosts: list[str]) -> Verdict:
    verdict = Verdict()
    haystack = f"{comment.name}\n{comment.text}\n{comment.email}".casefold().translate(IGNORED_FOR_MATCHING)
    for word in comment_settings.lines("blocked_words"):
        needle = word.casefold().translate(IGNORED_FOR_MATCHING)
        if needle and needle in haystack:
            verdict.flag(f"word:{word}")
            break
    domains = comment_settings.lines("blocked_domains")
    email_host = comment.email.rpartition("@")[2].lower()
    for host in [*hosts, email_host]:
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            verdict.flag(f"domain:{host}")
            break
    return verdict
