from django import template

from ..models import DonationSettings

register = template.Library()


@register.inclusion_tag("donations/components/appeal.html", takes_context=True)
def donation_appeal(context, page):
    """The editors' appeal after an article (or as a banner), when it is on and its campaign takes donations."""
    request = context.get("request")
    site = getattr(request, "site", None) if request else None
    if site is None and page is not None:
        site = page.get_site()
    settings = DonationSettings.for_site(site) if site else None
    campaign = settings.appeal_campaign if settings and settings.appeal_on and settings.appeal_campaign_id else None
    if campaign is None or not campaign.live or not campaign.accepting:
        return {"appeal": None, "copy_link": bool(settings and settings.copy_adds_link)}
    return {"appeal": settings, "campaign": campaign, "copy_link": settings.copy_adds_link}
