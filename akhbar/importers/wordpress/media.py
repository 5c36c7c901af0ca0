"""WordPress attachments → Wagtail images, when their files are found under `--uploads`.

The files are checked as the admin's upload form checks them (Wagtail's own image field:
extension, size, pixel count, a real image), and only ever read from inside the uploads
directory, whatever path a hostile export names. An attachment without a usable file is
recorded with its original address, so a later run with the files can import it.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from ..indexing import index_objects
from ..models import ImportedObject
from ..records import one_line
from .wxr import Item

UPLOADS_MARKER = "/wp-content/uploads/"
# WordPress's resized copies: photo-300x200.jpg, photo-scaled.jpg, photo-1024x768-1.jpg stay one image.
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")


@dataclass
class AttachmentInfo:
    post_id: str
    url: str
    file: str  # relative to the uploads directory, e.g. 2025/03/photo.jpg
    title: str
    alt: str
    line: int

    @classmethod
    def from_item(cls, item: Item) -> "AttachmentInfo":
        url = item.attachment_url or item.link
        relative = item.meta.get("_wp_attached_file", "").strip() or uploads_path(url)
        return cls(
            post_id=item.post_id,
            url=url,
            file=relative,
            title=one_line(item.title)[:255],
            alt=one_line(item.meta.get("_wp_attachment_image_alt", ""))[:255],
            line=item.line,
        )


def uploads_path(url: str) -> str:
    """'https://site/wp-content/uploads/2025/03/a-300x200.jpg' → '2025/03/a.jpg' (the original's key)."""
    try:
        path = unquote(urlsplit(url.strip()).path)
    except ValueError:
        return ""
    _before, marker, after = path.partition(UPLOADS_MARKER)
    return _SIZE_SUFFIX.sub("", after) if marker else ""


class AttachmentImporter:
    def __init__(self, source: str, uploads: Path | None, summary, problem: Callable, *, dry_run: bool = False):
        self.source = source
        self.uploads = uploads.resolve() if uploads else None
        self.summary = summary
        self.problem = problem
        self.dry_run = dry_run
        self.by_id: dict[str, int] = {}
        self.by_file: dict[str, int] = {}
        self.missing: set[str] = set()
        self.image_type = ContentType.objects.get_for_model(get_image_model())

    def lookup(self, attachment_id: int | None, url: str) -> int | None:
        """For the content converter: the image of an attachment ID or of an uploads URL (any size)."""
        if attachment_id is not None and str(attachment_id) in self.by_id:
            return self.by_id[str(attachment_id)]
        return self.by_file.get(uploads_path(url)) if url else None

    def image_id(self, attachment_id: str) -> int | None:
        return self.by_id.get(attachment_id)

    def note_missing(self, url: str) -> None:
        self.missing.add(url)

    def run(self, attachments: Iterable[AttachmentInfo]) -> None:
        tally = self.summary.tally("images")
        known = {
            row.source_id: row
            for row in ImportedObject.objects.filter(source=self.source, kind=ImportedObject.Kind.ATTACHMENT)
        }
        Image = get_image_model()
        for info in attachments:
            record = known.get(info.post_id)
            if record is not None and record.object_id and Image.objects.filter(pk=record.object_id).exists():
                self._found(info, int(record.object_id))
                tally.unchanged += 1
                continue
            path, reason = self._file_of(info)
            if path is None:
                self._record(info, None, reason)
                self.summary.skip("images", reason)
                continue
            try:
                image = self._image(info, path)
            except ValidationError as error:
                reason = " ".join(error.messages)
                self.problem(info.line, _("attachment %(id)s") % {"id": info.post_id}, reason)
                self._record(info, None, reason)
                tally.failed += 1
                continue
            if image is not None:
                self._found(info, image.pk)
                self._record(info, image, "")
            tally.created += 1

    def _found(self, info: AttachmentInfo, pk: int) -> None:
        self.by_id[info.post_id] = pk
        if info.file:
            self.by_file[_SIZE_SUFFIX.sub("", info.file)] = pk

    def _file_of(self, info: AttachmentInfo) -> tuple[Path | None, str]:
        if self.uploads is None:
            return None, _("no uploads directory was given (--uploads)")
        if not info.file:
            return None, _("the export does not say which file it is")
        candidate = (self.uploads / info.file.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.uploads):
            return None, _("its file path leaves the uploads directory")
        if not candidate.is_file():
            return None, _("its file was not found under the uploads directory")
        return candidate, ""

    def _image(self, info: AttachmentInfo, path: Path):
        """Checked as an upload through the admin would be; None on a dry run (nothing is stored)."""
        limit = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
        if path.stat().st_size > limit:
            raise ValidationError(_("the file is larger than the %(size)s MB images may have") % {"size": limit // (1024 * 1024)})
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        WagtailImageField().clean(upload)
        if self.dry_run:
            return None
        upload.seek(0)
        image = get_image_model()(title=info.title or path.stem, file=upload)
        if hasattr(image, "description"):
            image.description = info.alt
        image._set_image_file_metadata()
        image.save()
        index_objects(type(image), [image])
        return image

    def _record(self, info: AttachmentInfo, image, note: str) -> None:
        if self.dry_run:
            return
        ImportedObject.objects.update_or_create(
            source=self.source,
            kind=ImportedObject.Kind.ATTACHMENT,
            source_id=info.post_id,
            defaults={
                "content_type": self.image_type if image is not None else None,
                "object_id": str(image.pk) if image is not None else "",
                "original_url": info.url[:2000],
                "note": note[:300],
                "imported_at": timezone.now(),
            },
        )
