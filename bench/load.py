"""Concurrency check: the archive under many connections and a burst, on loopback only.

``python -m bench.load --n 2000`` (``make load``) ingests the synthetic corpus, starts the
server, then with wrk (Debian package) runs a mix of one third searches, one third
article pages and one third speaker pages at 50 connections for 60 s, and a 10-second
burst of 500 connections while /healthz is timed every quarter second. It prints the
figures and writes ``bench/results/<date>-load-<N>.md``. Every run is bounded in time
and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.corpus import DEFAULT_SEED, Vocabulary, ensure_corpus
from bench.run import BENCH, Server, ingest_split, percentile, search_path

LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def mix_paths(archive_db: Path, seed: int, count: int = 3000) -> list[str]:
    """Equal thirds of searches, article pages and speaker pages, interleaved; 1,000
    distinct searches, so a 60-second run repeats each only a few times."""
    conn = sqlite3.connect(f"file:{archive_db}?mode=ro", uri=True)
    slugs = [row[0] for row in conn.execute("SELECT slug FROM article ORDER BY id")]
    speakers = [row[0] for row in conn.execute("SELECT slug FROM speaker ORDER BY id")]
    conn.close()
    rng = random.Random(seed)
    words = Vocabulary(seed).words[:3000]
    third = count // 3
    searches = [
        search_path(q=" ".join(rng.sample(words, rng.choice((1, 2))))) for _ in range(third)
    ]
    articles = [f"/articles/{slug}" for slug in rng.sample(slugs, min(third, len(slugs)))]
    people = [f"/speakers/{slug}" for slug in rng.sample(speakers, min(third, len(speakers)))]
    paths = [path for trio in zip(searches, articles, people, strict=False) for path in trio]
    return paths


def run_wrk(base: str, script: Path, connections: int, seconds: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    requests = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, flags=re.MULTILINE))
    return {
        "connections": connections,
        "seconds": seconds,
        "requests": int(requests.group(1)) if requests else 0,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "none",
        "latency": latency,
        "raw": output,
    }


def time_health(base: str, stop: threading.Event, samples: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                client.get("/healthz")
                samples.append(time.perf_counter() - started)
            except httpx.HTTPError:
                samples.append(float("inf"))
            time.sleep(0.25)


def measure(base: str, script: Path, args: argparse.Namespace) -> dict:
    steady = run_wrk(base, script, args.connections, args.duration)
    samples: list[float] = []
    stop = threading.Event()
    watcher = threading.Thread(target=time_health, args=(base, stop, samples))
    watcher.start()
    burst = run_wrk(base, script, args.burst, args.burst_seconds)
    stop.set()
    watcher.join()
    started = time.perf_counter()
    after = httpx.get(f"{base}/healthz", timeout=30)
    after_seconds = time.perf_counter() - started
    return {
        "steady": steady,
        "burst": burst,
        "health_during_burst": {
            "samples": len(samples),
            "max_seconds": round(max(samples), 3) if samples else None,
            "p95_seconds": round(percentile(samples, 0.95), 3) if samples else None,
        },
        "health_after_burst": {"status": after.status_code, "seconds": round(after_seconds, 3)},
    }


TROUBLESOME = {
    "speaker repeated 1,000 times": [("q", "policy")] + [("speaker", "someone")] * 1000,
    "{a TO}": [("q", "{a TO}")],
    "[a TO z]": [("q", "[a TO z]")],
    "a* b* c* d* e*": [("q", "a* b* c* d* e*")],
    "pol* reg* gov* cli*": [("q", "pol* reg* gov* cli*")],
    "NOT OR -": [("q", "NOT OR -")],
}


def time_troublesome(base: str) -> dict:
    """Status and seconds of the queries that once took seconds or crashed."""
    timings = {}
    with httpx.Client(base_url=base, timeout=300) as client:
        for label, params in TROUBLESOME.items():
            started = time.perf_counter()
            response = client.get("/search", params=params)
            timings[label] = (response.status_code, round(time.perf_counter() - started, 3))
    return timings


def markdown(n: int, results: dict) -> str:
    steady, burst = results["steady"], results["burst"]
    during, after = results["health_during_burst"], results["health_after_burst"]
    return "\n".join(
        [
            f"# Load check, N = {n:,} ({datetime.now(UTC):%Y-%m-%d})",
            "",
            "Mix: one third searches (1,000 distinct one- and two-word queries from the "
            "corpus vocabulary), one third article pages, one third speaker pages, "
            "cycled by wrk -t2 over loopback; 2 shared cores.",
            "",
            "| run | requests | req/s | non-2xx/3xx | socket errors | p50 | p90 | p99 |",
            "|---|---|---|---|---|---|---|---|",
            *(
                f"| {r['connections']} connections × {r['seconds']} s | {r['requests']:,} | "
                f"{r['requests'] / r['seconds']:.1f} | {r['non_2xx_3xx']:,} | "
                f"{r['socket_errors']} | {r['latency'].get('50', '-')} | "
                f"{r['latency'].get('90', '-')} | {r['latency'].get('99', '-')} |"
                for r in (steady, burst)
            ),
            "",
            f"/healthz during the burst: {during['samples']} samples, p95 "
            f"{during['p95_seconds']} s, max {during['max_seconds']} s; right after it: "
            f"{after['status']} in {after['seconds']} s.",
            "",
            "In the burst, non-2xx answers are the 503s of load shedding (by design).",
            "",
            "| query once costly | status | seconds |",
            "|---|---|---|",
            *(
                f"| `{label}` | {status} | {seconds} |"
                for label, (status, seconds) in results["troublesome"].items()
            ),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=int(os.environ.get("N", 2000)))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--burst-seconds", type=int, default=10)
    parser.add_argument("--corpus-base", type=Path, default=BENCH / "corpus")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    corpus = ensure_corpus(args.corpus_base, args.n, args.seed)
    with tempfile.TemporaryDirectory(prefix="archive-load-") as work:
        workdir = Path(work)
        ingested = ingest_split(corpus, args.n, workdir)
        print(f"ingested {ingested['articles']:,} articles in {ingested['wall_seconds']} s")
        script = workdir / "mix.lua"
        paths = mix_paths(workdir / "archive.db", args.seed)
        script.write_text(LUA % ", ".join(f'"{path}"' for path in paths))
        env = {
            **os.environ,
            "ARCHIVE_DATABASE_URL": f"sqlite:///{workdir / 'archive.db'}",
            "ARCHIVE_INDEX_DIR": str(workdir / "index"),
        }
        server = Server("archive", [sys.executable, "-m", "app", "serve"], env, "/healthz")
        try:
            results = measure(server.base, script, args)
            results["troublesome"] = time_troublesome(server.base)
        finally:
            server.stop()
    report = markdown(args.n, results)
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{datetime.now(UTC):%Y-%m-%d}-load-{args.n}.md").write_text(report)


if __name__ == "__main__":
    main()
