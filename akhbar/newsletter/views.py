"""Readers' newsletter endpoints: subscribe (from the box on cached pages), the box's time stamp,
confirm, preferences, one-click unsubscribe (RFC 8058), export and deletion, and the privacy page.

The box sits on cached pages and holds no token, exactly like the comment form: with JavaScript
it fetches a signed stamp (/newsletter/stamp/) and a CSRF token (/csrf/) and posts with fetch();
without it the browser posts the box as it is, nothing is saved without a valid token, and the
reader gets an uncached page with their address kept and a token, to press «Subscribe» again.
Only the one-click unsubscribe is CSRF-exempt: mail clients POST it without a session, and the
signed link is the authority.
"""

import functools
import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from akhbar.core.public_forms import STAMP_MAX_AGE, csrf_valid, make_stamp, over_limit, seconds_since_stamp, token_page, wants_json
from akhbar.core import ratelimit
from akhbar.core.client_ip import client_ip

from . import subscriptions, tokens
from .forms import DEFAULT_LISTS, PreferencesForm, SubscribeForm
from .models import LISTS, Subscriber

logger = logging.getLogger(__name__)


def answer(request, message: str, *, ok: bool, status: int = 200, form=None, errors=None):
    """JSON for the box's script; for readers without JavaScript an uncached page (the form again on a refusal)."""
    if wants_json(request):
        return JsonResponse(
            {"ok": ok, "message": message, "errors": errors or {}},
            status=status,
            headers={"Cache-Control": "no-store"},
            json_dumps_params={"ensure_ascii": False},
        )
    if ok:
        return say(request, message, status=status)
    return subscribe_page(request, form, message=message, status=status)


def subscribe_page(request, form=None, *, message: str = "", status: int = 200):
    form = form or SubscribeForm(initial={"lists": DEFAULT_LISTS})
    context = {"form": form, "message": message, "stamp": make_stamp(), "lists": LISTS.items(), "chosen": chosen_lists(form)}
    return token_page(request, "newsletter/subscribe_page.html", context, status=status)


def chosen_lists(form) -> list[str]:
    value = form["lists"].value() if form is not None else None
    return [name for name in LISTS if name in (value or [])]


def kept(posted) -> SubscribeForm:
    """The reader's address and lists, shown again on the page with a token (never the honeypot)."""
    email = posted.get("email", "")
    return SubscribeForm(initial={"email": email if len(email) <= 254 else "", "lists": posted.getlist("lists") or DEFAULT_LISTS})


@csrf_exempt  # checked below with Django's own check, so that a failure keeps what the reader typed
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        return subscribe_page(request)
    try:
        posted = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return answer(request, _("What was sent is far too long."), ok=False, status=413)

    retry_after = over_limit("newsletter", client_ip(request))
    if retry_after:
        return ratelimit.too_many_requests(request, retry_after, wants_json(request))

    if not csrf_valid(request):
        message = _("Please check your address and press «Subscribe» again.")
        if wants_json(request):
            return answer(request, message, ok=False, status=403)
        return subscribe_page(request, kept(posted), message=message)  # a step, not an error, for the reader

    form = SubscribeForm(posted)
    if not form.is_valid():
        errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return answer(request, first, ok=False, status=400, form=form, errors=errors)

    done = _("Thank you. If this address is not subscribed yet, we have sent it an email: open the link in it to confirm.")
    data = form.cleaned_data
    if data["website"]:
        logger.info("newsletter subscription dropped: honeypot filled")
        return answer(request, done, ok=True)
    elapsed = seconds_since_stamp(data["started"])
    if elapsed is None or elapsed > STAMP_MAX_AGE:
        return answer(request, _("The form has expired. Please press «Subscribe» again."), ok=False, status=400, form=kept(posted))
    if elapsed < settings.NEWSLETTER_MIN_SECONDS:
        return answer(request, _("That was too fast. Please wait a moment and press «Subscribe» again."), ok=False, status=400, form=kept(posted))

    retry_after = over_limit("newsletter_email", data["email"])
    if retry_after:
        return ratelimit.too_many_requests(request, retry_after, wants_json(request))

    subscriptions.request_subscription(data["email"], data["lists"], request.build_absolute_uri("/"))
    return answer(request, done, ok=True)


