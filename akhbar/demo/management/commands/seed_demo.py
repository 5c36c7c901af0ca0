"""`akhbar seed_demo [--if-empty]`: fill an empty database with Akhbar's demo news site."""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from akhbar.demo.content import ContentError, load_content
from akhbar.demo.seeding import DemoSeeder, site_has_content, site_has_pages_to_keep


class Command(BaseCommand):
    help = (
        "Create the demo site: home page, sections, authors, original Arabic articles with "
        "generated pictures, and the about/contact/privacy pages. Refuses to run on a database "
        "that already has articles or pages under its home page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has content; used by `akhbar serve`.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and site_has_content():
            self.stdout.write(_("The database already has content; the demo site was not seeded."))
            return
        if site_has_pages_to_keep():
            raise CommandError(
                _("The database already has content. Seed the demo site only into an empty database, or pass --if-empty to skip quietly.")
            )
        try:
            content = load_content()
            self.stdout.write(_("Seeding the demo site; this takes a little while…"))
            self.stdout.flush()
            with _quiet_page_log():
                summary = DemoSeeder(content).run()
        except ContentError as exc:
            raise CommandError(_("The demo content is invalid: %(error)s") % {"error": exc}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo site seeded: %(articles)d articles in %(sections)d sections, %(authors)d authors, "
                    "%(pages)d pages, %(images)d pictures."
                )
                % vars(summary)
            )
        )


@contextmanager
def _quiet_page_log():
    """Wagtail logs every page created and published at INFO: ~100 lines that would bury the
    URLs `akhbar serve` prints on first start. One summary line says the same."""
    logger = logging.getLogger("wagtail")
    previous = logger.level
    logger.setLevel(max(previous, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(previous)
