"""Donations in a real browser, on pages served from the full-page cache: a reader pledges by
bank transfer (with and without JavaScript), the appeal on articles closes and stays closed,
is shown on a capped number of articles a day, and never stands between a reader and the text:
selecting and copying an article's words works, the context menu is the browser's own."""

from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.browser.test_comments import cached_site, open_page, warm  # noqa: F401  (fixtures and helper)

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(reader_site):
    """A campaign under the site's home page, with the appeal on articles turned on."""
    from decimal import Decimal

    from wagtail.models import Site

    from akhbar.donations.models import CampaignPage, Donation, DonationSettings
    from akhbar.pagecache.purge import purge_everything

    site = Site.objects.get(is_default_site=True)
    page = CampaignPage(title="ادعموا إذاعتنا", slug="support-radio", intro="تبرعكم يبقي البث مستمرًا.", goal=Decimal("500"), currency="JOD")
    site.root_page.add_child(instance=page)
    settings = DonationSettings.for_site(site)
    settings.appeal_on, settings.appeal_campaign, settings.appeal_views_per_day, settings.appeal_pause_days = True, page, 3, 7
    settings.transfer_instructions = "IBAN: JO71 CBJO 0000 0000 0000 1234 5678 90"
    settings.save()
    purge_everything()
    try:
        yield page
    finally:
        Donation.objects.all().delete()
        DonationSettings.objects.all().delete()
        page.delete()
        purge_everything()


def test_a_reader_pledges_by_bank_transfer_from_a_cached_campaign_page(open_page, campaign, inbox):
    from akhbar.donations.models import Donation

    page = open_page()
    warm(page, unquote(campaign.url))
    expect(page.locator(".donation-progress__figures")).to_contain_text("500")
    page.check("input[name=amount][value='other']")
    page.fill("input[name=custom_amount]", "١٥")
    page.fill(".donation-form input[name=name]", "ليلى")
    page.fill(".donation-form input[name=email]", "layla@example.org")
    page.click(".donation-form__submit")
    expect(page.locator("h1")).to_contain_text("شكرًا على تعهّدك")
    reference = page.locator("[data-donation-reference]").inner_text()
    expect(page.locator(".donation-page__instructions")).to_contain_text("JO71 CBJO")
    donation = Donation.objects.get()
    assert (donation.reference, donation.amount, donation.currency, donation.status) == (reference, 15, "JOD", "pledged")
    assert inbox.only()[0] == ["layla@example.org"]


def test_without_javascript_the_donor_confirms_on_an_uncached_page(open_page, campaign, inbox):
    from akhbar.donations.models import Donation

    page = open_page(java_script_enabled=False)
    warm(page, unquote(campaign.url))
    page.check("input[name=amount][value='25.000']")
    page.fill(".donation-form input[name=email]", "noscript@example.org")
    page.click(".donation-form__submit")
    expect(page.locator(".donation-form__message")).to_contain_text("اضغط «تبرّع» مرة أخرى")
    expect(page.locator(".donation-form input[name=email]")).to_have_value("noscript@example.org")
    assert not Donation.objects.exists()
    page.click(".donation-form__submit")
    expect(page.locator("h1")).to_contain_text("شكرًا على تعهّدك")
    assert Donation.objects.get().email == "noscript@example.org"


def test_the_appeal_closes_stays_closed_and_sets_no_cookie(open_page, campaign, reader_site):
    page = open_page()
    article = unquote(reader_site.article_path)
    page.goto(article)
    appeal = page.locator("[data-donation-appeal]")
    expect(appeal).to_be_visible()
    expect(appeal.locator("a.donation-appeal__give")).to_have_attribute("href", campaign.url)
    page.click("[data-donation-appeal-close]")
    expect(appeal).to_be_hidden()
    page.reload()
    expect(page.locator(".article__title")).to_be_visible()
    expect(appeal).to_be_hidden()
    assert page.context.cookies() == []  # the cap lives in this browser's storage only


def test_the_appeal_shows_on_a_capped_number_of_articles_a_day(open_page, campaign, reader_site):
    page = open_page()
    article = unquote(reader_site.article_path)
    seen = []
    for _ in range(4):
        page.goto(article)
        expect(page.locator(".article__title")).to_be_visible()
        page.wait_for_function("document.readyState === 'complete'")
        seen.append(page.locator("[data-donation-appeal]").is_visible())
    assert seen == [True, True, True, False]


def test_readers_can_select_and_copy_article_text_and_use_the_context_menu(open_page, campaign, reader_site):
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(unquote(reader_site.article_path))
    expect(page.locator("[data-donation-appeal]")).to_be_visible()
    paragraph = page.locator(".article__body p").first
    assert page.evaluate("getComputedStyle(document.querySelector('.article__body p')).userSelect") != "none"
    paragraph.click(click_count=3)  # a triple click selects the paragraph, as a reader would
    selected = page.evaluate("String(window.getSelection()).trim()")
    assert len(selected) > 40
    page.keyboard.press("Control+C")
    assert page.evaluate("navigator.clipboard.readText()").strip() == selected
    prevented = page.evaluate(
        """() => { const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true});
                   return !document.querySelector('.article__body p').dispatchEvent(e); }"""
    )
    assert prevented is False, "something cancelled the context menu"


def test_with_the_option_on_copied_text_carries_the_articles_link(open_page, campaign, reader_site):
    from wagtail.models import Site

    from akhbar.donations.models import DonationSettings

    settings = DonationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.copy_adds_link = True
    settings.save()
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(unquote(reader_site.article_path))
    page.locator(".article__body p").first.click(click_count=3)
    selected = page.evaluate("String(window.getSelection()).trim()")
    page.keyboard.press("Control+C")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(selected[:40]) and "\n\nالمصدر: http" in copied


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_campaign_page_and_the_appeal_are_accessible(new_context, campaign, reader_site, scheme):
    from tests.browser.support.axe import assert_accessible

    page = new_context(color_scheme=scheme).new_page()
    page.goto(unquote(campaign.url))
    assert_accessible(page, f"campaign page ({scheme})")
    page.goto(unquote(reader_site.article_path))
    expect(page.locator("[data-donation-appeal]")).to_be_visible()
    assert_accessible(page, f"article with the appeal ({scheme})")


def test_a_monthly_donor_stops_giving_from_the_link_in_the_email(open_page, campaign, inbox):
    import re

    from akhbar.donations.models import Donation

    page = open_page()
    warm(page, unquote(campaign.url))
    page.check("input[name=frequency][value=monthly]")
    page.fill(".donation-form input[name=email]", "monthly@example.org")
    page.click(".donation-form__submit")
    expect(page.locator("h1")).to_contain_text("شكرًا على تعهّدك")
    (_, mail), = inbox.messages
    link = re.search(r"https?://\S+?(/donations/manage/[^\s/]+/)", mail.get_body(preferencelist=("plain",)).get_content()).group(1)
    page.goto(link)
    page.click("text=أوقف تبرعي الشهري")
    expect(page.locator(".donation-page [role=status]")).to_contain_text("توقف تبرعك الشهري")
    expect(page.locator("text=أوقف تبرعي الشهري")).to_have_count(0)
    assert Donation.objects.get().cancelled_at is not None
