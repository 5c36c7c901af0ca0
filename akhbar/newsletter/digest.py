"""Digests assemble themselves: the daily one once a day from NEWSLETTER_DIGEST_HOUR (the site's
time zone), the weekly roundup once a week on NEWSLETTER_WEEKLY_DAY from the same hour; each is
an issue of the articles published since the last one of its list, scheduled at once. A period
without new articles sends nothing."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from .models import Issue, IssueArticle


@dataclass(frozen=True)
class Digest:
    list: str
    period: dt.timedelta
    subject: str  # a msgid, with %(date)s


DAILY = Digest("daily", dt.timedelta(days=1), gettext_noop("Daily digest · %(date)s"))
WEEKLY = Digest("weekly", dt.timedelta(days=7), gettext_noop("Weekly roundup · %(date)s"))


def due(digest: Digest, local: dt.datetime, last: Issue | None) -> bool:
    if local.hour < settings.NEWSLETTER_DIGEST_HOUR:
        return False
    if digest is WEEKLY and local.weekday() != settings.NEWSLETTER_WEEKLY_DAY:
        return False
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return last is None or last.created_at < start_of_day  # one per day at most


def assemble(digest: Digest, now: dt.datetime | None = None) -> Issue | None:
    from akhbar.news.models import ArticlePage

    now = now or timezone.now()
    local = timezone.localtime(now)
    last = Issue.objects.filter(automatic=True, list=digest.list).order_by("-created_at").only("created_at").first()
    if not due(digest, local, last):
        return None
    since = last.created_at if last is not None else now - digest.period
    articles = list(
        ArticlePage.objects.live()
        .public()
        .filter(published_at__gt=since, published_at__lte=now)
        .order_by("-published_at")
        .only("id")[: settings.NEWSLETTER_DIGEST_ARTICLES]
    )
    if not articles:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext(digest.subject) % {"date": date_format(local, "j F Y")}
    with transaction.atomic():
        issue = Issue.objects.create(subject=subject, list=digest.list, status=Issue.Status.SCHEDULED, automatic=True, created_at=now)
        IssueArticle.objects.bulk_create(IssueArticle(issue=issue, article_id=a.pk, sort_order=n) for n, a in enumerate(articles))
    return issue


def assemble_daily_digest(now: dt.datetime | None = None) -> Issue | None:
    return assemble(DAILY, now)


def assemble_weekly_roundup(now: dt.datetime | None = None) -> Issue | None:
    return assemble(WEEKLY, now)
