"""The daily digest assembles itself: once a day, from NEWSLETTER_DIGEST_HOUR (the site's time
zone), an issue of the articles published since the last digest, scheduled at once. A day
without new articles sends nothing."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from .models import Issue, IssueArticle


def assemble_daily_digest(now: dt.datetime | None = None) -> Issue | None:
    from akhbar.news.models import ArticlePage

    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.NEWSLETTER_DIGEST_HOUR:
        return None
    last = Issue.objects.filter(automatic=True, list="daily").order_by("-created_at").only("created_at").first()
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if last is not None and last.created_at >= start_of_day:
        return None  # today's is made
    since = last.created_at if last is not None else now - dt.timedelta(days=1)
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
        subject = translation.gettext("Daily digest · %(date)s") % {"date": date_format(local, "j F Y")}
    with transaction.atomic():
        issue = Issue.objects.create(subject=subject, list="daily", status=Issue.Status.SCHEDULED, automatic=True, created_at=now)
        IssueArticle.objects.bulk_create(IssueArticle(issue=issue, article_id=a.pk, sort_order=n) for n, a in enumerate(articles))
    return issue
