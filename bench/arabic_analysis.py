"""Benchmark the Arabic analysis (akhbar.arabic.analysis) on one core: words/s.

    python -m bench.arabic_analysis [--rounds N]

Reads ../shared/corpus/ant_sample_1000.jsonl (title + body of 1,000 articles) into memory,
then times, in this one process: `index_terms` on the first half with empty per-word caches
(what an import starts with), on the second half with the caches holding the first half's
words (an import's steady state: new articles, mostly known words), on everything again
(every word cached); `tokens`; and `query_words` on three-word queries taken from the titles. For
comparison: Snowball's pure-Python Arabic stemmer on the same words (one stem per word,
no normalisation). Also prints how many stem readings a word gets on average, which is
what the index stores beside the surface words.
"""

import argparse
import json
import resource
import sys
import time

from bench import SKIPPED, corpus_file, machine

CORPUS = "ant_sample_1000.jsonl"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.arabic_analysis", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="warm passes over the corpus (the best one is reported)")
    return parser.parse_args(argv)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(work) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result)."""
    wall, used = time.perf_counter(), cpu()
    result = work()
    return time.perf_counter() - wall, cpu() - used, result


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    corpus = corpus_file(CORPUS)
    if corpus is None:
        return SKIPPED
    texts = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts.append(record["title"] + "\n\n" + record["body"])

    from akhbar.arabic.analysis import ANALYZER  # imported after reading: its start-up is not timed
    from akhbar.arabic.analysis import analyzer as analyzer_module

    print(f"machine: {machine()}")
    half = len(texts) // 2
    counts = [len(ANALYZER.tokens(text)) for text in texts]
    words, first, second = sum(counts), sum(counts[:half]), sum(counts[half:])
    for cache in (analyzer_module._analyse_word, ANALYZER._word_terms, ANALYZER._stems):
        cache.cache_clear()  # counting the words filled them
    wall, used, terms = timed(lambda: [ANALYZER.index_terms(text) for text in texts[:half]])
    print(f"index_terms, first {half} articles (empty caches): CPU {used:.2f} s = {first / used:,.0f} words/s")
    wall, used, more = timed(lambda: [ANALYZER.index_terms(text) for text in texts[half:]])
    print(f"index_terms, next {len(texts) - half} articles (caches hold the first ones' words): CPU {used:.2f} s = {second / used:,.0f} words/s")
    terms += more
    surface = sum(len(t.surface) for t in terms)
    stems = sum(len(t.stems) for t in terms)
    chars = sum(len(text) for text in texts)
    print(f"corpus: {len(texts)} articles, {chars:,} characters, {words:,} words ({surface:,} not stop words)")
    best = min(timed(lambda: [ANALYZER.index_terms(text) for text in texts]) for _ in range(args.rounds))
    print(f"index_terms, all again (every word cached): CPU {best[1]:.2f} s = {words / best[1]:,.0f} words/s")
    best = min(timed(lambda: [ANALYZER.tokens(text) for text in texts]) for _ in range(args.rounds))
    print(f"tokens (for highlighting): CPU {best[1]:.2f} s = {words / best[1]:,.0f} words/s")
    print(
        f"stem readings stored: {stems:,} = {stems / surface:.2f} per indexed word "
        f"({len({s for t in terms for s in t.stems}):,} distinct stems, "
        f"{len({s for t in terms for s in t.surface}):,} distinct surface words)"
    )

    queries = [" ".join(token.norm for token in ANALYZER.tokens(text.split("\n", 1)[0])[:3]) for text in texts]
    queries = [q for q in queries if q] * 10
    best = min(timed(lambda: [ANALYZER.query_words(q) for q in queries]) for _ in range(args.rounds))
    print(f"query_words: {len(queries):,} three-word queries, CPU {best[1]:.3f} s = {len(queries) / best[1]:,.0f} queries/s")
    long_query = ("الولايات المتحدة وروسيا " * 500)[:10_000]
    wall, used, _ = timed(lambda: [ANALYZER.query_words(long_query + str(i)) for i in range(100)])
    print(f"query_words on a 10,000-character query: {used * 1000 / 100:.2f} ms CPU each")

    from snowballstemmer.arabic_stemmer import ArabicStemmer  # the pure-Python class, not PyStemmer

    snowball = ArabicStemmer()
    raw_words = [word for text in texts for word in text.split()]
    wall, used, _ = timed(lambda: [snowball.stemWord(word) for word in raw_words])
    print(f"for comparison, Snowball Arabic (pure Python, no cache): CPU {used:.2f} s = {len(raw_words) / used:,.0f} words/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
