"""First views of article pages and their related articles over HTTP, from a new server.

``python -m bench.experiments.first_view_http ARCHIVE_DIR [--code CHECKOUT] [--articles 60]
[--seed 1]``

Starts `python -m app serve` from CHECKOUT (this one by default; another commit's
`git worktree` to compare) on the kept archive in ARCHIVE_DIR, waits until it answers,
then asks each random article's page and then its related articles once, as a reader's
browser does. Unlike `first_view.py` (in process, after five untimed pages) the first
pages count: they show what each server process pays once (templates, the first database
work). Empty the page cache first for a cold figure (`sync; echo 1 >
/proc/sys/vm/drop_caches`, as root).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from pathlib import Path

import httpx

from bench.run import ROOT, Server, archive_env, summarise, timed_get


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with sqlite3.connect(args.archive / "archive.db") as connection:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM article ORDER BY id")]
    chosen = random.Random(args.seed).sample(slugs, args.articles)
    env = archive_env(args.archive)
    env.pop("PYTHONPATH", None)  # the checkout's own `app`, from its folder
    command = [sys.executable, "-m", "app", "serve"]
    server = Server("archive", command, env, "/healthz", cwd=args.code)
    times: dict[str, list[float]] = {"article": [], "related": []}
    try:
        with httpx.Client(base_url=server.base, timeout=120) as client:
            for slug in chosen:
                for kind, path in (
                    ("article", f"/articles/{slug}"),
                    ("related", f"/articles/{slug}/related"),
                ):
                    ms, response = timed_get(client, path)
                    if response.status_code != 200:
                        raise SystemExit(f"{path}: status {response.status_code}")
                    times[kind].append(ms)
    finally:
        server.stop()
    summary: dict[str, object] = {"code": str(args.code)}
    for kind, values in times.items():
        summary[kind] = {
            "first_ms": round(values[0], 1),
            **summarise(values),
            "slowest_ms": [round(ms, 1) for ms in sorted(values)[-3:]],
        }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
