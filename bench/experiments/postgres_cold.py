"""The bench's cold mix asked of the PostgreSQL backend in process, each search split into parts.

``python -m bench.experiments.postgres_cold DATABASE_URL N [--kinds common_word phrase ...]``

DATABASE_URL is an archive ingested into PostgreSQL (`policy-archive ingest` with
ARCHIVE_DATABASE_URL set), N its size. The searches are the harness's cold mix for that N
(`bench.run.build_cold_mix`, 30 a kind), each asked once through `PostgresIndex.search` or
`search_quotes`, texts read from the search tables. Each search's time is split into:
- *parse*: our parser, the compiled condition and the words' stems (`_where`);
- *page*: the page of ids in order (`ORDER BY` rank or date, `LIMIT`/`OFFSET`);
- *facets*: the total and every facet count over every match (`_facets`);
- *headlines*: `ts_headline` over the page's texts.
Medians and p95 per kind and part go to standard output as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import text as sql

import app.search.postgres_backend.index as postgres_index
from app.search.results import SearchParams
from bench.run import build_cold_mix, percentile


class _Clock:
    """Seconds spent in the wrapped functions since the last `take()`."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - started

        return timed

    def take(self) -> dict[str, float]:
        spent, self.spent = self.spent, {}
        return spent


def _params(path: str) -> SearchParams:
    asked = parse_qs(urlsplit(path).query)
    return SearchParams(
        q=asked.get("q", [""])[0],
        page=int(asked.get("page", ["1"])[0]),
        speakers=asked.get("speaker", []),
        themes=asked.get("theme", []),
        sort=asked.get("sort", ["relevance"])[0],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database_url")
    parser.add_argument("n", type=int)
    parser.add_argument("--kinds", nargs="*", help="only these kinds of the cold mix")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    mix = build_cold_mix(args.database_url, args.n, args.seed, 30, set())
    requests = [
        (kind, path)
        for kind, path in mix["requests"]
        if kind != "article" and (not args.kinds or kind in args.kinds)
    ]
    clock = _Clock()
    backend = postgres_index.PostgresIndex(args.database_url)
    postgres_index._facets = clock.wrap("facets", postgres_index._facets)
    backend._where = clock.wrap("parse", backend._where)
    backend._headlines = clock.wrap("headlines", backend._headlines)
    collect = backend._collect
    backend._collect = clock.wrap("collect", collect)

    def texts_of(table: str, key: str):
        def load(ids: list[int]) -> dict[int, str]:
            with backend._read.connect() as connection:
                rows = connection.execute(
                    sql(f"SELECT {key}, body FROM {table} WHERE {key} = ANY(:ids)"), {"ids": ids}
                )
                return dict(rows.all())

        return load

    backend.search(SearchParams(q="warmup"), texts_of("search_article", "article_id"))
    clock.take()
    parts: dict[str, dict[str, list[float]]] = {}
    for kind, path in requests:
        quotes = path.startswith("/quotes")
        started = time.perf_counter()
        if quotes:
            backend.search_quotes(_params(path), texts_of("search_quote", "quote_id"))
        else:
            backend.search(_params(path), texts_of("search_article", "article_id"))
        total = time.perf_counter() - started
        spent = clock.take()
        spent["page"] = spent.pop("collect") - spent["parse"] - spent["facets"]
        spent["total"] = total
        for part, seconds in spent.items():
            parts.setdefault(kind, {}).setdefault(part, []).append(seconds * 1000)
    everything = [ms for kind in parts.values() for ms in kind["total"]]
    report = {
        kind: {
            part: {
                "median_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
            }
            for part, values in found.items()
        }
        for kind, found in sorted(parts.items())
    }
    report["all"] = {
        "searches": len(everything),
        "median_ms": round(statistics.median(everything), 1),
        "p95_ms": round(percentile(everything, 0.95), 1),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
