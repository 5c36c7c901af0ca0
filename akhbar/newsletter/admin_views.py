"""Editors' tools for an issue: preview it in the browser as subscribers will see it, and send a
test to one address (the editor's own by default), before scheduling it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sending
from .forms import EmailInput
from .models import Issue


def check(request, issue: Issue, action: str = "change") -> None:
    from wagtail.permissions import policy_registry

    if not policy_registry.get_by_type(Issue).user_has_permission(request.user, action):
        raise PermissionDenied


def preview(request, pk: int):
    issue = get_object_or_404(Issue, pk=pk)
    check(request, issue, "view")
    rendered = sending.render_issue(issue)
    html = rendered.html.replace(sending.MANAGE, "preview")
    # The email's own markup; it must not run in the admin's origin with scripts of its own.
    return HttpResponse(html, headers={"Content-Security-Policy": "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'", "Cache-Control": "no-store"})


class TestForm(forms.Form):
    email = EmailInput()


def send_test(request, pk: int):
    issue = get_object_or_404(Issue, pk=pk)
    check(request, issue)
    form = TestForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        sending.send_test(issue, form.cleaned_data["email"])
        messages.success(request, _("A test was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect(reverse("wagtailsnippets_newsletter_issue:edit", args=[issue.pk]))
    return render(request, "newsletter/admin/send_test.html", {"issue": issue, "form": form, "title": gettext_lazy("Send a test")})
