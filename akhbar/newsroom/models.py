"""Which auth group plays which newsroom role, so code finds the groups whatever they are named."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsroomRole(models.Model):
    """Links a role (reporter, editor) to its group; admins may rename the group freely."""

    REPORTER = "reporter"
    EDITOR = "editor"
    ROLE_CHOICES = [(REPORTER, _("Reporters")), (EDITOR, _("Editors"))]

    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES, unique=True)
    group = models.OneToOneField(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="newsroom_role")

    class Meta:
        verbose_name = _("newsroom role")
        verbose_name_plural = _("newsroom roles")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.group.name}"

    @classmethod
    def group_for(cls, role: str) -> Group:
        return cls.objects.select_related("group").get(role=role).group
