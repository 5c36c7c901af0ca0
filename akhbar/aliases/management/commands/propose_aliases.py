from django.core.management.base import BaseCommand

from akhbar.aliases.proposals import MAX_PROPOSALS_PER_RUN, propose_aliases


class Command(BaseCommand):
    help = "Propose Latin aliases for the most used tags (editors accept or reject them in the admin)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=MAX_PROPOSALS_PER_RUN)

    def handle(self, *args, limit, **options):
        created = propose_aliases(limit=max(0, limit))
        self.stdout.write(f"{created} proposals created")
