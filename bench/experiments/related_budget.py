"""Whoosh related articles by postings budget: time, and how many related articles change.

``python -m bench.experiments.related_budget ARCHIVE_DIR [--articles 100] [--budgets 20000 5000]
[--cold-counts]``

ARCHIVE_DIR holds `archive.db` and `index` (`python -m bench.run --keep` leaves them).
For the same random articles, `_related` is timed at each budget (`RELATED_POSTINGS`), after
one untimed pass that fills the word counts a server keeps between pages (with
`--cold-counts`, the counts are forgotten before each article instead: a first view whose
words no page has counted). "same" is the share of the first budget's related articles
that the others also give.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from pathlib import Path

from app import queries
from app.search.whoosh_backend import archive_index as search
from app.search.whoosh_backend.archive_index import ArchiveIndex


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--budgets", type=int, nargs="+", default=[20_000, 5_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold-counts", action="store_true")
    args = parser.parse_args(argv)
    connection = sqlite3.connect(args.archive / "archive.db")
    ids = [row[0] for row in connection.execute("SELECT id FROM article ORDER BY id")]
    chosen = random.Random(args.seed).sample(ids, args.articles)
    texts = {
        article_id: queries.body_plain_text(
            connection.execute("SELECT body FROM article WHERE id = ?", (article_id,)).fetchone()[0]
        )
        for article_id in chosen
    }
    archive_index = ArchiveIndex(args.archive / "index")
    searcher = archive_index._current_searcher()
    if not args.cold_counts:
        for article_id, text in texts.items():  # word counts, as a server has them
            archive_index._related(searcher, article_id, text, 5)
    first: dict[int, list[int]] = {}
    for budget in args.budgets:
        search.RELATED_POSTINGS = budget
        times, kept, given = [], 0, 0
        for article_id, text in texts.items():
            if args.cold_counts:
                archive_index._held_by.clear()
            started = time.perf_counter()
            related = archive_index._related(searcher, article_id, text, 5)
            times.append((time.perf_counter() - started) * 1000)
            base = first.setdefault(article_id, related)
            kept += len(set(base) & set(related))
            given += len(base)
        times.sort()
        print(
            json.dumps(
                {
                    "budget": budget,
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                    "same": round(kept / max(1, given), 3),
                }
            )
        )


if __name__ == "__main__":
    main()
