"""Every UI string in the code has its Arabic translation, and the compiled catalogue is current.

`make messages` (Django's makemessages) is run on a copy of the package, so the working tree is
left alone; a string added without its translation, or a .po edited without compiling, fails.
"""

import gettext
import io
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require

PACKAGE = Path(__file__).resolve().parent.parent / "akhbar"
CATALOGUE = PACKAGE / "locale" / "ar" / "LC_MESSAGES"


def gettext_tools() -> None:
    missing = [tool for tool in ("xgettext", "msgattrib", "msgmerge", "msgfmt") if shutil.which(tool) is None]
    require(not missing, f"GNU gettext is not installed ({', '.join(missing)} missing): apt-get install gettext")


def untranslated(po: Path) -> list[str]:
    listed = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True, check=True)
    msgids = [line for line in listed.stdout.splitlines() if line.startswith("msgid ")]
    return [msgid for msgid in msgids if msgid != 'msgid ""']


def test_every_string_in_the_code_has_an_arabic_translation(tmp_path):
    gettext_tools()
    copy = tmp_path / "akhbar"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    done = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ar", "--no-obsolete", "--no-location"],
        cwd=copy, capture_output=True, text=True, env={"DJANGO_SETTINGS_MODULE": "akhbar.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    missing = untranslated(copy / "locale" / "ar" / "LC_MESSAGES" / "django.po")
    assert not missing, "strings without an Arabic translation (add them to akhbar/locale/ar/LC_MESSAGES/django.po):\n" + "\n".join(missing)


def test_the_compiled_catalogue_matches_the_po_file():
    gettext_tools()
    fresh = subprocess.run(["msgfmt", "--check", "-o", "-", str(CATALOGUE / "django.po")], capture_output=True, check=True).stdout
    shipped = (CATALOGUE / "django.mo").read_bytes()
    catalogue = lambda data: gettext.GNUTranslations(io.BytesIO(data))._catalog  # noqa: E731
    assert catalogue(fresh) == catalogue(shipped), "django.mo is older than django.po: run make messages (or compilemessages)"
