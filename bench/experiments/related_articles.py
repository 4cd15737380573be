"""PostgreSQL related articles, this checkout against an earlier commit, in one process.

``python -m bench.experiments.related_articles --n 10000 --before bb04401``

Ingests the first N bench articles into a throwaway PostgreSQL server (tests.postgres_server),
then times `_related` of app/search/postgres_backend/index.py as committed at `--before`
and as in this
checkout, for the same 20 random articles, alternating which goes first. The current one
keeps its word counts between articles, as a web node does within one index state.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine

from bench.corpus import ensure_corpus
from bench.run import BENCH, percentile

ROOT = BENCH.parent


def _module_at(commit: str):
    source = subprocess.run(
        ["git", "show", f"{commit}:app/search/postgres_backend/index.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "postgres_index_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("postgres_index_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--before", required=True, help="the commit to compare with")
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import app.search.postgres_backend.index as current
    from tests.postgres_server import PostgresServer

    before = _module_at(args.before)
    corpus = ensure_corpus(BENCH / "corpus", args.n)
    server = PostgresServer().start()
    try:
        url = server.create_database()
        env = {**os.environ, "ARCHIVE_DATABASE_URL": url, "ARCHIVE_INDEX_DIR": tempfile.mkdtemp()}
        subprocess.run(
            [str(ROOT / ".venv/bin/policy-archive"), "ingest", "-q", str(corpus)],
            env=env,
            check=True,
        )
        engine = create_engine(url)
        counts = current._WordCounts()  # one node's, within one index state
        functions = {
            "before": lambda connection, article, limit: before._related(
                connection, article, limit
            ),
            "now": lambda connection, article, limit: current._related(
                connection, article, limit, counts
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in functions}
        overlap = []
        articles = random.Random(3).sample(range(1, args.n + 1), args.articles)
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            for position, article in enumerate(articles):
                order = list(functions) if position % 2 == 0 else list(reversed(functions))
                found = {}
                for name in order:
                    started = time.perf_counter()
                    found[name] = functions[name](connection, article, 5)
                    times[name].append((time.perf_counter() - started) * 1000)
                overlap.append(len(set(found["before"]) & set(found["now"])))
        engine.dispose()
    finally:
        server.stop()
    for name, values in times.items():
        print(
            f"{name}: median {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
        )
    print(f"related articles in common, of 5: mean {statistics.mean(overlap):.1f}")


if __name__ == "__main__":
    main()
