"""Moderation in Wagtail's admin: the comment queue (filters, bulk approve / reject / spam /
ban / delete), bans, and the number waiting shown in the admin menu. (An article is closed to
comments in its own page editor: ArticlePage.comments_open.)

«Select all in listing» acts on what the queue shows: the bulk action's address carries the
listing's filters and search (Wagtail's script copies them), and `queue_queryset` applies them
as the listing does."""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSet

import django_filters

from .moderation import ban_senders, set_status
from .models import Ban, Comment
from .signals import purges_batched

QUEUE_LIMIT = 1000  # «select all» acts on at most this many comments at once
SEARCH_FIELDS = ["text", "name", "email"]


# What a moderator may set: «deleted by its author» is the reader's own doing (Comment.erase).
MODERATION_STATUSES = [choice for choice in Comment.Status.choices if choice[0] != Comment.Status.REMOVED]


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=MODERATION_STATUSES)
    created_at = django_filters.DateFromToRangeFilter(label=_("posted"), widget=DateRangePickerWidget)
    email = django_filters.CharFilter(label=_("email"), lookup_expr="iexact")
    ip_address = django_filters.CharFilter(label=_("IP address"))

    class Meta:
        model = Comment
        fields = ["status", "created_at", "email", "ip_address"]  # no article list: thousands of them


def queue_queryset(request):
    """The moderation queue as `request` filters and searches it (status, dates, email, IP, `q`),
    newest first, without placeholders of deleted comments. Filters that do not validate match
    nothing: a bulk action must never widen to comments the moderator did not see."""
    queryset = Comment.objects.exclude(status=Comment.Status.REMOVED)
    filters = CommentFilterSet(request.GET, queryset=queryset, request=request)
    if not filters.is_valid():
        return Comment.objects.none()
    queryset = filters.qs
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if query:
        match = Q()
        for name in SEARCH_FIELDS:
            match |= Q(**{f"{name}__icontains": query})
        queryset = queryset.filter(match)
    return queryset.order_by("-id")


class PendingCountMenuItem(MenuItem):
    """«Comments (12)»: the moderation queue's length in the admin menu."""

    def __init__(self, *args, viewset=None, **kwargs):
        self.viewset = viewset
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return policy_registry.get_by_type(Comment).user_has_any_permission(request.user, ["change", "delete", "view"])

    def render_component(self, request):
        component = super().render_component(request)
        waiting = Comment.objects.filter(status=Comment.Status.PENDING).count()
        if waiting:
            component.label = f"{self.label} ({waiting})"
        return component


class NotForPlaceholders:
    """A deleted comment's placeholder holds nothing to read or moderate."""

    def get_object(self, queryset=None):
        comment = super().get_object(queryset)
        if comment.is_removed:
            raise Http404
        return comment


class CommentEditView(NotForPlaceholders, EditView):
    pass


class CommentInspectView(NotForPlaceholders, InspectView):
    pass


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    add_to_admin_menu = True
    menu_order = 250
    menu_name = "comments"
    list_display = [
        "name",
        Column("text", label=_("comment")),
        Column("article", label=_("article")),
        Column("get_status_display", label=_("status")),
        DateColumn("created_at", label=_("posted")),
        "email",
        "ip_address",
    ]
    filterset_class = CommentFilterSet
    search_fields = SEARCH_FIELDS
    search_backend_name = None
    list_per_page = 50
    ordering = ["-id"]
    inspect_view_enabled = True
    edit_view_class = CommentEditView
    inspect_view_class = CommentInspectView
    copy_view_enabled = False
    panels = [
        FieldPanel("status", widget=forms.Select(choices=MODERATION_STATUSES)),
        MultiFieldPanel([FieldRowPanel([FieldPanel("name"), FieldPanel("email", read_only=True)]), FieldPanel("text")]),
        FieldPanel("article", read_only=True),
        FieldPanel("parent", read_only=True),
        FieldPanel("ip_address", read_only=True),
        FieldPanel("spam_reasons", read_only=True),
    ]

    @cached_property
    def menu_label(self):
        return _("Comments")

    def get_menu_item(self, order=None):
        return PendingCountMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order or self.menu_order,
            viewset=self,
        )

    def get_queryset(self, request):
        # Placeholders of comments their authors deleted hold nothing left to moderate.
        return Comment.objects.exclude(status=Comment.Status.REMOVED).select_related("article")


class BanViewSet(SnippetViewSet):
    model = Ban
    icon = "cross"
    list_display = ["value", "kind", DateColumn("created_at", label=_("created")), "reason"]
    list_filter = ["kind"]
    copy_view_enabled = False


register_snippet(CommentViewSet)
register_snippet(BanViewSet)


class CommentBulkAction(SnippetBulkAction):
    models = [Comment]
    template_name = "comments/admin/confirm_bulk_action.html"
    new_status = None

    def check_perm(self, comment):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", comment)

    def get_all_objects_in_listing_query(self, parent_id):
        return queue_queryset(self.request).values_list("pk", flat=True)[:QUEUE_LIMIT]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return set_status(objects, cls.new_status, kwargs["self"].request.user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d comment updated.", "%(count)d comments updated.", num_parent_objects) % {
            "count": num_parent_objects
        }


@hooks.register("register_bulk_action")
class ApproveBulkAction(CommentBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected comments")
    action_priority = 10
    new_status = Comment.Status.APPROVED


@hooks.register("register_bulk_action")
class RejectBulkAction(CommentBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected comments")
    action_priority = 11
    new_status = Comment.Status.REJECTED


@hooks.register("register_bulk_action")
class SpamBulkAction(CommentBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark the selected comments as spam")
    action_priority = 12
    new_status = Comment.Status.SPAM


@hooks.register("register_bulk_action")
class BanBulkAction(CommentBulkAction):
    display_name = _("Ban sender")
    action_type = "ban"
    aria_label = _("Ban the email and IP address of the selected comments and mark them as spam")
    action_priority = 13
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ban_senders(objects, kwargs["self"].request.user)
        return len(objects), 0


# Replaces Wagtail's own «Delete» for comments (registered after it: the registry keeps the last
# action of a type): «select all» deletes what the queue shows, not every comment.
@hooks.register("register_bulk_action", order=100)
class CommentDeleteBulkAction(DeleteBulkAction):
    models = [Comment]
    aria_label = _("Delete the selected comments")

    def get_all_objects_in_listing_query(self, parent_id):
        return queue_queryset(self.request).values_list("pk", flat=True)[:QUEUE_LIMIT]

    def get_queryset(self, model, object_ids):
        # Placeholders are not in the queue; deleting a thread's head takes its replies with it.
        return list(Comment.objects.exclude(status=Comment.Status.REMOVED).filter(pk__in=object_ids))

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        with purges_batched():  # each article's cached page purged once, not once per comment
            Comment.objects.filter(pk__in=[comment.pk for comment in objects]).delete()
        return len(objects), 0
