"""What both database indexes share: analyse every object once, write them in bulk."""

from modelsearch.utils import get_content_type_pk

from .analysis import AnalysedDocument, analyse_object


class AnalysedIndexMixin:
    """modelsearch's add_items, with the object's text replaced by Akhbar's analysis of it.

    The stock indexes keep a title_norm column up to date after every batch (a scan of the
    whole index table); the ranking here normalises by length itself, so that is skipped.
    """

    def _refresh_title_norms(self, full=False):
        pass

    def add_items(self, model, objs):
        if not model.get_search_fields() or not objs:
            return
        documents = {str(obj.pk): analyse_object(obj) for obj in objs}
        self.write_documents(get_content_type_pk(model), documents)

    def write_documents(self, content_type_id: int, documents: dict[str, AnalysedDocument]) -> None:
        raise NotImplementedError
