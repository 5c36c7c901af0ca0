"""An index on Wagtail's page URL paths: HomePage.route finds the requested page by its full
URL path in one lookup (Wagtail's own routing walks the tree one query per path segment)."""

from django.db import migrations

INDEX = "news_page_url_path_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (url_path)",
            f"DROP INDEX IF EXISTS {INDEX}",
            elidable=False,
        )
    ]
