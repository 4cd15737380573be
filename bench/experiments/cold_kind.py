"""Cold searches of one kind of the bench's cold mix, in process, against a kept archive.

``python -m bench.experiments.cold_kind ARCHIVE_DIR N KIND [--rounds R]``

ARCHIVE_DIR holds `archive.db` and `index` (`python -m bench.run --keep` leaves them in its
work folder); N is the archive's size and KIND one of the cold mix's kinds (common_word,
phrase, deep_page, ...). Each search is asked with the counts cache cleared, so every
round is a cold search; article searches and quote searches both go through
`ArchiveIndex.search`, without texts (no snippets). To compare two commits, run each from
its own checkout (`git worktree add`) with PYTHONPATH set to that checkout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from app.search.results import SearchParams
from app.search.whoosh_backend.archive_index import ArchiveIndex
from bench.run import build_cold_mix


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("kind")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    mix = build_cold_mix(args.archive / "archive.db", args.n, 1, 30, set())
    paths = [path for kind, path in mix["requests"] if kind == args.kind]
    archive_index = ArchiveIndex(args.archive / "index")
    archive_index.search(SearchParams(q="warmup"), lambda ids: {})
    times = []
    for path in paths * args.rounds:
        asked = parse_qs(urlsplit(path).query)
        params = SearchParams(
            q=asked.get("q", [""])[0],
            page=int(asked.get("page", ["1"])[0]),
            speakers=asked.get("speaker", []),
            themes=asked.get("theme", []),
            sort=asked.get("sort", ["relevance"])[0],
        )
        archive_index._remembered.clear()
        started = time.perf_counter()
        archive_index.search(params, lambda ids: {})
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        json.dumps(
            {
                "kind": args.kind,
                "searches": len(times),
                "sum_ms": round(sum(times)),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
