"""Search and reference indexes, written by the importer itself.

Wagtail 8 indexes pages through the task queue; with the database queue an imported page
would stay unsearchable until a worker ran, and a bulk import would leave one task per page.
The importer therefore writes the index entries in bulk, inside the batch's transaction.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends_with_name

logger = logging.getLogger(__name__)


def index_objects(model, objects) -> None:
    """Add or refresh `objects` in every search backend that auto-updates (what a page save would do).

    As in Wagtail: a database backend's error rolls the batch back; an external service's
    (e.g. OpenSearch down) is logged and the articles are saved anyway (`update_index` catches up).
    """
    if not objects:
        return
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(model, objects)
        except Exception:
            if not backend.catch_indexing_errors:
                raise
            logger.exception("Could not index %d imported %s in the '%s' search backend", len(objects), model.__name__, name)


def add_references(objects) -> None:
    """Reference index rows for freshly created objects (nothing to compare with, so one bulk insert).

    Uses Wagtail's own extractor, so the rows are exactly those `create_or_update_for_object` writes.
    """
    rows = []
    for obj in objects:
        content_types = [ContentType.objects.get_for_model(model) for model in [type(obj), *obj._meta.get_parent_list()]]
        references = set(ReferenceIndex._extract_references_from_object(obj))
        rows.extend(
            ReferenceIndex(
                content_type=content_types[0],
                base_content_type=content_types[-1],
                object_id=obj.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references
        )
    ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=connection.features.supports_ignore_conflicts)


def update_references(objects) -> None:
    """Changed objects: Wagtail's per-object update (adds and removes rows)."""
    for obj in objects:
        ReferenceIndex.create_or_update_for_object(obj)
