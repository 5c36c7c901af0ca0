"""Donations with the offline provider (bank transfer / pledge), the default that needs no outside
service: the campaign page, the form's refusals, the pledge and its email through a real SMTP
server, an editor marking it received (counted once, receipt sent), refunds, the admin's list,
CSV export and totals, and the signed link that stops a monthly donation."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core import signing
from django.test import Client, TestCase
from django.utils import timezone

from akhbar.donations import ledger, money, tokens
from akhbar.donations.models import CampaignPage, Donation, DonationSettings
from akhbar.donations.wagtail_hooks import MarkReceivedBulkAction, MarkRefundedBulkAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(home):
    page = CampaignPage(title="ادعموا الصحافة المستقلة", slug="support", intro="تبرعكم يبقي الأخبار مجانية للجميع.", goal=Decimal("1000"), currency="USD")
    home.add_child(instance=page)
    settings = DonationSettings.for_site(home.get_site())
    settings.transfer_instructions = "اسم الحساب: إذاعة أخبار\nIBAN: JO71 CBJO 0000 0000 0000 1234 5678 90"
    settings.save()
    return page


def give(client, campaign, **fields):
    """A donor's post with a valid CSRF token, as the form sends it once forms.js has filled it in."""
    client.get("/csrf/")
    data = {"amount": "25", "custom_amount": "", "frequency": "once", "provider": "offline", "name": "سلمى", "email": "salma@example.org", "message": "", "website": ""}
    data.update(fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/donations/give/{campaign.pk}/", data, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value, HTTP_ACCEPT_LANGUAGE="ar")


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_amounts_typed_in_any_digits_become_exact_decimals():
    assert money.parse_amount("٥٠", "USD") == Decimal("50.00")
    assert money.parse_amount("12٫5", "USD") == Decimal("12.50")
    assert money.parse_amount("١٬٠٠٠", "USD") == Decimal("1000.00")
    assert money.parse_amount("1,000.25", "USD") == Decimal("1000.25")
    assert money.parse_amount("2.125", "KWD") == Decimal("2.125")
    assert money.to_minor_units(Decimal("2.125"), "KWD") == 2125
    for typed, code in [("", "empty"), ("abc", "invalid"), ("1e9", "invalid"), ("-5", "invalid"), ("12.345", "decimals"), ("1" * 40, "invalid")]:
        with pytest.raises(money.AmountError) as error:
            money.parse_amount(typed, "USD")
        assert error.value.code == code


def test_the_campaign_page_shows_progress_suggested_amounts_and_the_form(client, campaign):
    Donation.objects.create(campaign=campaign, amount=Decimal("250"), currency="USD", email="a@example.org", provider="offline", reference=ledger.new_reference())
    ledger.mark_paid(Donation.objects.get().pk)
    html = client.get(campaign.url).content.decode()
    assert re.search(r'<progress[^>]*value="25"', html)
    assert re.search(r"250 .*1[,٬]?000 USD", html)
    assert all(f'value="{amount}"' in html for amount in ["10.00", "25.00", "50.00", "100.00"])
    assert 'name="csrfmiddlewaretoken" value=""' in html  # a cached page carries no token: forms.js fills it


def test_an_editor_publishing_the_campaign_never_resets_its_totals(client, campaign):
    revision = campaign.save_revision()  # the editor's draft, with the totals of that moment
    Donation.objects.create(campaign=campaign, amount=Decimal("75"), currency="USD", email="a@example.org", provider="offline", reference=ledger.new_reference())
    ledger.mark_paid(Donation.objects.get().pk)
    revision.publish()
    campaign.refresh_from_db()
    assert (campaign.raised, campaign.donors) == (Decimal("75"), 1)


def test_a_pledge_by_bank_transfer_shows_and_emails_the_details_and_counts_only_when_received(csrf_client, campaign, inbox, admin_client):
    response = give(csrf_client, campaign, amount="other", custom_amount="٤٠", name="سلمى", email="Salma@Example.org", message="شكرًا لكم")
    assert response.status_code == 200
    page = response.content.decode()
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency, donation.status, donation.email) == (Decimal("40.00"), "USD", "pledged", "salma@example.org")
    assert donation.reference in page and "JO71 CBJO" in page
    (to, mail), = inbox.messages
    assert to == ["salma@example.org"] and donation.reference in mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'dir="rtl"' in html and "JO71 CBJO" in html
    campaign.refresh_from_db()
    assert campaign.raised == 0 and campaign.donors == 0  # a promise is not money

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert MarkReceivedBulkAction.execute_action([donation]) == (1, 0)
        assert MarkReceivedBulkAction.execute_action([Donation.objects.get()]) == (0, 0)  # twice counts once
    campaign.refresh_from_db()
    assert (campaign.raised, campaign.donors) == (Decimal("40"), 1)
    receipt = inbox.messages[-1][1]
    assert "تبرعكم" in receipt["Subject"] or "تبرع" in receipt["Subject"]
    assert MarkRefundedBulkAction.execute_action([Donation.objects.get()]) == (1, 0)
    campaign.refresh_from_db()
    assert (campaign.raised, campaign.donors, Donation.objects.get().status) == (Decimal("0"), 0, "refunded")
    assert ledger.mark_paid(donation.pk) is None  # a refund is final


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"amount": "other", "custom_amount": ""}, "اختر مبلغًا أو اكتبه"),
        ({"amount": "other", "custom_amount": "خمسون"}, "اكتب المبلغ بالأرقام"),
        ({"amount": "other", "custom_amount": "0.5"}, "أصغر تبرع"),
        ({"amount": "other", "custom_amount": "99999999"}, "يرجى التواصل معنا"),
        ({"amount": "other", "custom_amount": "10.555"}, "لا تحتمل هذه العملة"),
        ({"email": "not-an-address"}, "غير صالح"),
        ({"email": "salma\u202e@example.org"}, "غير صالح"),
        ({"frequency": "weekly"}, "اختر تبرعًا لمرة واحدة أو شهريًا"),
        ({"provider": "paypal"}, "اختر طريقة للدفع"),
        ({"message": "ن" * 1001}, "الرسالة طويلة"),
        ({"name": "\ufffdسلمى"}, "تعذّرت قراءتها"),
    ],
)
def test_bad_input_is_refused_with_an_arabic_message_and_nothing_is_written(csrf_client, campaign, inbox, fields, message):
    response = give(csrf_client, campaign, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Donation.objects.exists() and inbox.messages == []


def test_hostile_text_is_stored_clean_and_shown_escaped(csrf_client, campaign, admin_client):
    give(csrf_client, campaign, name="<script>alert(1)</script>\u202eسلمى", message="<img src=x onerror=alert(1)>")
    donation = Donation.objects.get()
    assert "\u202e" not in donation.name
    listing = admin_client.get("/admin/snippets/donations/donation/").content.decode()
    assert "<script>alert(1)" not in listing and "&lt;script&gt;" in listing


def test_without_a_csrf_token_the_donor_gets_the_form_again_with_their_entries_kept(csrf_client, campaign):
    response = csrf_client.post(f"/donations/give/{campaign.pk}/", {"amount": "50", "name": "سلمى", "email": "salma@example.org", "provider": "offline", "frequency": "once"}, HTTP_ACCEPT_LANGUAGE="ar")
    page = response.content.decode()
    assert response.status_code == 200 and "اضغط «تبرّع» مرة أخرى" in page
    assert 'value="salma@example.org"' in page and re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', page)
    assert "no-store" in response["Cache-Control"] and not Donation.objects.exists()


def test_the_honeypot_and_the_rate_limit_stop_bots(csrf_client, campaign, settings):
    assert give(csrf_client, campaign, website="http://spam.example").status_code == 200
    assert not Donation.objects.exists()
    settings.RATE_LIMITS = {"donations": "2/600"}
    codes = [give(csrf_client, campaign).status_code for _ in range(3)]
    assert codes == [200, 200, 429] and Donation.objects.count() == 2


def test_a_closed_campaign_takes_no_donation(csrf_client, campaign):
    campaign.accepting = False
    campaign.save_revision().publish()
    assert "لم تعد هذه الحملة تتلقى التبرعات" in csrf_client.get(campaign.url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert give(csrf_client, campaign).status_code == 410 and not Donation.objects.exists()


def monthly_pledge(csrf_client, campaign, inbox) -> tuple[Donation, str]:
    give(csrf_client, campaign, frequency="monthly")
    donation = Donation.objects.get()
    link = re.search(r"https?://\S+/donations/manage/[^\s/]+/", inbox.messages[-1][1].get_body(preferencelist=("plain",)).get_content()).group(0)
    return donation, link[link.index("/donations/"):]


def test_a_monthly_donor_stops_giving_from_the_signed_link(csrf_client, campaign, inbox, client):
    donation, path = monthly_pledge(csrf_client, campaign, inbox)
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 200 and "أوقف تبرعي الشهري" in page.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    stopped = client.post(path, {"csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="ar")
    assert "توقف تبرعك الشهري" in stopped.content.decode()
    donation.refresh_from_db()
    assert donation.cancelled_at is not None and not donation.active_monthly
    assert "أوقف تبرعي الشهري" not in client.get(path, HTTP_ACCEPT_LANGUAGE="ar").content.decode()


def test_a_forged_or_foreign_link_opens_nothing(csrf_client, campaign, inbox, client):
    donation, path = monthly_pledge(csrf_client, campaign, inbox)
    forged = path[:-3] + "xx/"
    assert client.get(forged).status_code == 404
    other = signing.dumps({"d": donation.pk, "r": "AKH-NOTTHEONE"}, salt=tokens.SALT)
    assert client.get(f"/donations/manage/{other}/").status_code == 404
    assert client.get("/donations/manage/" + "a" * 400 + "/").status_code == 404
    assert Donation.objects.get().cancelled_at is None


def test_an_expired_link_offers_a_new_one_by_email(csrf_client, campaign, inbox, client, settings, monkeypatch):
    donation, path = monthly_pledge(csrf_client, campaign, inbox)
    later = timezone.now().timestamp() + (settings.DONATIONS_MANAGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 410 and "انتهت صلاحية هذا الرابط" in page.content.decode()
    monkeypatch.undo()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    sent = len(inbox.messages)
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post("/donations/manage/new-link/", {"email": "salma@example.org", "csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="ar")
        unknown = client.post("/donations/manage/new-link/", {"email": "nobody@example.org", "csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="ar")
    assert "رابطًا جديدًا" in answer.content.decode() and "رابطًا جديدًا" in unknown.content.decode()  # the same answer for both
    assert [to for to, _ in inbox.messages[sent:]] == [["salma@example.org"]]


def test_the_admin_lists_filters_and_exports_donations_as_csv_and_shows_totals(csrf_client, campaign, admin_client):
    give(csrf_client, campaign, amount="10")
    give(csrf_client, campaign, amount="50", name="عمر", email="omar@example.org")
    ledger.mark_paid(Donation.objects.get(amount=Decimal("50")).pk)
    listing = admin_client.get("/admin/snippets/donations/donation/?status=paid").content.decode()
    assert "عمر" in listing and "سلمى" not in listing
    export = admin_client.get("/admin/snippets/donations/donation/?export=csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3 and {row[rows[0].index("Email") if "Email" in rows[0] else 8] for row in rows[1:]} == {"salma@example.org", "omar@example.org"}
    totals = admin_client.get("/admin/donations/totals/").content.decode()
    assert campaign.title in totals and re.search(r"50(\.0+)? USD", totals)
    assert admin_client.get("/admin/snippets/donations/donation/add/").status_code in {302, 403}  # never by hand


def test_a_huge_post_is_refused_with_a_message_not_an_error(csrf_client, campaign, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = give(csrf_client, campaign, message="ن" * 20_000)
    assert response.status_code == 413 and "طويل جدًا" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_stop_request_without_a_valid_token_says_why_and_stops_nothing(csrf_client, campaign, inbox):
    donation, path = monthly_pledge(csrf_client, campaign, inbox)
    answer = Client(enforce_csrf_checks=True).post(path, {"csrfmiddlewaretoken": "forged"}, HTTP_ACCEPT_LANGUAGE="ar")
    assert answer.status_code == 200 and "يرجى الضغط على «أوقف تبرعي الشهري» مرة أخرى" in answer.content.decode()
    assert Donation.objects.get().cancelled_at is None
