"""Editors moderate comments: databases made before the comments app get the permissions too."""

from django.db import migrations


def grant(apps, schema_editor):
    from akhbar.newsroom.roles import COMMENT_MODERATION, EDITOR, grant_to_role

    grant_to_role(apps, EDITOR, COMMENT_MODERATION)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_reporters_editors_workflow"),
        ("comments", "0003_article_switch_and_deleted_placeholders"),
    ]

    # Reversing leaves the permissions: an administrator may have relied on them since.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
