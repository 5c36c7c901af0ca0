"""collectstatic that is skipped when nothing changed since the last run.

WhiteNoise's manifest storage hashes and compresses every file on each collectstatic (about
ten seconds for Wagtail's admin here), so `akhbar serve` first compares a fingerprint of the
source files (path, size, modification time) with the one saved after the last collection.
"""

import hashlib
import json
import os

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

FINGERPRINT_FILE = ".akhbar-collected"
MANIFEST_FILE = "staticfiles.json"


def source_fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(settings.STORAGES.get("staticfiles", {}), sort_keys=True).encode())
    digest.update(str(settings.STATIC_URL).encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))  # finders' storages are all on the file system
            entries.append(f"{getattr(storage, 'prefix', '') or ''}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode("utf-8", "surrogateescape"))
        digest.update(b"\n")
    return digest.hexdigest()


def collect_static_if_changed() -> bool:
    """Run collectstatic unless the collected files are already current; True when it ran."""
    static_root = settings.STATIC_ROOT
    marker = static_root / FINGERPRINT_FILE
    fingerprint = source_fingerprint()
    manifest_needed = "Manifest" in settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    up_to_date = (
        marker.exists()
        and marker.read_text().strip() == fingerprint
        and (not manifest_needed or (static_root / MANIFEST_FILE).exists())
    )
    if up_to_date:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    static_root.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint + "\n")
    return True
