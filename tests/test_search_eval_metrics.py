"""The scoring of `make eval-search` (bench/_search_metrics.py, bench/_search_report.py) on hand-made data.

A wrong metric would make every search figure in docs/search-eval.md wrong without anyone
noticing, so each rule is pinned here: where the first relevant result counts, what an
empty or short answer scores, repeated ids, and which articles "contain" a name.
"""

import json

import pytest

from bench._search_metrics import (
    NameMatcher,
    percentile,
    precision,
    reciprocal_rank,
    relevant_for_names,
    success,
)
from bench._search_report import Row, reference_rows, verdicts

# --- known-item metrics: MRR@10 and success@10 ------------------------------------------------


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        (["a", "b", "c"], 1.0),
        (["x", "a", "c"], 0.5),
        (["x", "y", "z", "a"], 0.25),
        ([f"x{n}" for n in range(9)] + ["a"], 0.1),  # 10th place still counts
        ([f"x{n}" for n in range(10)] + ["a"], 0.0),  # 11th place does not
        ([], 0.0),
        (["x", "y"], 0.0),
    ],
)
def test_reciprocal_rank_is_one_over_the_place_of_the_first_relevant_result_within_ten(ranking, expected):
    assert reciprocal_rank(ranking, {"a"}) == pytest.approx(expected)


def test_with_several_relevant_results_the_first_one_found_decides():
    assert reciprocal_rank(["x", "b", "a"], ["a", "b"]) == pytest.approx(0.5)


def test_results_without_an_external_id_take_a_place_but_never_match():
    ranking = [None, None, "a"]
    assert reciprocal_rank(ranking, {"a"}) == pytest.approx(1 / 3)
    assert success([None] * 10, {"a"}) == 0.0
    assert reciprocal_rank([None], set()) == 0.0


def test_a_repeated_id_before_the_relevant_one_still_pushes_it_down():
    assert reciprocal_rank(["x", "x", "a"], {"a"}) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [(["a"], 1.0), (["x"] * 9 + ["a"], 1.0), (["x"] * 10 + ["a"], 0.0), ([], 0.0)],
)
def test_success_at_ten(ranking, expected):
    assert success(ranking, ["a"]) == expected


def test_the_cutoff_can_be_chosen():
    assert reciprocal_rank(["x", "x", "a"], {"a"}, k=2) == 0.0
    assert success(["x", "a"], {"a"}, k=2) == 1.0


# --- precision@10 -------------------------------------------------------------------------------


def test_precision_counts_relevant_results_in_the_first_ten_places():
    ranking = ["r1", "x", "r2", "r3", "x2", "x3", "r4", "x4", "x5", "x6", "r5"]
    assert precision(ranking, {"r1", "r2", "r3", "r4", "r5"}) == pytest.approx(0.4)  # r5 is 11th


def test_precision_divides_by_ten_even_when_fewer_results_come_back():
    assert precision(["r1", "r2"], {"r1", "r2", "r3"}) == pytest.approx(0.2)
    assert precision([], {"r1"}) == 0.0


def test_precision_counts_a_relevant_id_returned_twice_once():
    assert precision(["r1", "r1", "r1"], {"r1"}) == pytest.approx(0.1)


def test_precision_with_nothing_relevant_is_zero_not_an_error():
    assert precision(["a", "b"], set()) == 0.0


def test_all_ten_relevant_is_a_perfect_score():
    ids = [f"r{n}" for n in range(10)]
    assert precision(ids, set(ids) | {"r99"}) == 1.0


# --- latency percentiles ----------------------------------------------------------------------


def test_percentiles_are_observed_values():
    values = [float(n) for n in range(1, 21)]  # 1..20
    assert percentile(values, 0.5) == 10.0
    assert percentile(values, 0.95) == 19.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) is None


# --- relevant set of Latin-name queries: "every indexed article containing the Arabic name" ---

TINY_INDEX = [
    {"id": "plain", "title": "بوتين يزور الصين", "body": "نص"},
    {"id": "particles", "title": "خبر", "body": "التقى وبوتين ولبوتين أمس"},
    {"id": "inside-another-word", "title": "خبر", "body": "عبوتين ناسفتين و بوتينا المتهمة"},
    {"id": "hamza-and-ta", "title": "أنقرة", "body": "أخبار"},
    {"id": "no-hamza", "title": "انقره ترد", "body": "نص"},
    {"id": "with-article", "title": "خبر", "body": "في الحديدة وبالحديدة"},
    {"id": "lil-contraction", "title": "خبر", "body": "المتاخمة للحديدة"},
    {"id": "diacritic", "title": "خبر", "body": "والحُديدة"},
    {"id": "tatweel", "title": "خبر", "body": "بوتـــين"},
    {"id": "both-words-apart", "title": "ريال بيتيس", "body": "أتليتيكو مدريد"},
    {"id": "one-word-only", "title": "ريال سوسيداد", "body": "نص"},
    {"id": "hashtag", "title": "خبر", "body": "#تيريزا_ماي في لندن"},
    {"id": "title-only-counts-too", "title": "ماكرون", "body": ""},
    {"id": "article-added", "title": "خبر", "body": "أنصار البريكست"},
]


