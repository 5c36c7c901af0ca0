"""OpenSearch/Elasticsearch settings: the shipped JSON is valid, complete and in sync with Akhbar's tables.

No OpenSearch server runs here: these tests check the JSON, replay its character filters
and stop words in Python against Akhbar's own analyser, and check the mapping and query the
backend would send. They do not show that a server accepts them.
"""

import importlib
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.core.management import call_command
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseMapping, ElasticsearchBaseSearchQueryCompiler

from akhbar.arabic.analysis import ANALYZER, STOP_WORDS
from akhbar.arabic.analysis.normalize import fold_final
from akhbar.news.models import ArticlePage
from akhbar.search import opensearch_analysis
from akhbar.search.management.commands.opensearch_settings import TEMPLATE_PATH
from akhbar.search.opensearch import ArabicMappingMixin, StemsQueryMixin, backend_class

# Built into OpenSearch and Elasticsearch (no plugin needed).
BUILT_IN_FILTERS = {"cjk_width", "lowercase", "asciifolding", "arabic_normalization", "keyword_repeat", "remove_duplicates"}
BUILT_IN_TYPES = {"stop", "truncate", "keyword_marker", "stemmer", "mapping", "pattern_replace"}


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def analysis(shipped) -> dict:
    return shipped["template"]["settings"]["analysis"]


def test_the_shipped_template_is_what_the_command_generates_now(capsys):
    """Regenerate with `manage.py opensearch_settings --write` after changing akhbar/arabic/analysis."""
    call_command("opensearch_settings")
    assert capsys.readouterr().out == TEMPLATE_PATH.read_text(encoding="utf-8")


def test_every_analyser_uses_only_defined_or_built_in_parts(analysis):
    for name, analyser in analysis["analyzer"].items():
        assert analyser["type"] == "custom" and analyser["tokenizer"] == "standard", name
        assert set(analyser["char_filter"]) <= set(analysis["char_filter"]), name
        assert set(analyser["filter"]) <= set(analysis["filter"]) | BUILT_IN_FILTERS, name
    for part in [*analysis["char_filter"].values(), *analysis["filter"].values()]:
        assert part["type"] in BUILT_IN_TYPES
    assert analysis["analyzer"]["default"] == analysis["analyzer"][opensearch_analysis.SURFACE_ANALYZER]


def test_stop_words_and_protected_names_are_akhbars(analysis):
    assert analysis["filter"]["akhbar_stop"]["stopwords"] == sorted(STOP_WORDS)
    assert "على" in STOP_WORDS and "علي" not in analysis["filter"]["akhbar_stop"]["stopwords"]  # ى kept for the check
    surface = analysis["analyzer"][opensearch_analysis.SURFACE_ANALYZER]["filter"]
    assert surface.index("akhbar_stop") < surface.index("arabic_normalization")  # ... and folded only after it
    from akhbar.arabic.analysis import ArabicAnalyzer

    assert analysis["filter"]["akhbar_protected"]["keywords"] == sorted(ArabicAnalyzer().protected)
    assert "بوتين" in analysis["filter"]["akhbar_protected"]["keywords"]
    # keyword_repeat's second copy is not a keyword: names must be marked after it, before the stemmer.
    stems = analysis["analyzer"][opensearch_analysis.STEMS_ANALYZER]["filter"]
    assert stems[-4:] == ["keyword_repeat", "akhbar_protected", "akhbar_light_stem", "remove_duplicates"]


def test_mapping_lines_are_well_formed(analysis):
    lines = analysis["char_filter"]["akhbar_letters"]["mappings"]
    assert len(lines) == len(set(lines)) > 100
    for line in lines + analysis["char_filter"]["akhbar_hamza_carriers"]["mappings"]:
        source, target = line.split(" => ")
        assert source and target.strip() == target and target, line
        assert target == "\\u0020" or "\\" not in target, line
    assert {"أ => ا", "إ => ا", "آ => ا", "٣ => 3", "۴ => 4", "ک => ك", "ﻻ => لا", "ﺋ => ئ"} <= set(lines)
    assert analysis["char_filter"]["akhbar_hamza_carriers"]["mappings"] == ["ئو => وو", "ئ => ي", "ؤ => و"]


# Replaying the chain in Python ------------------------------------------------------------------


def java_to_python(pattern: str) -> str:
    return pattern.replace("[\\p{L}\\p{N}_]", "\\w")


