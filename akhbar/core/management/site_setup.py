"""What `akhbar serve` makes sure of before serving: a home page and an administrator.

Kept apart from the command so the demo seeder and tests can call the same steps.
"""

import dataclasses
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

CREDENTIALS_FILE = "admin_credentials"
DEFAULT_ADMIN_USER = "admin"


@transaction.atomic
def ensure_home_page():
    """The site's HomePage, created (replacing Wagtail's welcome page) when there is none yet."""
    from wagtail.models import Page, Site

    from akhbar.news.models import HomePage

    site_name = settings.WAGTAIL_SITE_NAME
    home = HomePage.objects.order_by("path").first()
    if home is None:
        root = Page.get_first_root_node()
        title = "الرئيسية" if settings.LANGUAGE_CODE.startswith("ar") else "Home"
        home = root.add_child(instance=HomePage(title=title, slug="akhbar-home", live=True))
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        welcome = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=site_name)
        else:
            site.root_page = home
            site.site_name = site.site_name or site_name
            site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page goes, unless someone built on it.
        if welcome is not None and welcome.specific_class is Page and welcome.depth == 2 and not welcome.numchild:
            welcome.delete()
            home.refresh_from_db()
            home.slug = "home"
            home.set_url_path(root)
            home.save()
        home.save_revision().publish()
    elif not Site.objects.exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=site_name)
    return home


@dataclasses.dataclass(frozen=True)
class AdminLogin:
    """How to log in, for the start-up banner. `password` is set only when Akhbar generated it."""

    username: str
    password: str | None
    source: str  # "env", "generated", "file", "changed" or "existing"

    def instructions(self, credentials_path: Path) -> str:
        if self.source == "env":
            return f'log in as "{self.username}" with the password in AKHBAR_ADMIN_PASSWORD'
        if self.source in ("generated", "file"):
            when = "generated now" if self.source == "generated" else "generated at the first start"
            return f'log in as "{self.username}" with password "{self.password}" ({when}, kept in {credentials_path})'
        if self.source == "changed":
            return (
                f'log in as "{self.username}" with the password you set in the admin '
                f"(it no longer matches {credentials_path})"
            )
        return (
            f'log in as "{self.username}" with the password you gave it '
            "(or set AKHBAR_ADMIN_USER and AKHBAR_ADMIN_PASSWORD)"
        )


def read_credentials(path: Path) -> dict[str, str]:
    values = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition(":")
            if sep:
                values[key.strip()] = value.strip()
    return values


def write_credentials(path: Path, username: str, password: str) -> None:
    """Write the file readable by its owner only (0600), replacing any older one atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"username: {username}\npassword: {password}\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _make_superuser(username: str, password: str):
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    return user


def ensure_admin(var_dir: Path, environ=os.environ) -> AdminLogin:
    """Make sure an administrator can log in; never with a fixed default password.

    AKHBAR_ADMIN_PASSWORD (with AKHBAR_ADMIN_USER, default "admin") sets the account on every
    start. Without it a password is generated once, kept in var/admin_credentials (0600) and
    reused; a password later changed in the admin is respected, never reset.
    """
    user_model = get_user_model()
    env_user = environ.get("AKHBAR_ADMIN_USER", "").strip()
    env_password = environ.get("AKHBAR_ADMIN_PASSWORD", "")
    if env_password:
        username = env_user or DEFAULT_ADMIN_USER
        user = user_model.objects.filter(username=username).first()
        if user is None or not user.check_password(env_password) or not user.is_superuser:
            _make_superuser(username, env_password)
        return AdminLogin(username, None, "env")

    path = var_dir / CREDENTIALS_FILE
    stored = read_credentials(path)
    if stored.get("username") and stored.get("password") and env_user in ("", stored["username"]):
        username, password = stored["username"], stored["password"]
        user = user_model.objects.filter(username=username).first()
        if user is None:  # a fresh database next to an old credentials file
            _make_superuser(username, password)
        elif not user.check_password(password):
            return AdminLogin(username, None, "changed")
        return AdminLogin(username, password, "file")

    username = env_user or DEFAULT_ADMIN_USER
    if user_model.objects.filter(username=username).exists():
        return AdminLogin(username, None, "existing")
    password = secrets.token_urlsafe(15)
    write_credentials(path, username, password)
    _make_superuser(username, password)
    return AdminLogin(username, password, "generated")
