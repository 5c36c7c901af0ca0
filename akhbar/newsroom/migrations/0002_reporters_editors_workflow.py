"""Newsroom roles out of the box: reporters and editors groups and the approval workflow."""

from django.conf import settings
from django.db import migrations


def create_roles(apps, schema_editor):
    from akhbar.newsroom.roles import apply_roles

    apply_roles(apps, settings.LANGUAGE_CODE)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_newsroom_role"),
        ("news", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    # Reversing leaves the groups in place: people may already belong to them.
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
