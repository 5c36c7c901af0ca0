"""Readers' endpoints: post a comment, the uncached form page, the form's time stamp, more
comments and more replies.

The article page is cached and holds no token. With JavaScript, the form fetches a CSRF token
(/csrf/) and a signed time stamp (/comments/stamp/) and posts with fetch(); without it, the
browser posts the form as it is: nothing is saved without a valid token, and the reader gets
this uncached page with what they wrote and a fresh token, to send again.
"""

import logging

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import transaction
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akhbar.core import ratelimit
from akhbar.core.client_ip import client_ip, parse_address
from akhbar.core.public_forms import csrf_valid, make_stamp, over_limit, token_page, wants_json

from . import listing, notify, posting
from .forms import CommentForm, ForgetForm, max_length
from .models import SHOWN_IN_THREADS, Comment, CommentSettings

logger = logging.getLogger(__name__)
MAX_ID = 2**63 - 1


def get_article(article_id: int):
    from akhbar.news.models import ArticlePage

    if article_id > MAX_ID:
        raise Http404
    article = ArticlePage.objects.live().public().filter(pk=article_id).defer_streamfields().first()
    if article is None:
        raise Http404
    return article


def form_page(request, article, form, *, status=200, message="", parent=None):
    if parent is None:  # a reply sent back with a message keeps its place in the thread
        parent_id = listing.parse_cursor(str(form["parent"].value() or ""))
        if parent_id is not None:
            parent = listing.public(article.pk).filter(pk=parent_id).first()
    context = {
        "article": article,
        "form": form,
        "message": message,
        "parent": parent,
        "stamp": make_stamp(),
        # This page is never cached, so it may carry the reader's token (the article page may not).
        "csrf_field": format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)),
        "max_length": max_length(),
    }
    response = render(request, "comments/write_page.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def failure(request, article, form, message: str, status: int, errors: dict | None = None):
    if wants_json(request):
        return JsonResponse(
            {"ok": False, "message": message, "errors": errors or {}},
            status=status,
            headers={"Cache-Control": "no-store"},
            json_dumps_params={"ensure_ascii": False},
        )
    return form_page(request, article, form, status=status, message=message)


def kept_form(posted) -> CommentForm:
    """An unbound form showing what the reader wrote (no errors: nothing was wrong with it)."""
    return CommentForm(initial={key: posted.get(key, "") for key in ("name", "email", "text", "parent")})


def rate_limited(request, article, posted, retry_after: int):
    """429 with Retry-After, answered like every other refusal: JSON with `message` for the
    script, or the form page with the reader's text kept, to send once the wait is over."""
    message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {"seconds": retry_after}
    response = failure(request, article, kept_form(posted), message, 429)
    response["Retry-After"] = str(retry_after)
    return response


@csrf_exempt
@never_cache
@require_POST
def post_comment(request, article_id: int):
    article = get_article(article_id)
    try:
        posted = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return failure(request, article, CommentForm(), _("The comment is far too long to be sent."), 413)

    ip = client_ip(request)
    retry_after = over_limit("comments", ip)
    if retry_after:
        return rate_limited(request, article, posted, retry_after)

    comment_settings = CommentSettings.load(request_or_site=request)
    form = CommentForm(posted, max_links=comment_settings.max_links)
    if not csrf_valid(request):
        # A reader without JavaScript (or whose page sat open too long): nothing is saved; the
        # same text comes back on an uncached page with a token, to be sent again.
        form = kept_form(posted)
        message = _("Please check your comment and press «Send» again.")
        if wants_json(request):
            return failure(request, article, form, message, 403)
        return form_page(request, article, form, message=message)  # a step, not an error, for the reader

    if not form.is_valid():
        errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return failure(request, article, form, first, 400, errors)

    retry_after = over_limit("comments_email", form.cleaned_data["email"])
    if retry_after:
        return rate_limited(request, article, posted, retry_after)

    address = parse_address(ip)
    try:
        outcome = posting.submit(
            article, form.cleaned_data, posted, request, str(address) if address else None, comment_settings
        )
    except posting.Refused as refused:
        errors = {refused.field: [refused.message]} if refused.field else {}
        return failure(request, article, form, refused.message, refused.status, errors)

    published = outcome.status == Comment.Status.APPROVED
    message = _("Your comment is published.") if published else _("Thank you. Your comment is awaiting moderation.")
    if wants_json(request):
        data = {"ok": True, "status": "approved" if published else "pending", "message": message}
        if published and outcome.comment is not None:
            data["html"] = render_to_string(
                "comments/comment.html", {"comment": outcome.comment, "article": article}, request=request
            )
            data["id"] = outcome.comment.pk
            data["parent"] = outcome.comment.parent_id
        return JsonResponse(data, status=201, headers={"Cache-Control": "no-store"}, json_dumps_params={"ensure_ascii": False})
    response = render(request, "comments/posted.html", {"article": article, "message": message, "published": published})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def write_comment(request, article_id: int):
    """The form on a page of its own: for readers without JavaScript, and for replies."""
    article = get_article(article_id)
    parent = None
    reply_to = listing.parse_cursor(request.GET.get("reply_to"))
    if reply_to is not None:
        parent = listing.public(article.pk).filter(pk=reply_to).first()
    form = CommentForm(initial={"parent": parent.pk if parent else ""})
    return form_page(request, article, form, parent=parent)


@never_cache
@require_GET
def comment_stamp(request):
    """When the reader opened the form, signed (the cached page cannot carry it)."""
    return JsonResponse({"stamp": make_stamp()}, headers={"Cache-Control": "no-store"})


@require_GET
def more_comments(request, article_id: int):
    article = get_article(article_id)
    order = listing.parse_order(request.GET.get("order"))
    batch = listing.threads(article.pk, order, listing.parse_cursor(request.GET.get("after")))
    context = {"article": article, "batch": batch, "order": order}
    template = "comments/more_fragment.html" if request.GET.get("fragment") else "comments/more_page.html"
    return render(request, template, context)


@require_GET
def more_replies(request, comment_id: int):
    if comment_id > MAX_ID:
        raise Http404
    parent = Comment.objects.filter(pk=comment_id, status__in=SHOWN_IN_THREADS, parent__isnull=True).first()
    if parent is None:
        raise Http404
    article = get_article(parent.article_id)
    replies, next_cursor = listing.replies_after(parent, listing.parse_cursor(request.GET.get("after")))
    context = {"article": article, "parent": parent, "replies": replies, "next_cursor": next_cursor}
    template = "comments/replies_fragment.html" if request.GET.get("fragment") else "comments/replies_page.html"
    return render(request, template, context)


@csrf_exempt  # the signed address in the link is the authority; mail clients unsubscribe in one POST (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop reply notifications for the address in the link (GET asks, POST acts: link checkers only GET)."""
    email = notify.email_from_token(token, notify.UNSUBSCRIBE_SALT)
    if email is None:
        return token_page(request, "comments/message_page.html", {"message": _("This link is not valid.")}, status=404)
    if request.method == "POST":
        Comment.objects.filter(email=email, notify_replies=True).update(notify_replies=False)
        return token_page(request, "comments/message_page.html", {"message": _("You will no longer receive emails about replies.")})
    return token_page(
        request,
        "comments/confirm_page.html",
        {"message": _("Stop emails about replies to your comments?"), "button": _("Stop the emails")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def forget(request):
    """A reader asks for every comment of their email address to be deleted: a link is emailed."""
    if request.method == "POST":
        retry_after = over_limit("comments_forget", client_ip(request))
        if retry_after:
            return ratelimit.too_many_requests(request, retry_after, False)
        try:
            posted = request.POST
        except (RequestDataTooBig, TooManyFieldsSent):
            posted = {}
        form = ForgetForm(posted)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not over_limit("comments_forget_email", email):
                notify.send_forget_link(email, request.build_absolute_uri("/"))
            # The same answer whether or not the address has comments: nobody learns who commented.
            message = _("If this address has comments here, we have sent it a link to delete them.")
            return token_page(request, "comments/message_page.html", {"message": message})
        return token_page(request, "comments/forget_page.html", {"form": form}, status=400)
    return token_page(request, "comments/forget_page.html", {"form": ForgetForm()})


FORGET_AT_ONCE = 2000  # comments erased by one confirmation (one transaction); the link works again for the rest


@never_cache
@require_http_methods(["GET", "POST"])
def forget_confirm(request, token: str):
    email = notify.email_from_token(token, notify.FORGET_SALT, max_age=notify.FORGET_MAX_AGE)
    if email is None:
        return token_page(
            request, "comments/message_page.html", {"message": _("This link is not valid or has expired.")}, status=404
        )
    written = Comment.objects.filter(email=email)
    if request.method == "POST":
        deleted = 0
        with transaction.atomic():  # all of them or, if anything fails, none
            # Replies first, so a comment answered only by its own author is not kept for them.
            for comment in written.order_by("-depth", "id")[:FORGET_AT_ONCE]:
                comment.erase()  # one by one: each public one purges its article's cached page
                deleted += 1
        message = ngettext("%(count)d comment deleted.", "%(count)d comments deleted.", deleted) % {"count": deleted}
        if written.exists():
            message += " " + _("Some remain: open the link again to delete the rest.")
        return token_page(request, "comments/message_page.html", {"message": message})
    count = written.count()
    message = ngettext(
        "Delete %(count)d comment written with %(email)s? Other readers' replies to it stay, under «deleted comment».",
        "Delete %(count)d comments written with %(email)s? Other readers' replies to them stay, under «deleted comment».",
        count,
    ) % {"count": count, "email": email}
    return token_page(request, "comments/confirm_page.html", {"message": message, "button": _("Delete my comments")})
