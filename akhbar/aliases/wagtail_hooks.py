"""The alias table and the proposals in Wagtail's admin (snippets, Arabic labels)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Alias, AliasProposal


class AliasViewSet(SnippetViewSet):
    model = Alias
    icon = "link"
    menu_label = _("Name aliases")
    list_display = ["latin", "arabic", "tag", "updated_at"]
    search_fields = ["latin", "arabic"]
    add_to_admin_menu = False


class AliasProposalViewSet(SnippetViewSet):
    model = AliasProposal
    icon = "help"
    menu_label = _("Proposed aliases")
    list_display = ["latin", "arabic", "articles", "status"]
    list_filter = ["status"]
    search_fields = ["latin", "arabic"]
    add_to_admin_menu = False


class AliasesGroup(SnippetViewSetGroup):
    items = (AliasViewSet, AliasProposalViewSet)
    menu_label = _("Name aliases")
    menu_icon = "link"
    menu_order = 900


register_snippet(AliasesGroup)


@hooks.register("after_edit_snippet")
def decide_proposal(request, instance):
    """Saving a proposal as accepted creates the alias; as rejected keeps it from coming back."""
    if isinstance(instance, AliasProposal) and instance.status != AliasProposal.PROPOSED:
        instance.decide(instance.status, request.user)