def replay_surface(analysis: dict, text: str) -> list[str]:
    """What akhbar_surface gives, replayed with Python's re (enough for Arabic, digits and plain Latin)."""
    char_filters = analysis["char_filter"]
    for name in analysis["analyzer"]["akhbar_surface"]["char_filter"]:
        char_filter = char_filters[name]
        if char_filter["type"] == "pattern_replace":
            text = re.sub(java_to_python(char_filter["pattern"]), char_filter["replacement"], text)
        else:
            table = dict(line.replace("\\u0020", " ").split(" => ") for line in char_filter["mappings"])
            text = re.sub("|".join(map(re.escape, sorted(table, key=len, reverse=True))), lambda match: table[match.group()], text)
    stop = set(analysis["filter"]["akhbar_stop"]["stopwords"])
    length = analysis["filter"]["akhbar_max_length"]["length"]
    return [fold_final(word)[:length] for word in re.findall(r"\w+", text.lower()) if word not in stop]


@pytest.mark.parametrize(
    "text",
    [
        "انتخابات الولايات المتحدة: حملة الرئيس في إدارة السياسة الخارجية",
        "قالَ وزيرُ الخارجيّـــة إنّ المؤتمر سيُعقد في القاهرة على هامش القمة",
        "زملائه وزملاؤه ومسئول المسؤولين يتحدثون عن مستشفى المدينة",
        "\u202bأعلنت الهيئة\u202c\u200f أرقاما جديدة عام ٢٠٢٤ و ۲۰۲۵",
        "ﻻ تراجع عن القرار، قال علي لصحيفة الشرق",
        "Reuters: the Minister said",
    ],
)
def test_the_surface_chain_gives_akhbars_surface_words(analysis, text):
    assert replay_surface(analysis, text) == ANALYZER.index_terms(text).surface


# The backend's mapping and query ------------------------------------------------------------------


class Mapping(ArabicMappingMixin, ElasticsearchBaseMapping):
    pass


class Compiler(StemsQueryMixin, ElasticsearchBaseSearchQueryCompiler):
    mapping_class = Mapping


def test_every_full_text_field_is_analysed_with_a_stems_subfield():
    properties = Mapping(ArticlePage).get_mapping()["properties"]
    for name in ("title", "_all_text", "_all_text_boost_2_0", "news_articlepage__body"):
        assert properties[name]["analyzer"] == "akhbar_surface", name
        assert properties[name]["fields"]["stems"] == {"type": "text", "analyzer": "akhbar_stems"}, name
    assert properties["news_articlepage__tags"]["properties"]["name"]["fields"]["stems"]["analyzer"] == "akhbar_stems"
    assert properties["_edgengrams"]["analyzer"] == "edgengram_analyzer"
    assert properties["_edgengrams"]["search_analyzer"] == "akhbar_autocomplete"
    assert properties["title_filter"] == {"type": "keyword"}


def test_a_query_weighs_the_surface_above_the_stems():
    query = Compiler(ArticlePage.objects.all(), "بالولايات").get_inner_query()
    assert query["multi_match"]["fields"] == ["_all_text", "_all_text_boost_2_0^2.0", "_all_text.stems^0.5", "_all_text_boost_2_0.stems"]
    titles = Compiler(ArticlePage.objects.all(), "بالولايات", fields=["title"]).get_inner_query()
    assert titles["multi_match"]["fields"] == ["title^2", "title.stems"]


def test_the_backend_names_the_missing_client_library():
    from django.core.exceptions import ImproperlyConfigured

    try:
        importlib.import_module("opensearchpy")
    except ImportError:
        with pytest.raises(ImproperlyConfigured, match="pip install opensearch-py"):
            backend_class("opensearch2")
    with pytest.raises(ImproperlyConfigured, match="opensearch2"):
        backend_class("solr")


def test_environment_selects_opensearch(monkeypatch):
    import akhbar.settings.base as base

    monkeypatch.setenv("AKHBAR_SEARCH_ANALYSIS", "opensearch")
    monkeypatch.setenv("AKHBAR_SEARCH_URL", "https://search-1.internal:9200,https://search-2.internal:9200")
    monkeypatch.setenv("AKHBAR_SEARCH_ENGINE", "elasticsearch8")
    try:
        backend = importlib.reload(base).WAGTAILSEARCH_BACKENDS["default"]
        assert backend["BACKEND"] == "akhbar.search.opensearch"
        assert backend["VENDOR"] == "elasticsearch8"
        assert backend["URLS"] == ["https://search-1.internal:9200", "https://search-2.internal:9200"]
        assert backend["INDEX_PREFIX"] == "akhbar_"
    finally:
        for name in ("AKHBAR_SEARCH_ANALYSIS", "AKHBAR_SEARCH_URL", "AKHBAR_SEARCH_ENGINE"):
            monkeypatch.delenv(name)
        importlib.reload(base)


ARABIC_TEXT = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x0621, 0x064B)] + list("ًٌٍَُِّْـ\u0670\u202b\u202c\u200f\u2067\u2069ﻻﷲکیۀ") + [" "] * 6
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ARABIC_TEXT)
def test_the_surface_chain_agrees_with_akhbar_on_any_arabic_text(analysis, text):
    assert replay_surface(analysis, text) == ANALYZER.index_terms(text).surface
