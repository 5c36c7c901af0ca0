"""Wagtail search on OpenSearch or Elasticsearch with Akhbar's Arabic analysis (for scale).

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "akhbar.search.opensearch",
                                          "VENDOR": "opensearch2", "URLS": [...], "INDEX_PREFIX": "akhbar_"}}

VENDOR names one of modelsearch's client backends (opensearch2, opensearch3, elasticsearch7,
elasticsearch8, elasticsearch9); its client library (opensearch-py or elasticsearch) is
installed only where this backend is used, it is not a dependency of Akhbar. On top of it:

- the index gets Akhbar's analysers (opensearch_analysis.py, generated from akhbar.arabic);
- every full-text field is analysed with `akhbar_surface` and has a subfield `stems`
  analysed with `akhbar_stems`; autocomplete's edge n-grams and what a reader types are folded;
- a query searches each field and, at STEMS_BOOST of its weight, the field's stems, so an
  exact word outranks a stem-only match, as on SQLite and PostgreSQL.
"""

import importlib
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from modelsearch.backends.elasticsearchbase import Field
from modelsearch.utils import deep_update

from .opensearch_analysis import (
    AUTOCOMPLETE_SEARCH_ANALYZER,
    STEMS_ANALYZER,
    STEMS_BOOST,
    STEMS_SUBFIELD,
    SURFACE_ANALYZER,
    index_settings,
    modelsearch_overrides,
)

VENDORS = ("opensearch2", "opensearch3", "elasticsearch7", "elasticsearch8", "elasticsearch9")
CLIENT_PACKAGES = {"opensearch": "opensearch-py", "elasticsearch": "elasticsearch"}


def analysed(mapping: dict) -> dict:
    """A text field's mapping with Akhbar's surface analyser and the stems subfield (other fields unchanged)."""
    if mapping.get("type") != "text":
        return mapping
    if "analyzer" in mapping:  # autocomplete: edge n-grams, folded (modelsearch_overrides), typed words folded too
        return {**mapping, "search_analyzer": AUTOCOMPLETE_SEARCH_ANALYZER}
    return {
        **mapping,
        "analyzer": SURFACE_ANALYZER,
        "fields": {**mapping.get("fields", {}), STEMS_SUBFIELD: {"type": "text", "analyzer": STEMS_ANALYZER}},
    }


class ArabicMappingMixin:
    def get_mapping(self):
        mapping = super().get_mapping()
        mapping["properties"] = _analyse_properties(mapping["properties"])
        return mapping


def _analyse_properties(properties: dict) -> dict:
    result = {}
    for name, field_mapping in properties.items():
        if field_mapping.get("type") == "nested":
            field_mapping = {**field_mapping, "properties": _analyse_properties(field_mapping["properties"])}
        result[name] = analysed(field_mapping)
    return result


class StemsQueryMixin:
    """Each searched field also through its stems subfield, at STEMS_BOOST of its weight."""

    def _remap_fields(self, fields):
        remapped = super()._remap_fields(fields)
        return remapped + [Field(f"{field.field_name}.{STEMS_SUBFIELD}", field.boost * STEMS_BOOST) for field in remapped]


@cache
def backend_class(vendor: str):
    """modelsearch's backend for `vendor`, with Akhbar's analysis (one class per vendor)."""
    if vendor not in VENDORS:
        raise ImproperlyConfigured(f"AKHBAR_SEARCH_ENGINE must be one of {', '.join(VENDORS)}, not {vendor!r}")
    try:
        module = importlib.import_module(f"modelsearch.backends.{vendor}")
    except ImportError as error:
        package = CLIENT_PACKAGES["opensearch" if vendor.startswith("opensearch") else "elasticsearch"]
        raise ImproperlyConfigured(
            f"The {vendor} search backend needs the {package} client library: pip install {package} ({error})"
        ) from error
    vendor_backend = module.SearchBackend
    mapping = type("ArabicMapping", (ArabicMappingMixin, vendor_backend.mapping_class), {})
    compiler = type(
        "ArabicQueryCompiler", (StemsQueryMixin, vendor_backend.query_compiler_class), {"mapping_class": mapping}
    )
    autocomplete = type(
        "ArabicAutocompleteCompiler", (vendor_backend.autocomplete_query_compiler_class,), {"mapping_class": mapping}
    )
    return type(
        "ArabicSearchBackend",
        (vendor_backend,),
        {"mapping_class": mapping, "query_compiler_class": compiler, "autocomplete_query_compiler_class": autocomplete},
    )


def SearchBackend(params):  # noqa: N802 - the name modelsearch looks up in a backend module
    params = dict(params)
    vendor = params.pop("VENDOR", "opensearch2")
    akhbar_settings = deep_update(index_settings(), modelsearch_overrides())
    params["INDEX_SETTINGS"] = deep_update({"settings": akhbar_settings}, params.get("INDEX_SETTINGS", {}))
    return backend_class(vendor)(params)
