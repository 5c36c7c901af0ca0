"""The newsletter in Wagtail's admin: subscribers (filter, search, suppress), the suppression
list, and newsletter issues, grouped under one «Newsletter» menu."""

from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, PageChooserPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, subscriptions
from .admin_forms import IssueForm
from .models import Issue, Subscriber, Suppression

BULK_LIMIT = 1000  # «select all» acts on at most this many subscribers at once


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    list_display = [
        "email",
        Column("get_status_display", label=_("status")),
        Column("lists_display", label=_("lists")),
        DateColumn("requested_at", label=_("asked for")),
        DateColumn("confirmed_at", label=_("confirmed")),
    ]
    list_filter = ["status", "daily", "breaking", "weekly"]
    search_fields = ["email"]
    search_backend_name = None  # a plain LIKE on the email column; no search index of addresses
    list_per_page = 50
    ordering = ["-id"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [
        FieldPanel("email", read_only=True),
        FieldPanel("status"),
        FieldPanel("daily"),
        FieldPanel("breaking"),
        FieldPanel("weekly"),
    ]


class SuppressionViewSet(SnippetViewSet):
    model = Suppression
    icon = "cross"
    list_display = ["email", Column("get_reason_display", label=_("reason")), DateColumn("created_at", label=_("added")), "note"]
    list_filter = ["reason"]
    search_fields = ["email"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [FieldPanel("email"), FieldPanel("reason"), FieldPanel("note")]


class IssueViewSet(SnippetViewSet):
    """Editors compose an issue from chosen articles; «Scheduled» sends it at «send at» (or now)."""

    model = Issue
    icon = "doc-full"
    list_display = [
        "subject",
        Column("get_list_display", label=_("list")),
        Column("get_status_display", label=_("status")),
        DateColumn("send_at", label=_("send at")),
        DateColumn("finished_at", label=_("sent")),
        Column("tools", label=_("preview"), accessor=lambda issue: issue_tools(issue)),
    ]
    list_filter = ["status", "list"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("subject"),
            FieldPanel("list"),
            FieldPanel("intro"),
            InlinePanel("items", label=_("articles"), panels=[PageChooserPanel("article", ["news.ArticlePage"])]),
            MultiFieldPanel([FieldPanel("status"), FieldPanel("send_at")], heading=_("sending")),
        ],
        base_form_class=IssueForm,
    )


def issue_tools(issue) -> str:
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}">{}</a>',
        reverse("newsletter_admin:preview", args=[issue.pk]),
        _("Preview"),
        reverse("newsletter_admin:send_test", args=[issue.pk]),
        _("Send a test"),
    )


class NewsletterGroup(SnippetViewSetGroup):
    items = (IssueViewSet, SubscriberViewSet, SuppressionViewSet)
    menu_icon = "mail"
    menu_label = _("Newsletter")
    menu_name = "newsletter"
    menu_order = 260


register_snippet(NewsletterGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("issues/<int:pk>/preview/", admin_views.preview, name="preview"),
        path("issues/<int:pk>/test/", admin_views.send_test, name="send_test"),
    ]
    return [path("newsletter/", include((urls, "newsletter_admin")))]


@hooks.register("register_bulk_action")
class SuppressBulkAction(SnippetBulkAction):
    """An editor's «this address bounced / complained»: never mailed again."""

    models = [Subscriber]
    template_name = "newsletter/admin/confirm_suppress.html"
    display_name = _("Suppress")
    action_type = "suppress"
    aria_label = _("Add the selected addresses to the suppression list")
    action_priority = 20
    classes = {"serious"}

    def check_perm(self, subscriber):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", subscriber)

    def get_all_objects_in_listing_query(self, parent_id):
        return Subscriber.objects.order_by("-id").values_list("pk", flat=True)[:BULK_LIMIT]

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for subscriber in objects:
            subscriptions.suppress(subscriber.email, Suppression.Reason.MANUAL, note=str(_("from the subscriber list")))
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d address suppressed.", "%(count)d addresses suppressed.", num_parent_objects) % {
            "count": num_parent_objects
        }
