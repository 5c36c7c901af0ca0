"""What `akhbar serve` sets up before serving: administrator, home page, static files."""

import os
import stat
import time

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from wagtail.models import Page, Site

from akhbar.core.management.site_setup import CREDENTIALS_FILE, ensure_admin, ensure_home_page
from akhbar.core.management.static_files import collect_static_if_changed
from akhbar.news.models import HomePage

User = get_user_model()


@pytest.mark.django_db
def test_a_generated_password_is_made_once_kept_private_and_reused(tmp_path):
    first = ensure_admin(tmp_path, environ={})
    assert first.source == "generated" and first.username == "admin"
    assert len(first.password) >= 16
    credentials = tmp_path / CREDENTIALS_FILE
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert authenticate(username="admin", password=first.password).is_superuser

    second = ensure_admin(tmp_path, environ={})
    assert (second.source, second.password) == ("file", first.password)
    assert first.password in second.instructions(credentials)
    assert User.objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_a_fresh_database_next_to_an_old_credentials_file_gets_the_same_password(tmp_path):
    password = ensure_admin(tmp_path, environ={}).password
    User.objects.all().delete()
    again = ensure_admin(tmp_path, environ={})
    assert again.password == password
    assert authenticate(username="admin", password=password) is not None


@pytest.mark.django_db
def test_a_password_changed_in_the_admin_is_respected_not_reset(tmp_path):
    generated = ensure_admin(tmp_path, environ={}).password
    user = User.objects.get(username="admin")
    user.set_password("a new secret of my own 42")
    user.save()

    login = ensure_admin(tmp_path, environ={})
    assert login.source == "changed" and login.password is None
    assert generated not in login.instructions(tmp_path / CREDENTIALS_FILE)
    assert authenticate(username="admin", password="a new secret of my own 42") is not None


@pytest.mark.django_db
def test_credentials_from_the_environment_are_used_and_never_echoed(tmp_path):
    environ = {"AKHBAR_ADMIN_USER": "chief", "AKHBAR_ADMIN_PASSWORD": "s3cret passphrase for chief"}
    login = ensure_admin(tmp_path, environ=environ)
    assert (login.username, login.source, login.password) == ("chief", "env", None)
    text = login.instructions(tmp_path / CREDENTIALS_FILE)
    assert "chief" in text and "AKHBAR_ADMIN_PASSWORD" in text
    assert "s3cret" not in text
    assert not (tmp_path / CREDENTIALS_FILE).exists()
    assert authenticate(username="chief", password="s3cret passphrase for chief").is_superuser

    # A changed environment password takes effect at the next start.
    ensure_admin(tmp_path, environ={**environ, "AKHBAR_ADMIN_PASSWORD": "another passphrase"})
    assert authenticate(username="chief", password="another passphrase") is not None
    assert authenticate(username="chief", password="s3cret passphrase for chief") is None


@pytest.mark.django_db
def test_an_existing_account_without_known_password_is_left_alone(tmp_path):
    User.objects.create_superuser("admin", password="made with createsuperuser")
    login = ensure_admin(tmp_path, environ={})
    assert login.source == "existing" and login.password is None
    assert not (tmp_path / CREDENTIALS_FILE).exists()
    assert authenticate(username="admin", password="made with createsuperuser") is not None


@pytest.mark.django_db
def test_an_empty_database_gets_a_home_page_in_place_of_wagtails_welcome_page(client):
    assert not HomePage.objects.exists()
    home = ensure_home_page()

    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert home.live and home.slug == "home" and home.url_path == "/home/"
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()  # the welcome page is gone
    assert client.get("/").status_code == 200

    assert ensure_home_page().pk == home.pk  # nothing more on the next start
    assert HomePage.objects.count() == 1


@pytest.mark.django_db
def test_a_site_with_a_home_page_is_left_as_it_is(home):
    before = list(Page.objects.values_list("pk", "path"))
    assert ensure_home_page().pk == home.pk
    assert list(Page.objects.values_list("pk", "path")) == before


def test_static_files_are_collected_again_only_when_a_source_changed(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "app.css").write_text("body { color: black }")
    with override_settings(STATIC_ROOT=tmp_path / "collected", STATICFILES_DIRS=[sources]):
        assert collect_static_if_changed() is True
        assert (tmp_path / "collected" / "app.css").exists()
        assert collect_static_if_changed() is False

        (sources / "app.css").write_text("body { color: navy; background: white }")
        later = time.time() + 10  # an edit made after the last collection
        os.utime(sources / "app.css", (later, later))
        assert collect_static_if_changed() is True
        assert "navy" in (tmp_path / "collected" / "app.css").read_text()


@override_settings(DEBUG=True)
def test_serve_refuses_to_run_with_debug_on():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("serve", "--port", "8209")
