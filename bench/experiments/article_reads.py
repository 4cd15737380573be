"""What a first view of an article page reads from disk, statement by statement.

``python -m bench.experiments.article_reads ARCHIVE_DIR [--articles 100] [--seed 1] [--drop]``

ARCHIVE_DIR holds `archive.db` and `index` (`python -m bench.run --keep` leaves them).
One app (`TestClient`) asks for the pages of random articles once each, after five
untimed pages of other articles. For every SQL statement the page runs, it records the
time and the bytes this process read from disk meanwhile (`/proc/self/io`, `read_bytes`:
the page cache's misses), grouped by the statement's first line; what is left of a
page's time is the rest (routing, templates). `--drop` empties the page cache first
(root only), as after a reboot; without it, what the cache holds stays.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import event

from app.main import create_app
from bench.experiments.first_view import kept_archive
from bench.run import percentile


def read_bytes() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("read_bytes:"):
            return int(line.split()[1])
    return 0


def on_each_statement(engine, record: Callable[[str, float, int], None]) -> None:
    """Call `record(statement, ms, bytes read from disk)` after each SQL statement the
    engine runs (its execution and first row: later rows are fetched after it returns)."""
    started: dict[str, float] = {}

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        started["at"], started["read"] = time.perf_counter(), read_bytes()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        ms = (time.perf_counter() - started["at"]) * 1000
        record(statement, ms, read_bytes() - started["read"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args(argv)
    settings, chosen = kept_archive(args.archive, args.articles, args.seed)
    app = create_app(settings)
    statements: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))

    def record(statement: str, ms: float, read: int) -> None:
        key = " ".join(statement.split())[:90]
        current["sql_ms"] += ms
        current["sql_kib"] += read / 1024
        statements[key]["ms"].append(ms)
        statements[key]["kib"].append(read / 1024)

    on_each_statement(app.state.engine, record)
    pages = []
    current: dict[str, float] = {"sql_ms": 0.0, "sql_kib": 0.0}
    with TestClient(app) as client:
        for slug in chosen[:5]:
            client.get(f"/articles/{slug}").raise_for_status()
        statements.clear()
        if args.drop:
            Path("/proc/sys/vm/drop_caches").write_text("1\n")
        for slug in chosen[5:]:
            current.update(sql_ms=0.0, sql_kib=0.0)
            before_read, at = read_bytes(), time.perf_counter()
            client.get(f"/articles/{slug}").raise_for_status()
            total = (time.perf_counter() - at) * 1000
            pages.append(
                {
                    "ms": total,
                    "sql_ms": current["sql_ms"],
                    "kib": (read_bytes() - before_read) / 1024,
                    "sql_kib": current["sql_kib"],
                }
            )
    summary = {
        "pages": len(pages),
        **{
            f"{name}_{stat}": round(fn([page[name] for page in pages]), 2)
            for name in ("ms", "sql_ms", "kib", "sql_kib")
            for stat, fn in (
                ("median", statistics.median),
                ("p95", lambda values: percentile(values, 0.95)),
            )
        },
        "statements": {
            key: {
                "n": len(values["ms"]),
                "ms_median": round(statistics.median(values["ms"]), 2),
                "ms_p95": round(percentile(values["ms"], 0.95), 2),
                "kib_mean": round(statistics.fmean(values["kib"]), 1),
            }
            for key, values in sorted(statements.items(), key=lambda kv: -sum(kv[1]["ms"]))
        },
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
