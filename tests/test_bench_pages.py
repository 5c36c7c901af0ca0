"""The reader-page benchmark's own arithmetic (bench/pages.py): what it reads from wrk, and
the scaled corpus it imports."""

import json

from bench.pages import parse_wrk, scaled_corpus

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8401/culture/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.21ms    1.02ms  30.11ms   90.00%
    Req/Sec     7.61k   412.33     8.50k    70.00%
  Latency Distribution
     50%  812.00us
     75%    4.50ms
     90%    5.10ms
     99%    1.20s
  151234 requests in 10.00s, 1.20GB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:  15123.40
Transfer/sec:    122.88MB
"""


def test_wrk_figures_are_read_in_milliseconds_with_every_error_counted():
    figures = parse_wrk(WRK_REPORT)
    assert figures["rps"] == 15123.40
    assert figures["p50"] == 0.812
    assert figures["p99"] == 1200.0
    assert figures["requests"] == 151234
    assert figures["errors"] == 3 + 2 + 7


def test_an_error_free_run_has_no_errors():
    clean = WRK_REPORT.replace("  Socket errors: connect 0, read 3, write 0, timeout 2\n", "").replace(
        "  Non-2xx or 3xx responses: 7\n", ""
    )
    assert parse_wrk(clean)["errors"] == 0


def test_the_scaled_corpus_repeats_every_article_under_new_ids(tmp_path):
    source = tmp_path / "corpus.jsonl"
    records = [{"id": f"a{n}", "title": f"عنوان {n}", "body": "نص"} for n in range(3)]
    source.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    scaled = scaled_corpus(source, limit=2, scale=3, directory=tmp_path)
    written = [json.loads(line) for line in scaled.read_text(encoding="utf-8").splitlines()]
    assert len(written) == 6
    assert len({record["id"] for record in written}) == 6
    assert len({record["title"] for record in written}) == 6
    assert scaled_corpus(source, limit=0, scale=1, directory=tmp_path) == source
