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
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.run import ROOT, archive_env, free_port, percentile


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
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=args.code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times: dict[str, list[float]] = {"article": [], "related": []}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            _wait_until_up(client, server)
            for slug in chosen:
                for kind, path in (
                    ("article", f"/articles/{slug}"),
                    ("related", f"/articles/{slug}/related"),
                ):
                    started = time.perf_counter()
                    client.get(path).raise_for_status()
                    times[kind].append((time.perf_counter() - started) * 1000)
    finally:
        server.terminate()
        server.wait()
    summary: dict[str, object] = {"code": str(args.code), "articles": len(chosen)}
    for kind, values in times.items():
        summary[kind] = {
            "first_ms": round(values[0], 1),
            "median_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "slowest_ms": [round(ms, 1) for ms in sorted(values)[-3:]],
        }
    print(json.dumps(summary))


def _wait_until_up(client: httpx.Client, server: subprocess.Popen) -> None:
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise SystemExit("the server did not answer within 300 s")


if __name__ == "__main__":
    main()
