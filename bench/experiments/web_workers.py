"""Server processes against throughput and single-request time, on a kept archive.

``python -m bench.experiments.web_workers ARCHIVE_DIR N [--workers 1 2] [--duration 30]``

ARCHIVE_DIR holds `archive.db` and `index` (`python -m bench.run --keep` leaves them); N is
its size. For each worker count a server is started (`policy-archive serve --workers W`),
answers the warm mix once, then loops over it with 1 client and with 8 clients for
`--duration` seconds each, then answers 60 of the cold mix's searches never asked of it,
one at a time. Prints requests per second, latency and the server's memory per count.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import httpx

from bench.run import (
    BIN,
    Server,
    archive_env,
    build_cold_mix,
    build_workload,
    load,
    percentile,
    timed_get,
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--cold", type=int, default=60)
    args = parser.parse_args(argv)
    workload = build_workload(args.archive / "archive.db", args.n, 1)
    paths = list(workload["mix"].values())
    cold = [
        path
        for kind, path in build_cold_mix(args.archive / "archive.db", args.n, 1, 30, set())[
            "requests"
        ]
        if kind != "article"
    ]
    env = archive_env(args.archive)
    for number, workers in enumerate(args.workers):
        server = Server(
            f"workers={workers}",
            [str(BIN / "policy-archive"), "serve", "--workers", str(workers)],
            env,
            paths[0],
        )
        try:
            with httpx.Client(base_url=server.base, timeout=120) as client:
                for path in paths:  # every process's caches see the mix before timing
                    for _ in range(workers):
                        timed_get(client, path)
            figures = {}
            for clients in (1, 8):
                errors: list[str] = []
                done, latencies = load(server.base, paths, clients, args.duration, errors)
                figures[f"c{clients}_per_s"] = round(done / args.duration, 2)
                figures[f"c{clients}_median_ms"] = round(statistics.median(latencies), 1)
                figures[f"c{clients}_errors"] = len(errors)
            # A different slice of the cold mix for each count: each search is new to it.
            chosen = cold[number * args.cold : (number + 1) * args.cold] or cold[: args.cold]
            with httpx.Client(base_url=server.base, timeout=120) as client:
                times = sorted(timed_get(client, path)[0] for path in chosen)
            figures["cold_median_ms"] = round(statistics.median(times), 1)
            figures["cold_p95_ms"] = round(percentile(times, 0.95), 1)
            print(json.dumps({"workers": workers, **figures, "memory": server.memory()}))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
