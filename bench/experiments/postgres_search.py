"""Where a PostgreSQL search spends its time, and what the RUM index would change.

``python -m bench.experiments.postgres_search --n 10000 [--words 20]``

Ingests the first N bench articles into a throwaway PostgreSQL server (tests.postgres_server),
then, for never-asked words of three frequencies (the corpus's head, middle and tail), times
the three statements of one search page as `app.search.postgres_backend.index` runs them:
- *rank*: the page of ids, `ts_rank` over every match (GIN finds the matches);
- *facets*: the total and every facet count over every match, one statement;
- *headlines*: `ts_headline` over the page's ten texts.
With `CREATE EXTENSION rum` available (Debian `postgresql-15-rum`), it also builds a RUM index
on the same tsvector and times the page of ids ranked by RUM's `<=>` distance, and reports the
size and build time of both indexes. Each statement runs once per word (nothing is cached
by the archive; PostgreSQL's buffer cache is warm after the load, as on a server).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text as sql

from bench.corpus import ensure_corpus
from bench.run import BENCH, percentile


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
    }


def _words(connection, count: int, seed: int) -> dict[str, list[str]]:
    """Words by how many articles hold them: the head (over a third), the middle (1-10 %),
    the tail (under 0.5 %); sampled, never the same word twice."""
    size = connection.execute(sql("SELECT count(*) FROM search_article")).scalar_one()
    rows = connection.execute(
        sql(
            "SELECT word, ndoc FROM ts_stat('SELECT doc FROM search_article') "
            "WHERE length(word) > 3 AND word ~ '^[a-z]+$'"
        )
    ).all()
    bands = {
        "common": [w for w, n in rows if n > size / 3],
        "middle": [w for w, n in rows if size / 100 <= n <= size / 10],
        "rare": [w for w, n in rows if 2 <= n < size / 200],
    }
    picker = random.Random(seed)
    return {band: picker.sample(words, min(count, len(words))) for band, words in bands.items()}


def measure(database_url: str, count: int, seed: int) -> dict:
    from app.search.postgres_backend.index import _RANK_WEIGHTS, CONFIG, PostgresIndex, _facets
    from app.search.results import SearchParams

    backend = PostgresIndex(database_url)
    backend._ensure()
    engine = backend._engine
    result: dict = {}
    with engine.connect() as connection:
        connection.execute(sql("ANALYZE search_article"))
        words = _words(connection, count, seed)
        result["words"] = {band: len(found) for band, found in words.items()}
        result["gin_bytes"] = connection.execute(
            sql("SELECT pg_relation_size('search_article_doc')")
        ).scalar_one()
        rum = connection.execute(
            sql("SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'")
        ).scalar_one()
        if rum:
            connection.execute(sql("CREATE EXTENSION IF NOT EXISTS rum"))
            started = time.perf_counter()
            connection.execute(
                sql(
                    "CREATE INDEX search_article_rum ON search_article "
                    "USING rum (doc rum_tsvector_ops)"
                )
            )
            connection.commit()
            result["rum_build_seconds"] = round(time.perf_counter() - started, 2)
            result["rum_bytes"] = connection.execute(
                sql("SELECT pg_relation_size('search_article_rum')")
            ).scalar_one()
        texts = dict(connection.execute(sql("SELECT article_id, body FROM search_article")).all())
        for band, chosen in words.items():
            timings: dict[str, list[float]] = {"rank": [], "facets": [], "headlines": []}
            if rum:
                timings["rank_rum"] = []
            totals = []
            for word in chosen:
                params = SearchParams(q=word)
                condition = backend._where(params, connection, quotes=False)
                where, values, rank = condition.where, condition.values, condition.rank
                started = time.perf_counter()
                ids = (
                    connection.execute(
                        sql(
                            f"SELECT article_id FROM search_article WHERE {where} "
                            f"ORDER BY {rank} DESC, article_id LIMIT 10"
                        ),
                        values,
                    )
                    .scalars()
                    .all()
                )
                timings["rank"].append(_ms(started))
                if rum:
                    # Without the GIN index the planner may pick RUM for the ordering.
                    started = time.perf_counter()
                    connection.execute(
                        sql(
                            "SELECT article_id FROM search_article "
                            "WHERE doc @@ CAST(:q AS tsquery) "
                            "ORDER BY doc <=> CAST(:q AS tsquery) LIMIT 10"
                        ),
                        {"q": values["rank_q"]},
                    ).all()
                    timings["rank_rum"].append(_ms(started))
                started = time.perf_counter()
                _, total = _facets(connection, "search_article", where, values, False)
                timings["facets"].append(_ms(started))
                totals.append(total)
                started = time.perf_counter()
                backend._headlines(
                    [texts[i] for i in ids], values["rank_q"], connection, whole=False
                )
                timings["headlines"].append(_ms(started))
            result[band] = {
                "median_matches": statistics.median(totals) if totals else 0,
                **{name: _summary(values) for name, values in timings.items() if values},
            }
        if rum:
            plan = (
                connection.execute(
                    sql(
                        "EXPLAIN SELECT article_id FROM search_article WHERE doc @@ "
                        "to_tsquery(:config, 'policy') "
                        "ORDER BY doc <=> to_tsquery(:config, 'policy') LIMIT 10"
                    ),
                    {"config": CONFIG},
                )
                .scalars()
                .all()
            )
            result["rum_plan"] = plan
    result["rank_weights"] = _RANK_WEIGHTS
    backend.close()
    engine.dispose()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--words", type=int, default=20, help="words per frequency band")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH.parent))
    from tests.postgres_server import PostgresServer

    corpus = ensure_corpus(BENCH / "corpus", args.n)
    server = PostgresServer().start()
    try:
        url = server.create_database()
        work = Path(tempfile.mkdtemp(prefix="pg-search-"))
        env = {**os.environ, "ARCHIVE_DATABASE_URL": url, "ARCHIVE_INDEX_DIR": str(work)}
        started = time.perf_counter()
        subprocess.run(
            [str(BENCH.parent / ".venv/bin/policy-archive"), "ingest", "-q", str(corpus)],
            env=env,
            check=True,
        )
        ingest_seconds = round(time.perf_counter() - started, 1)
        result = {
            "n": args.n,
            "ingest_seconds": ingest_seconds,
            **measure(url, args.words, args.seed),
        }
    finally:
        server.stop()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
