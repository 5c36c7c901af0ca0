"""Donations in Wagtail's admin: the list (filter, search, CSV export), marking a pledge
received or a donation refunded, and the totals per campaign (under Reports).

A donation is never added, edited or deleted by hand: its state moves through the ledger, so
that each campaign's total stays the sum of what it counts.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import ledger
from .models import CampaignPage, Donation

BULK_LIMIT = 500
CAMPAIGNS_SHOWN = 200


class LedgerOnlyPolicy(ModelPermissionPolicy):
    """Viewing and the ledger's actions (which need «change»); never add or delete by hand."""

    def user_has_permission(self, user, action):
        return action not in {"add", "delete"} and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class DonationViewSet(SnippetViewSet):
    model = Donation
    icon = "pick"
    menu_label = _("Donations")
    menu_order = 270
    add_to_admin_menu = True
    list_display = [
        "reference",
        Column("campaign", label=_("campaign")),
        Column("amount_display", label=_("amount"), accessor=lambda d: f"{d.amount.normalize():f} {d.currency}"),
        Column("get_frequency_display", label=_("frequency")),
        Column("get_status_display", label=_("status")),
        Column("donor", label=_("donor"), accessor=lambda d: d.name or "—"),
        DateColumn("created_at", label=_("created")),
    ]
    list_filter = ["status", "frequency", "provider", "campaign"]
    search_fields = ["reference", "email", "name"]
    search_backend_name = None  # LIKE on the columns; no search index of donors
    list_per_page = 50
    ordering = ["-id"]
    copy_view_enabled = False
    inspect_view_enabled = True
    list_export = ["reference", "campaign", "amount", "currency", "frequency", "status", "provider", "name", "email", "anonymous", "message", "created_at", "paid_at", "refunded_at", "cancelled_at"]
    export_filename = "donations"
    panels = [FieldPanel("anonymous"), FieldPanel("message")]  # what an editor may correct: privacy and the public note

    def get_queryset(self, request):
        return Donation.objects.select_related("campaign")


register_permission_policy(Donation, LedgerOnlyPolicy(Donation))
register_snippet(DonationViewSet)


class LedgerBulkAction(SnippetBulkAction):
    models = [Donation]
    template_name = "donations/admin/confirm_ledger.html"
    classes = {"serious"}

    def check_perm(self, donation):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    def get_all_objects_in_listing_query(self, parent_id):
        return Donation.objects.order_by("-id").values_list("pk", flat=True)[:BULK_LIMIT]


@hooks.register("register_bulk_action")
class MarkReceivedBulkAction(LedgerBulkAction):
    """The bank transfer of a pledge arrived: paid, counted, receipt emailed."""

    display_name = _("Mark received")
    action_type = "mark_received"
    aria_label = _("Mark the selected pledges as received")
    action_priority = 20

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done = [d for d in objects if d.status == Donation.Status.PLEDGED and ledger.mark_paid(d.pk)]
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d pledge marked received.", "%(count)d pledges marked received.", num_parent_objects) % {"count": num_parent_objects}


@hooks.register("register_bulk_action")
class MarkRefundedBulkAction(LedgerBulkAction):
    """Money given back outside a provider's webhook (a bank transfer returned)."""

    display_name = _("Mark refunded")
    action_type = "mark_refunded"
    aria_label = _("Mark the selected donations as refunded")
    action_priority = 30

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done = [d for d in objects if d.status == Donation.Status.PAID and ledger.mark_refunded(d.pk)]
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d donation marked refunded.", "%(count)d donations marked refunded.", num_parent_objects) % {"count": num_parent_objects}


def totals(request):
    if not LedgerOnlyPolicy(Donation).user_has_permission(request.user, "view"):
        raise PermissionDenied
    campaigns = CampaignPage.objects.order_by("-id").only("title", "goal", "currency", "raised", "donors", "accepting")[:CAMPAIGNS_SHOWN]
    return render(request, "donations/admin/totals.html", {"campaigns": campaigns})


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("donations/totals/", totals, name="donations_totals")]


class TotalsMenuItem(MenuItem):
    def is_shown(self, request):
        return LedgerOnlyPolicy(Donation).user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_totals_menu_item():
    return TotalsMenuItem(_("Donations per campaign"), reverse("donations_totals"), name="donations-totals", icon_name="pick", order=900)
