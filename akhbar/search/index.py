"""What both database indexes share: analyse every object once, write them in bulk, and keep
the vocabulary (vocabulary.py) in step with what is written or removed."""

from django.db import transaction
from modelsearch.backends import get_search_backends
from modelsearch.utils import get_content_type_pk

from . import vocabulary
from .analysis import AnalysedDocument, analyse_object


class AnalysedIndexMixin:
    """modelsearch's add_items, with the object's text replaced by Akhbar's analysis of it.

    The stock indexes keep a title_norm column up to date after every batch (a scan of the
    whole index table); the ranking here normalises by length itself, so that is skipped.
    Each write also moves the vocabulary's counts by the difference between the documents'
    words before and after (one extra read of the documents' stored words, one upsert per
    few hundred changed words), so a word is known as soon as its article is indexed.
    """

    def _refresh_title_norms(self, full=False):
        pass

    def add_items(self, model, objs):
        if not model.get_search_fields() or not objs:
            return
        documents = {str(obj.pk): analyse_object(obj) for obj in objs}
        content_type_id = get_content_type_pk(model)
        connection = self.write_connection
        with transaction.atomic(using=connection.alias):
            before = vocabulary.stored_words_of_objects(connection, content_type_id, list(documents))
            self.write_documents(content_type_id, documents)
            vocabulary.record(connection, before.values(), map(vocabulary.document_words, documents.values()))

    def write_documents(self, content_type_id: int, documents: dict[str, AnalysedDocument]) -> None:
        raise NotImplementedError

    def delete_item(self, item):
        connection = self.write_connection
        with transaction.atomic(using=connection.alias):
            before = vocabulary.stored_words_of_item(connection, item)
            super().delete_item(item)
            vocabulary.record(connection, before, [])

    def reset(self):
        super().reset()
        vocabulary.forget_all(self.write_connection)


def remove_before_delete(sender, instance, **kwargs):
    """pre_delete: take an object out of Akhbar's index while its entries still exist.

    Django deletes an object's index entries with it (a generic relation) before modelsearch's
    post_delete handler runs, so by then the words to uncount would be gone. Removing them
    here first leaves nothing for the cascade and for that handler, so nothing counts twice.
    """
    if getattr(instance, "index_entries", None) is None or instance.pk is None:
        return
    for backend in get_search_backends(with_auto_update=True):
        index = backend.get_index_for_model(type(instance))
        if isinstance(index, AnalysedIndexMixin):
            index.delete_item(instance)