@never_cache
@require_GET
def stamp(request):
    """When the reader started typing in the box, signed (the cached page cannot carry it)."""
    return JsonResponse({"stamp": make_stamp()}, headers={"Cache-Control": "no-store"})


def say(request, message: str, status: int = 200):
    return token_page(request, "newsletter/message_page.html", {"message": message}, status=status)


def ask(request, question: str, button: str):
    """A page with one button that POSTs back: GET never acts (mailbox link checkers open links)."""
    return token_page(request, "newsletter/confirm_page.html", {"message": question, "button": button})


def invalid_link(request, message: str | None = None):
    message = message or _("This link is not valid or has expired. You can subscribe again from any page of the site.")
    return say(request, message, status=404)


def by_signed_link(view):
    """Resolve the subscriber of a management link, or answer that the link opens nothing."""

    @functools.wraps(view)
    def resolved(request, token: str):
        subscriber = subscriptions.subscriber_for(token)
        if subscriber is None:
            return invalid_link(request, _("This link is not valid, or the address is no longer subscribed."))
        return view(request, subscriber, token)

    return resolved


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET asks, POST confirms: link checkers in mailboxes open links, and must not subscribe anyone."""
    if request.method == "GET":
        if tokens.read_confirm(token) is None:
            return invalid_link(request)
        return ask(request, _("Confirm your subscription to the newsletter?"), _("Confirm my subscription"))
    try:
        subscriber = subscriptions.confirm(token)
    except subscriptions.LinkInvalid:
        return invalid_link(request)
    return manage_page(request, subscriber, token=None, message=_("Your subscription is confirmed. Welcome!"))


def manage_page(request, subscriber: Subscriber, token: str | None, *, message: str = "", form=None, status: int = 200):
    token = token or tokens.manage_token(subscriber.email)
    context = {"subscriber": subscriber, "token": token, "message": message, "lists": LISTS.items(), "form": form}
    return token_page(request, "newsletter/manage_page.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@by_signed_link
def manage(request, subscriber: Subscriber, token: str):
    """The subscriber's preferences, by the signed link in every newsletter: lists, or stop all."""
    if request.method == "GET":
        return manage_page(request, subscriber, token)
    if "unsubscribe" in request.POST:
        subscriptions.unsubscribe(subscriber.email)
        subscriber.refresh_from_db()
        return manage_page(request, subscriber, token, message=_("You are unsubscribed. You will receive no more newsletters."))
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return manage_page(request, subscriber, token, message=form.errors["lists"][0], form=form, status=400)
    subscriptions.set_lists(subscriber, form.cleaned_data["lists"])
    return manage_page(request, subscriber, token, message=_("Your choices are saved."))


@csrf_exempt  # RFC 8058: the mail client POSTs «List-Unsubscribe=One-Click» with no session; the signed link is the authority
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe (POST), and the page a reader reaches by the header's link (GET asks)."""
    email = tokens.read_manage(token)
    if email is None:
        return invalid_link(request, _("This link is not valid."))
    if request.method == "POST":
        subscriptions.unsubscribe(email)  # twice is fine: the same answer
        return say(request, _("You are unsubscribed. You will receive no more newsletters."))
    return ask(request, _("Stop all newsletters to this address?"), _("Unsubscribe"))


@never_cache
@require_GET
@by_signed_link
def export(request, subscriber: Subscriber, token: str):
    """Everything stored about the subscriber, as a JSON file."""
    body = json.dumps(subscriptions.export(subscriber), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@by_signed_link
def delete(request, subscriber: Subscriber, token: str):
    """Delete the subscriber's data (GET asks, POST deletes)."""
    if request.method == "POST":
        subscriptions.delete(subscriber)
        return say(request, _("Your data is deleted. We will not email you again."))
    return ask(request, _("Delete your address and everything stored with it? This cannot be undone."), _("Delete my data"))


@require_GET
def privacy(request):
    return render(request, "newsletter/privacy_page.html", {"lists": LISTS.values(), "days": settings.NEWSLETTER_CONFIRM_DAYS})