@pytest.fixture(scope="module")
def judged():
    names = ["بوتين", "أنقرة", "الحديدة", "ريال مدريد", "تيريزا ماي", "ماكرون", "بريكست"]
    return relevant_for_names(TINY_INDEX, names)


def test_a_name_counts_as_a_whole_word_with_particles_in_front_not_inside_other_words(judged):
    assert judged["بوتين"] == {"plain", "particles", "tatweel"}


def test_hamza_and_ta_marbuta_forms_are_folded(judged):
    assert judged["أنقرة"] == {"hamza-and-ta", "no-hamza"}


def test_a_name_with_the_article_takes_prepositions_but_not_the_lil_contraction_or_diacritics(judged):
    assert judged["الحديدة"] == {"with-article"}


def test_every_word_of_a_longer_name_must_occur_but_anywhere_in_the_text(judged):
    assert judged["ريال مدريد"] == {"both-words-apart"}


def test_underscore_separates_words(judged):
    assert judged["تيريزا ماي"] == {"hashtag"}


def test_title_and_body_both_count(judged):
    assert judged["ماكرون"] == {"title-only-counts-too"}


def test_a_name_without_the_article_also_counts_with_it(judged):
    assert judged["بريكست"] == {"article-added"}


def test_an_empty_name_matches_nothing():
    assert not NameMatcher("").matches("أي نص")
    assert not NameMatcher("ـ").matches("أي نص")


# --- reference rows and verdicts ---------------------------------------------------------------

README = """# Set
## Reference figures on `dev_queries.jsonl`
Some words.

| system | clean_title | typo | Latin names P@10 |
|---|---|---|---|
| Lucene `arabic`, OR | 0.928 | 0.690 (0.87) | 0.065 |
| Lucene with the original word put back (a ceiling) | – | 0.942 | – |

## Other section
| not | a | reference |
|---|---|---|
| 1 | 2 | 3 |
"""


def test_reference_rows_are_read_from_the_readme_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    lucene, ceiling = reference_rows(readme)
    assert lucene.name == "Lucene arabic, OR"
    assert lucene.known == {"clean_title": (0.928, 1.0), "typo": (0.690, 0.87)}
    assert lucene.latin == pytest.approx(0.065)
    assert ceiling.ceiling and ceiling.known["clean_title"] == (None, None)
    assert reference_rows(tmp_path / "missing.md") == []


def test_verdicts_name_every_goal_and_reference_a_row_misses(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    references = reference_rows(readme)
    types = ["clean_title", "typo"]
    good = Row("good", known={"clean_title": (0.99, 1.0), "typo": (0.9, 1.0)}, latin=0.95)
    assert verdicts(good, references, types) == []
    weak = Row("weak", known={"clean_title": (0.98, 1.0), "typo": (0.8, 1.0)}, latin=0.5)
    misses = verdicts(weak, references, types)
    assert "typo 0.800 < goal 0.85" in misses
    assert any(miss.startswith("Latin P@10 0.500") for miss in misses)
    # the ceiling row (0.942 on typo) is not a bar to beat
    assert not any("0.942" in miss for miss in verdicts(good, references, types))


# --- query order -------------------------------------------------------------------------------


def test_queries_take_turns_by_type_so_a_run_cut_short_covers_every_type(tmp_path):
    from bench.search_eval import load_queries

    lines = [{"qid": f"{kind}-{n}", "type": kind, "query": "q", "relevant": []} for kind in "abc" for n in range(3)]
    lines = lines[:-1]  # type c has one query fewer
    path = tmp_path / "queries.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    order = [query["qid"] for query in load_queries(path, per_type=0)]
    assert order == ["a-0", "b-0", "c-0", "a-1", "b-1", "c-1", "a-2", "b-2"]
    assert [query["qid"] for query in load_queries(path, per_type=1)] == ["a-0", "b-0", "c-0"]


# --- the harness's safety: no data, never the project's var/ --------------------------------------


def test_without_the_evaluation_set_the_run_is_skipped_with_a_message(tmp_path, monkeypatch, capsys):
    import bench.search_eval as search_eval

    monkeypatch.setattr(search_eval, "EVAL_DIR", tmp_path / "absent")
    assert search_eval.main(["--db", "sqlite"]) == search_eval.SKIPPED
    assert "skipped: needs" in capsys.readouterr().out


def test_the_sites_never_use_the_projects_var_directory_or_the_callers_database(tmp_path, monkeypatch):
    from bench import REPO_DIR
    from bench._search_server import SiteError, site_env

    monkeypatch.setenv("DATABASE_URL", "postgres://somewhere/production")
    monkeypatch.setenv("AKHBAR_VAR_DIR", str(REPO_DIR / "var"))
    with pytest.raises(SiteError):
        site_env(REPO_DIR / "var", 8401, "stock", None)
    with pytest.raises(SiteError):
        site_env(REPO_DIR / "var" / "sub", 8401, "stock", None)
    env = site_env(tmp_path, 8401, "arabic", None)
    assert "DATABASE_URL" not in env
    assert env["AKHBAR_VAR_DIR"] == str(tmp_path)
    assert env["AKHBAR_SEARCH_ANALYSIS"] == "arabic"
    assert env["DJANGO_SETTINGS_MODULE"] == "akhbar.settings.production"
