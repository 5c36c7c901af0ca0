"""`akhbar serve` (what `make run` runs): set the site up, then serve it with its task worker.

Migrates, collects static files (skipped when unchanged), seeds the demo content into an
empty database (or at least makes sure there is a home page), makes sure an administrator
can log in, then runs the web server (granian, see akhbar/core/web_server.py) and `akhbar
worker` as child processes until Ctrl-C (or until either of them dies, which stops the other
and exits non-zero).
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from akhbar.core.management.site_setup import CREDENTIALS_FILE, ensure_admin, ensure_home_page
from akhbar.core.management.static_files import collect_static_if_changed
from akhbar.core.management.supervisor import Supervisor

WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]", ""}


class Command(BaseCommand):
    help = "Migrate, seed the demo site if empty and serve it (granian) with its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"), help="Address to listen on (HOST).")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000), help="Port (PORT).")
        parser.add_argument("--no-seed", action="store_true", help="Do not seed demo content into an empty database.")

    def handle(self, *, host, port, no_seed, **options):
        if settings.DEBUG:
            raise CommandError(
                "akhbar serve is the production server and runs with DEBUG off; "
                "use the production settings (unset DEBUG / DJANGO_SETTINGS_MODULE), or runserver for development."
            )
        try:
            self.set_up_site(no_seed)
            login = ensure_admin(settings.VAR_DIR)
        except KeyboardInterrupt:
            self.stderr.write("Interrupted while setting up; nothing is running.")
            sys.exit(130)
        connections.close_all()  # the children open their own
        sys.exit(self.run_processes(host, port, login))

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def set_up_site(self, no_seed: bool) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.say(f"Database: applying {len(pending)} migrations…")
            call_command("migrate", interactive=False, verbosity=0)
        self.say("Static files: collected." if collect_static_if_changed() else "Static files: up to date.")

        # The demo seeder builds its own home page, so it goes first; without it (or with
        # --no-seed) an empty database still gets a home page for the site to serve.
        if no_seed:
            pass
        elif "seed_demo" in get_commands():
            call_command("seed_demo", if_empty=True)
        else:
            self.say("Demo content: the seed_demo command is not available; skipping.")
        ensure_home_page()

    def run_processes(self, host: str, port: int, login) -> int:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "akhbar.settings.production"),
            HOST=host,
            PORT=str(port),
            AKHBAR_VAR_DIR=str(settings.VAR_DIR),
            PYTHONUNBUFFERED="1",
        )
        shown_host = "127.0.0.1" if host in WILDCARD_HOSTS else host
        base_url = f"http://{shown_host if ':' not in shown_host else f'[{shown_host}]'}:{port}"
        env.setdefault("WAGTAILADMIN_BASE_URL", base_url)

        supervisor = Supervisor(
            {
                "web server": [sys.executable, "-m", "akhbar.core.web_server"],
                "task worker": [sys.executable, "-m", "akhbar.manage", "worker", "--verbosity", "0"],
            },
            env,
        )
        supervisor.start()
        try:
            if supervisor.wait_until_listening(shown_host.strip("[]"), port):
                self.print_banner(base_url, login, host)
                gone = supervisor.wait()
            else:
                gone = supervisor.exited()
        finally:
            supervisor.stop()
        if gone:
            name, code = gone
            self.stderr.write(f"The {name} stopped (exit code {code}); stopped the rest.")
            return 1
        if supervisor.stop_signal is None:
            self.stderr.write("The web server did not start listening; stopped.")
            return 1
        self.say("Stopped.")
        return 0

    def print_banner(self, base_url: str, login, host: str) -> None:
        lines = [
            "",
            "Akhbar is running:",
            f"  site:  {base_url}/",
            f"  admin: {base_url}/admin/",
            f"  {login.instructions(settings.VAR_DIR / CREDENTIALS_FILE)}",
        ]
        if host in WILDCARD_HOSTS:
            lines.append("  listening on all interfaces: set ALLOWED_HOSTS to the names readers use.")
        lines += ["Press Ctrl-C to stop the site and its worker.", ""]
        self.say("\n".join(lines))
