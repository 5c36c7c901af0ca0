"""The issue editor's form: editors draft and schedule; the sender alone moves an issue on.

«Sending» and «Sent» are the sender's to set: chosen by hand, «Sending» would start a send
nobody scheduled, and «Sent» would hide an issue that never went out. Once the sender has
begun, the issue is what its readers got: it can no longer be changed, including from a form
opened before the send began.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import EDITOR_STATUSES, Issue

LOCKED_MESSAGE = _("This issue has begun sending or has been sent; it can no longer be changed.")


class IssueForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is None:
            return
        if self.instance.pk and self.instance.locked:
            status.disabled = True  # shown as it is; the save is refused in clean()
        else:
            status.choices = [(value, label) for value, label in status.choices if value in EDITOR_STATUSES]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and Issue.objects.filter(pk=self.instance.pk).exclude(status__in=EDITOR_STATUSES).exists():
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        return cleaned
