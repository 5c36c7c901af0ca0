"""Donors' endpoints: the donation post (from the campaign page), the thank-you page, the
signed page to manage a monthly donation, and the providers' webhooks.

The campaign page is cached like any page, so its form carries no CSRF token: js/forms.js
fills one in (from /csrf/) before the form is sent; without JavaScript the first post gets an
uncached page with the donor's entries kept and a token, to press «Donate» again. Nothing is
written until the CSRF check, the rate limit and the form all pass.
"""

import logging

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from akhbar.core import ratelimit
from akhbar.core.client_ip import client_ip
from akhbar.core.public_forms import csrf_valid, over_limit, token_page
from akhbar.newsletter.forms import EmailInput

from . import ledger, providers, receipts, tokens
from .forms import DonationForm
from .models import CampaignPage, Donation

logger = logging.getLogger(__name__)


def form_page(request, campaign, form, message: str = "", status: int = 200):
    """The campaign's form again, uncached, with a CSRF token (after a refusal or a first no-JS post)."""
    return token_page(request, "donations/form_page.html", {"page": campaign, "form": form, "message": message}, status=status)


@csrf_exempt  # checked below with Django's own check, so that a refusal keeps what the donor typed
@never_cache
@require_POST
def donate(request, campaign_id: int):
    campaign = get_object_or_404(CampaignPage.objects.live().specific(), pk=campaign_id)
    try:
        posted = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return form_page(request, campaign, DonationForm(campaign=campaign), _("What was sent is far too long."), status=413)
    if not campaign.accepting:
        return form_page(request, campaign, DonationForm(campaign=campaign), _("This campaign is no longer taking donations."), status=410)

    retry_after = over_limit("donations", client_ip(request))
    if retry_after:
        return ratelimit.too_many_requests(request, retry_after, False)

    form = DonationForm(posted, campaign=campaign)
    if not csrf_valid(request):
        form = DonationForm(initial={k: posted.get(k, "")[:1000] for k in ("amount", "custom_amount", "frequency", "provider", "name", "email", "message")}, campaign=campaign)
        return form_page(request, campaign, form, _("Please check your details and press «Donate» again."))
    if not form.is_valid():
        return form_page(request, campaign, form, _("Please correct what is marked below."), status=400)
    data = form.cleaned_data
    if data["website"]:
        logger.info("donation dropped: honeypot filled")
        return form_page(request, campaign, DonationForm(campaign=campaign), _("Thank you."))
    provider = providers.get(data["provider"])
    with transaction.atomic():
        donation = Donation.objects.create(
            campaign=campaign, amount=data["amount_value"], currency=campaign.currency, frequency=data["frequency"],
            name=data["name"], email=data["email"], anonymous=data["anonymous"], message=data["message"],
            provider=provider.name, reference=ledger.new_reference(),
        )
        try:
            start = provider.start(donation, request)
        except providers.ProviderError:
            transaction.set_rollback(True)  # no donation row for a payment that never began
            start = None
    if start is None:
        return form_page(request, campaign, form, _("The payment service could not be reached. Please try again in a moment."), status=502)
    if start.redirect_url:
        return HttpResponseRedirect(start.redirect_url)
    donation.refresh_from_db()
    return token_page(request, start.page, {"page": campaign, "donation": donation, "instructions": transfer_instructions(campaign)})


def transfer_instructions(campaign) -> str:
    from .models import DonationSettings

    return DonationSettings.for_site(campaign.get_site()).transfer_instructions


@never_cache
def thanks(request, reference: str):
    """Where a hosted checkout sends the donor back; the webhook, not this page, records the payment."""
    donation = Donation.objects.select_related("campaign").filter(reference=reference[:24]).first()
    if donation is None:
        raise Http404
    return token_page(request, "donations/thanks_page.html", {"page": donation.campaign, "donation": donation})


@csrf_exempt  # the provider's server calls; the provider verifies the call (a signature)
@require_POST
def webhook(request, provider_name: str):
    provider = providers.get(provider_name)
    if provider is None:
        raise Http404
    return provider.webhook(request)


@csrf_exempt  # checked below, so that a refusal can say why
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    """Stop a monthly donation from the signed link in its receipt; an expired link asks for a new one."""
    try:
        found = tokens.read(token)
    except tokens.Expired:
        return token_page(request, "donations/manage_page.html", {"expired": True}, status=410)
    donation = Donation.objects.select_related("campaign").filter(pk=found[0], reference=found[1]).first() if found else None
    if donation is None or not donation.is_monthly:
        return token_page(request, "donations/manage_page.html", {"invalid": True}, status=404)
    message = ""
    if request.method == "POST" and not csrf_valid(request):
        message = _("Please press «Stop my monthly donation» again.")
    elif request.method == "POST" and donation.active_monthly:
        provider = providers.registry().get(donation.provider) or providers.get("offline")
        try:
            if donation.provider == "stripe" and provider.name != "stripe":
                raise providers.ProviderError("stripe is not configured")
            provider.stop_monthly(donation)
        except providers.ProviderError:
            message = _("The payment service could not be reached, so the donation is not stopped yet. Please try again in a moment.")
        else:
            ledger.mark_cancelled(donation.pk)
            donation.refresh_from_db()
            message = _("Your monthly donation is stopped. Thank you for your support.")
    return token_page(request, "donations/manage_page.html", {"donation": donation, "message": message, "token": token})


@csrf_exempt  # checked below, so that a refusal can say why
@never_cache
@require_POST
def new_link(request):
    """An expired link's page: the donor writes their email; each active monthly donation of that
    address gets a fresh link. The answer is the same whether or not the address gave."""
    retry_after = over_limit("donations_link", client_ip(request))
    if retry_after:
        return ratelimit.too_many_requests(request, retry_after, False)
    if not csrf_valid(request):
        return token_page(request, "donations/manage_page.html", {"expired": True, "error": _("Please press «Send me a new link» again.")})
    try:
        email = EmailInput().clean(request.POST.get("email", "")[:300])
    except ValidationError as error:
        return token_page(request, "donations/manage_page.html", {"expired": True, "error": error.messages[0]}, status=400)
    for donation_id in Donation.objects.filter(email=email, frequency=Donation.Frequency.MONTHLY, renewal_of__isnull=True, cancelled_at__isnull=True).values_list("pk", flat=True)[:20]:
        receipts.send_manage_link.enqueue(donation_id)
    return token_page(request, "donations/manage_page.html", {"sent": True})
