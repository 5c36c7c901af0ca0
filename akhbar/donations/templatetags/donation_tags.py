from django import template

from ..models import DonationSettings

register = template.Library()


@register.inclusion_tag("donations/components/appeal.html", takes_context=True)
def donation_appeal(context, page):
    """The editors' appeal after an article (or as a banner), when it is on and its campaign takes
    donations. The settings come from the process's memo; the campaign costs one query, only
    while the appeal is on."""
    request = context.get("request")
    settings = DonationSettings.for_request(request) if request is not None else DonationSettings.for_site(page.get_site())
    campaign = settings.appeal_campaign if settings.appeal_on and settings.appeal_campaign_id else None
    if campaign is None or not campaign.live or not campaign.accepting:
        return {"appeal": None, "copy_link": settings.copy_adds_link}
    return {"appeal": settings, "campaign": campaign, "copy_link": settings.copy_adds_link}
