"""The benchmark corpus is deterministic and ingestible, and the harness runs end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from app.ingest.extract.text import extract_text_article
from app.ingest.sources.readers import read_file
from bench.corpus import article_path, generate
from bench.fts5 import fts_query, parse_file

ROOT = Path(__file__).resolve().parent.parent


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.txt"))}


def test_same_seed_gives_the_same_corpus_and_another_seed_does_not(tmp_path):
    first = _files(generate(tmp_path / "a", 12, seed=7))
    second = _files(generate(tmp_path / "b", 12, seed=7))
    other = _files(generate(tmp_path / "c", 12, seed=8))
    assert len(first) == 12
    assert first == second
    assert first != other


def test_a_small_corpus_is_a_prefix_of_a_larger_one(tmp_path):
    small = _files(generate(tmp_path / "small", 3))
    large = _files(generate(tmp_path / "large", 6))
    assert all(large[name] == data for name, data in small.items())


def test_files_are_sharded_in_folders_of_a_thousand(tmp_path):
    assert article_path(tmp_path, 1234) == tmp_path / "0001" / "0001234.txt"


def test_generated_articles_parse_with_title_byline_date_publisher_and_quotes(tmp_path):
    root = generate(tmp_path, 15)
    for path in sorted(root.rglob("*.txt")):
        article = extract_text_article(read_file(path, max_bytes=10**7))
        words = sum(len(block.text.split()) for block in article.blocks)
        assert article.title and article.author and article.publisher
        assert article.published is not None and 2016 <= article.published.year <= 2025
        assert 250 <= words <= 2200
        assert all(block.kind == "p" for block in article.blocks)
        assert any("said" in block.text and "“" in block.text for block in article.blocks)
        baseline = parse_file(path)
        assert baseline["title"] == article.title
        assert baseline["publisher"] == article.publisher


def test_user_words_become_a_safe_fts5_query():
    assert fts_query('ai "data protection" -bias') == '("ai" AND "data protection") NOT "bias"'
    assert fts_query('regul* NEAR(")') == '"regul"* AND "NEAR"'


def test_harness_runs_end_to_end_on_thirty_articles(tmp_path):
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "bench.run",
        "--n=30",
        "--reps=1",
        "--per=1",
        "--duration=0.3",
        "--tp-rounds=1",
        "--concurrency=1,2",
        "--split-n=10",
        "--optimize",
        f"--corpus-base={tmp_path / 'corpus'}",
        f"--out={tmp_path / 'results'}",
    ]
    # Three index segments, merged at the end of the load (--optimize then finds none).
    env = {**os.environ, "ARCHIVE_INDEX_BATCH": "10"}
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=90, env=env)
    assert time.perf_counter() - started < 60
    (result_file,) = (tmp_path / "results").glob("*-30.json")
    results = json.loads(result_file.read_text())
    assert results["ingestion"]["counts"]["article"] == 30
    assert results["ingestion"]["index_segments"] == {"articles": 1, "quotes": 1}
    assert results["optimize"]["exit_status"] == 0 and results["optimize"]["seconds"] > 0
    assert results["fts5_build"]["articles"] == 30
    for server in ("archive", "fts5"):
        assert results["latency"][server]["errors"] == 0
        assert results["latency"][server]["totals"]["common_word"] == 30
    # Quote search is in the mix, on both servers, finding the same number of quotes.
    quote_totals = [
        results["latency"][s]["totals"]["quote_common_word"] for s in ("archive", "fts5")
    ]
    assert quote_totals[0] and quote_totals[0] == quote_totals[1]
    assert set(results["targets"]) >= {
        "cold_search_p95_le_1.0x_fts5",
        "cold_phrase_p95_le_1.5x_fts5",
        "cold_article_page_p95_le_20ms",
        "throughput_8_clients_ge_1.8x_1_client",
        "quote_search_p95_le_article_search_p95",
    }
    # The cold mix: every kind of search, each request distinct and never in the warm mix,
    # asked once on each server.
    cold = results["workload"]["cold"]
    paths = [path for _, path in cold]
    warm = set(results["workload"]["mix"].values())
    assert len(paths) == len(set(paths)) and not warm & set(paths)
    assert {kind for kind, _ in cold} >= {
        "phrase",
        "deep_page",
        "quote_word_theme",
        "article",
        "related",
    }
    archive_only = sum(1 for kind, _ in cold if kind == "related")  # the baseline has none
    for server, asked in (("archive", len(paths)), ("fts5", len(paths) - archive_only)):
        answered = sum(s["n"] for s in results["cold"][server]["per_kind"].values())
        assert answered == asked and results["cold"][server]["errors"] == 0
        # What each server read from disk rather than the page cache during the mix.
        assert results["cold"][server]["disk_read_mb"] >= 0
    assert results["cold"]["page_cache_mb_before"] > 0
    report = result_file.with_suffix(".md").read_text()
    assert report.startswith("# Benchmark") and "Then `policy-archive optimize`" in report
    assert "Read from disk during the cold mix (not from the page cache): archive " in report


def test_harness_measures_postgresql_beside_whoosh_and_fts5(tmp_path, postgres_server):
    """BACKEND=postgres: the same mix served from PostgreSQL finds what Whoosh finds."""
    command = [
        sys.executable,
        "-m",
        "bench.run",
        "--n=30",
        "--reps=1",
        "--per=1",
        "--duration=0.3",
        "--tp-rounds=1",
        "--concurrency=1",
        "--split-n=10",
        "--backend=postgres",
        f"--corpus-base={tmp_path / 'corpus'}",
        f"--out={tmp_path / 'results'}",
    ]
    environment = {
        **os.environ,
        "ARCHIVE_BENCH_POSTGRES_URL": postgres_server.create_database(),
    }
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=180, env=environment)
    (result_file,) = (tmp_path / "results").glob("*-30-postgres.json")
    results = json.loads(result_file.read_text())
    assert results["postgres_ingestion"]["counts"]["article"] == 30
    assert results["latency"]["postgres"]["errors"] == 0
    assert results["latency"]["postgres"]["totals"] == results["latency"]["archive"]["totals"]
    assert results["targets"]["postgres_totals_equal_whoosh"]["met"]
    assert "## PostgreSQL" in result_file.with_suffix(".md").read_text()


def test_the_baseline_shows_the_archives_fifty_values_per_facet_plus_chosen_ones():
    from bench.fts5 import FACET_LIMIT, _shown_facets

    counts = [(f"speaker-{n:03d}", 1000 - n) for n in range(120)]
    shown = _shown_facets({"speakers": counts}, {"speaker": ["speaker-100"]})
    assert FACET_LIMIT == 50
    assert shown["speakers"] == [*counts[:50], ("speaker-100", 900)]


def _plans_of(run) -> list[str]:
    """The query plans of the statements `run` executes on an in-memory baseline database."""
    import sqlite3

    from bench.fts5 import SCHEMA

    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    run(conn)
    conn.set_trace_callback(None)
    return [
        " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        for sql in statements
        if "MATCH" in sql
    ]


def test_the_baseline_reads_a_filtered_search_from_its_full_text_index_first():
    # With the match inside, SQLite preferred the speaker or source index and re-ran the
    # full-text query once per row it found: minutes per quote search at 100,000 articles.
    from bench.fts5 import search, search_quotes

    article_plans = _plans_of(lambda c: search(c, q="budget", speakers=["a"], sources=["b"]))
    quote_plans = _plans_of(lambda c: search_quotes(c, q="budget", speakers=["a"]))
    assert article_plans and quote_plans
    for plan in article_plans[:1] + quote_plans[:1]:
        steps = plan.split(" | ")
        first_step = steps[steps.index("MATERIALIZE m") + 1]
        assert first_step.startswith("SCAN") and "_fts VIRTUAL TABLE" in first_step, plan


def test_a_request_past_the_timeout_counts_as_an_error_not_a_crash():
    """A baseline that takes minutes over one request must not end an hour's run."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import httpx

    from bench.run import TIMED_OUT, timed_get

    release = threading.Event()

    class Stalling(BaseHTTPRequestHandler):
        def do_GET(self):
            release.wait(5)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stalling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with httpx.Client(base_url=base, timeout=0.2) as client:
            ms, response = timed_get(client, "/search?q=slow")
        assert response.status_code == TIMED_OUT and 150 < ms < 4000
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_disk_reads_are_counted_for_live_processes_only():
    from bench.run import proc_disk_reads

    assert proc_disk_reads(os.getpid()) >= 0
    assert proc_disk_reads(2**22 + 1) == 0  # above the kernel's largest process id
