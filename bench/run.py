"""The benchmark harness: ingest, serve and search the archive and the FTS5 baseline in one run.

``python -m bench.run --n 10000`` (or ``N=10000 python -m bench.run``) generates the corpus,
ingests it through the real CLI, builds the FTS5 baseline from the same files, starts both
servers and measures them over HTTP with interleaved repetitions, then writes
``bench/results/<date>-<N>.json`` and a readable ``.md`` next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.corpus import COMMON, DEFAULT_SEED, Vocabulary, article_text, ensure_corpus

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def _relative(path: Path) -> str:
    """A path as the results files show it: relative to the checkout, not this machine."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


BIN = Path(sys.executable).parent
SERVERS = ("archive", "fts5")


# ------------------------------------------------------------------------------ helpers
def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: every figure is a measured request)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarise(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 2) if values else None,
        "p95_ms": round(percentile(values, 0.95), 2) if values else None,
        "p99_ms": round(percentile(values, 0.99), 2) if values else None,
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_size(path: Path) -> int:
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def index_segments(folder: Path) -> dict[str, int]:
    """How many segments each Whoosh index in `folder` has (one compound file each)."""
    names = [path.name for path in Path(folder).rglob("*.seg")]
    return {
        "articles": sum(name.startswith("MAIN_") for name in names),
        "quotes": sum(name.startswith("quotes_") for name in names),
    }


def sqlite_size(path: Path) -> int:
    return sum(
        Path(f"{path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """Run a command; wall seconds, exit status, peak RSS (KiB) of that child, its stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        out.seek(0)
        stdout = out.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{command[:3]} failed ({proc.returncode}): {err[-2000:]}")
    return elapsed, proc.returncode, usage.ru_maxrss, stdout


def proc_fields(path: str, keys: tuple[str, ...]) -> dict[str, int]:
    """The first number of each `key: value` line of a /proc file asked for (kB in
    status and meminfo, bytes in io); none where the file cannot be read."""
    fields = {}
    try:
        for line in Path(path).read_text().splitlines():
            key, _, value = line.partition(":")
            if key in keys:
                fields[key] = int(value.split()[0])
    except OSError:
        pass
    return fields


def proc_memory(pid: int) -> dict[str, float]:
    fields = {
        k: round(v / 1024, 1)
        for k, v in proc_fields(f"/proc/{pid}/status", ("VmRSS", "VmHWM")).items()
    }
    return {"rss_mb": fields.get("VmRSS"), "peak_rss_mb": fields.get("VmHWM")}


def proc_disk_reads(pid: int) -> int:
    """Bytes a process has had read from storage (`read_bytes`: reads the page cache
    answered do not count); 0 where the kernel does not say."""
    return proc_fields(f"/proc/{pid}/io", ("read_bytes",)).get("read_bytes", 0)


def page_cache_mb() -> float | None:
    """The kernel's page cache now (`Cached` in /proc/meminfo)."""
    cached = proc_fields("/proc/meminfo", ("Cached",)).get("Cached")
    return round(cached / 1024, 1) if cached is not None else None


def child_pids(pid: int) -> list[int]:
    """Every descendant of a process (uvicorn's workers and their helpers)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *child_pids(child)]
    return found


# ------------------------------------------------------------------------------ servers
class Server:
    """A server subprocess on a free loopback port; cold start is measured to the first search."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], first_path: str, cwd: Path = ROOT
    ):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            cwd=cwd,  # another checkout's `python -m app` runs that checkout's code
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = started + 300
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{name} server exited with {self.proc.returncode}")
                try:
                    response = client.get(first_path)
                    if response.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{name} server did not answer within 300 s")
                time.sleep(0.01)
        self.cold_start_seconds = time.perf_counter() - started

    def memory(self) -> dict[str, float]:
        """The largest peak of the server's processes (a worker each, if it forks) and
        their summed resident memory now."""
        pids = [self.proc.pid, *child_pids(self.proc.pid)]
        figures = [proc_memory(pid) for pid in pids]
        peak = max(f["peak_rss_mb"] or 0 for f in figures)
        return {
            "processes": len(pids),
            "rss_mb": round(sum(f["rss_mb"] or 0 for f in figures), 1),
            "peak_rss_mb": peak,
            "peak_rss_mb_per_process": peak,
        }

    def disk_reads(self) -> int:
        """Bytes the server's processes have read from storage so far."""
        return sum(map(proc_disk_reads, [self.proc.pid, *child_pids(self.proc.pid)]))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ------------------------------------------------------------------------------ workload
def search_path(**params) -> str:
    return "/search?" + urlencode([(k, v) for k, v in params.items() if v is not None])


def quotes_path(**params) -> str:
    return "/quotes?" + urlencode([(k, v) for k, v in params.items() if v is not None])


# The quote searches of the mix and the article searches they correspond to: the target
# "quote search p95 ≤ article search p95" compares these pools.
QUOTE_PAIRS = {
    "quote_common_word": "common_word",
    "quote_word_speaker": "word_speaker",
    "quote_word_theme": "word_theme",
}


def build_workload(archive_db: Path, n: int, seed: int) -> dict:
    """The fixed search mix and page sample, chosen from the ingested data (deterministic)."""
    conn = sqlite3.connect(f"file:{archive_db}?mode=ro", uri=True)
    top_speaker = conn.execute(
        "SELECT s.slug FROM speaker s JOIN quote q ON q.speaker_id = s.id"
        " GROUP BY s.id ORDER BY count(DISTINCT q.article_id) DESC, s.slug LIMIT 1"
    ).fetchone()
    theme = conn.execute(
        "SELECT t.slug FROM theme t JOIN articletheme x ON x.theme_id = t.id"
        " GROUP BY t.id ORDER BY count(*) DESC, t.slug LIMIT 1"
    ).fetchone()
    rng = random.Random(seed)
    slugs = [row[0] for row in conn.execute("SELECT slug FROM article ORDER BY id")]
    speakers = [row[0] for row in conn.execute("SELECT slug FROM speaker ORDER BY id")]
    themes = [row[0] for row in conn.execute("SELECT slug FROM theme ORDER BY id")]
    conn.close()
    rare = Vocabulary(seed).rare_words[0]
    deep = max(2, min(100, n // 10 // 2))
    mix = {
        "common_word": search_path(q="policy"),
        "rare_word": search_path(q=rare),
        "two_words": search_path(q="climate investment"),
        "phrase": search_path(q='"data protection"'),
        "word_speaker": search_path(
            q="government", speaker=top_speaker[0] if top_speaker else None
        ),
        "word_theme": search_path(q="regulation", theme=theme[0] if theme else None),
        "sorted_newest": search_path(q="regulation", sort="newest"),
        "deep_page": search_path(q="policy", page=deep),
        # What people said: the same words and filters, over quotes.
        "quote_common_word": quotes_path(q="policy"),
        "quote_word_speaker": quotes_path(
            q="government", speaker=top_speaker[0] if top_speaker else None
        ),
        "quote_word_theme": quotes_path(q="regulation", theme=theme[0] if theme else None),
    }
    pages = {
        "article": [f"/articles/{s}" for s in rng.sample(slugs, min(20, len(slugs)))],
        "speaker": [f"/speakers/{s}" for s in rng.sample(speakers, min(10, len(speakers)))],
        "theme": [f"/themes/{s}" for s in themes[:5]],
        "home": ["/"],
    }
    return {"mix": mix, "pages": pages}


# The kinds of search in the cold mix: each warm-mix kind, asked with words never asked before.
COLD_SEARCHES = (
    "common_word",
    "rare_word",
    "two_words",
    "phrase",
    "word_speaker",
    "word_theme",
    "sorted_newest",
    "deep_page",
    "quote_common_word",
    "quote_word_speaker",
    "quote_word_theme",
)
# Pages only the archive serves: the baseline has no related articles. The article page
# leaves them to its script, so they are timed as a request of their own.
ARCHIVE_ONLY_KINDS = ("related",)


def build_cold_mix(
    archive_db: Path | str, n: int, seed: int, per_kind: int, avoid: set[str]
) -> dict:
    """``per_kind`` distinct searches of every kind in COLD_SEARCHES, plus as many article
    pages, none of them in ``avoid`` (the warm mix and its page sample) and none asked twice.

    ``archive_db``: the archive's SQLite file, or a database URL (PostgreSQL). Words come
    from the corpus vocabulary (its frequent head for common words, its tail for rare
    ones); phrases are pairs of neighbouring words in the corpus's own articles, so each
    matches at least one article. The result is shuffled so that kinds interleave.
    """
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    url = (
        archive_db
        if isinstance(archive_db, str)
        else f"sqlite:///file:{archive_db}?mode=ro&uri=true"
    )
    engine = create_engine(url)
    with engine.connect() as conn:
        quoted = list(
            conn.execute(
                sql(
                    "SELECT DISTINCT s.slug FROM speaker s JOIN quote q ON q.speaker_id = s.id"
                    " ORDER BY s.slug"
                )
            ).scalars()
        )
        themes = list(conn.execute(sql("SELECT slug FROM theme ORDER BY slug")).scalars())
        slugs = list(conn.execute(sql("SELECT slug FROM article ORDER BY id")).scalars())
    engine.dispose()
    vocab = Vocabulary(seed)
    rng = random.Random(f"cold-mix-{seed}-{n}")
    head, middle, tail = vocab.words[:300], vocab.words[:2000], vocab.words[3000:12000]
    deepest = max(2, min(100, n // 10 // 2))

    def phrase() -> str:
        text = article_text(rng.randrange(n), seed, vocab)
        body = text.split("\n\n", 3)[-1]
        words = re.findall(r"[A-Za-z]+", body)
        while True:
            at = rng.randrange(len(words) - 1)
            pair = words[at : at + 2]
            if all(w.lower() not in COMMON and len(w) > 2 for w in pair):
                return '"' + " ".join(pair).lower() + '"'

    makers = {
        "common_word": lambda: search_path(q=rng.choice(head)),
        "rare_word": lambda: search_path(q=rng.choice(tail)),
        "two_words": lambda: search_path(q=f"{rng.choice(middle)} {rng.choice(middle)}"),
        "phrase": lambda: search_path(q=phrase()),
        "word_speaker": lambda: search_path(q=rng.choice(head), speaker=rng.choice(quoted)),
        "word_theme": lambda: search_path(q=rng.choice(middle), theme=rng.choice(themes)),
        "sorted_newest": lambda: search_path(q=rng.choice(middle), sort="newest"),
        "deep_page": lambda: search_path(
            q=rng.choice(head[:60]), page=rng.randint(max(2, deepest // 2), deepest)
        ),
        "quote_common_word": lambda: quotes_path(q=rng.choice(head)),
        "quote_word_speaker": lambda: quotes_path(q=rng.choice(head), speaker=rng.choice(quoted)),
        "quote_word_theme": lambda: quotes_path(q=rng.choice(middle), theme=rng.choice(themes)),
        "article": lambda: f"/articles/{rng.choice(slugs)}",
        "related": lambda: f"/articles/{rng.choice(slugs)}/related",
    }
    seen = set(avoid)
    requests: list[tuple[str, str]] = []
    for kind, make in makers.items():
        made = 0
        for _ in range(per_kind * 50):
            path = make()
            if path not in seen:
                seen.add(path)
                requests.append((kind, path))
                made += 1
                if made == per_kind:
                    break
    rng.shuffle(requests)
    return {"requests": requests, "per_kind": per_kind}


TIMED_OUT = 504  # the status a request that took longer than the client's timeout counts as


def timed_get(client: httpx.Client, path: str) -> tuple[float, httpx.Response]:
    """Milliseconds to fetch `path`, and the response. A request past the client's
    timeout is an answer with status TIMED_OUT, so it counts as an error and as its time
    so far, and the run goes on: the ninth run at 100,000 died an hour in when the FTS5
    baseline took over 120 s for one quote search with a speaker."""
    started = time.perf_counter()
    try:
        response = client.get(path)
        _ = response.content
    except httpx.TimeoutException:
        response = httpx.Response(TIMED_OUT, text="timed out")
    return (time.perf_counter() - started) * 1000, response


def measure_latency(servers: dict[str, Server], workload: dict, reps: int, per: int) -> dict:
    """Interleaved blocks: in each, every server answers every request ``per`` times."""
    samples: dict[str, dict[str, list[float]]] = {
        name: {key: [] for key in [*workload["mix"], *workload["pages"]]} for name in servers
    }
    block_stats: dict[str, list[dict]] = {name: [] for name in servers}
    totals: dict[str, dict[str, int | None]] = {name: {} for name in servers}
    errors: dict[str, int] = {name: 0 for name in servers}
    clients = {name: httpx.Client(base_url=s.base, timeout=120) for name, s in servers.items()}
    try:
        # Warm up: every request once on each server (caches, lazy imports, facet lists).
        for name in servers:
            for key, path in workload["mix"].items():
                _, response = timed_get(clients[name], path)
                found = re.search(r"([\d,]+) (?:articles?|quotes?)\b", response.text)
                totals[name][key] = int(found.group(1).replace(",", "")) if found else None
            for paths in workload["pages"].values():
                for path in paths:
                    timed_get(clients[name], path)
        for rep in range(reps):
            order = list(servers) if rep % 2 == 0 else list(reversed(servers))
            for name in order:
                block: list[float] = []
                for _ in range(per):
                    for key, path in workload["mix"].items():
                        ms, response = timed_get(clients[name], path)
                        errors[name] += response.status_code != 200
                        samples[name][key].append(ms)
                        block.append(ms)
                for key, paths in workload["pages"].items():
                    for path in paths:
                        ms, response = timed_get(clients[name], path)
                        errors[name] += response.status_code != 200
                        samples[name][key].append(ms)
                block_stats[name].append(summarise(block))
    finally:
        for client in clients.values():
            client.close()
    result = {}
    for name in servers:
        mix_all = [ms for key in workload["mix"] for ms in samples[name][key]]
        result[name] = {
            "per_request": {key: summarise(values) for key, values in samples[name].items()},
            "search_mix_pooled": summarise(mix_all),
            "search_mix_median_of_blocks": {
                stat: round(statistics.median(b[stat] for b in block_stats[name]), 2)
                for stat in ("median_ms", "p95_ms", "p99_ms")
            },
            "totals": totals[name],
            "errors": errors[name],
        }
    return result


def measure_cold(servers: dict[str, Server], cold: dict) -> dict:
    """Every cold request once on each server, the first server alternating request by
    request, so neither server answers from a cache and both see the same machine load."""
    samples = {name: {} for name in servers}
    totals = {name: {} for name in servers}
    errors = {name: [] for name in servers}
    clients = {name: httpx.Client(base_url=s.base, timeout=120) for name, s in servers.items()}
    # A tail is often the disk: how much each server read from it says how much of its
    # files the page cache held (this machine's kernel reclaims cached files early).
    cached_before = page_cache_mb()
    read_before = {name: server.disk_reads() for name, server in servers.items()}
    try:
        for position, (kind, path) in enumerate(cold["requests"]):
            order = list(servers) if position % 2 == 0 else list(reversed(servers))
            for name in order:
                if kind in ARCHIVE_ONLY_KINDS and name == "fts5":
                    continue
                ms, response = timed_get(clients[name], path)
                if response.status_code != 200:
                    errors[name].append(f"{path}: status {response.status_code}")
                samples[name].setdefault(kind, []).append(ms)
                if kind in COLD_SEARCHES:
                    found = re.search(r"([\d,]+) (?:articles?|quotes?)\b", response.text)
                    totals[name][path] = int(found.group(1).replace(",", "")) if found else None
    finally:
        for client in clients.values():
            client.close()
    result = {}
    for name in servers:
        searches = [ms for kind in COLD_SEARCHES for ms in samples[name].get(kind, [])]
        result[name] = {
            "per_kind": {kind: summarise(values) for kind, values in samples[name].items()},
            "search_mix": summarise(searches),
            "errors": len(errors[name]),
            "first_errors": errors[name][:3],
            "disk_read_mb": round((servers[name].disk_reads() - read_before[name]) / 2**20, 1),
        }
    paths = [path for _, path in cold["requests"]]
    archive, fts5 = totals.get("archive", {}), totals.get("fts5", {})
    searched = [p for p in paths if p in archive]
    result["searches"] = len(searched)
    result["same_totals"] = sum(1 for p in searched if archive[p] == fts5.get(p))
    if "postgres" in totals:  # the two backends of the archive must agree exactly
        postgres = totals["postgres"]
        result["postgres_other_totals"] = [p for p in searched if archive[p] != postgres.get(p)]
    result["requests"] = len(paths)
    result["page_cache_mb_before"] = cached_before
    return result


def load(
    base: str, paths: list[str], concurrency: int, duration: float, errors: list[str]
) -> tuple[int, list]:
    """``concurrency`` threads, each with its own keep-alive client, cycling through ``paths``.

    Only answers with status 200 count; anything else is appended to ``errors``.
    """
    stop_at = time.perf_counter() + duration
    latencies: list[list[float]] = [[] for _ in range(concurrency)]

    def worker(index: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            position = index
            while time.perf_counter() < stop_at:
                path = paths[position % len(paths)]
                position += 1
                try:
                    ms, response = timed_get(client, path)
                except httpx.HTTPError as error:
                    errors.append(f"{path}: {type(error).__name__}: {error}")
                    continue
                if response.status_code != 200:
                    errors.append(f"{path}: status {response.status_code}")
                    continue
                latencies[index].append(ms)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(len(part) for part in latencies), [ms for part in latencies for ms in part]


def measure_throughput(
    servers: dict[str, Server], workload: dict, levels: list[int], duration: float, rounds: int
) -> dict:
    """Requests per second with ``c`` clients looping over the search mix, interleaved."""
    paths = list(workload["mix"].values())
    figures: dict[str, dict[int, list[float]]] = {n: {c: [] for c in levels} for n in servers}
    latencies: dict[str, dict[int, list[float]]] = {n: {c: [] for c in levels} for n in servers}
    errors: dict[str, dict[int, list[str]]] = {n: {c: [] for c in levels} for n in servers}
    for rnd in range(rounds):
        for concurrency in levels:
            order = list(servers) if (rnd + concurrency) % 2 == 0 else list(reversed(servers))
            for name in order:
                started = time.perf_counter()
                done, lat = load(
                    servers[name].base, paths, concurrency, duration, errors[name][concurrency]
                )
                figures[name][concurrency].append(done / (time.perf_counter() - started))
                latencies[name][concurrency].extend(lat)
    return {
        name: {
            str(c): {
                "requests_per_second": round(statistics.median(figures[name][c]), 2),
                "rounds": [round(x, 2) for x in figures[name][c]],
                "errors": len(errors[name][c]),
                "first_errors": errors[name][c][:3],
                **summarise(latencies[name][c]),
            }
            for c in levels
        }
        for name in servers
    }


# ------------------------------------------------------------------------------ ingestion
def ingest_split(corpus: Path, limit: int, workdir: Path) -> dict:
    """In-process: the library Pipeline on the first ``limit`` files, with its phase timings."""
    os.environ["ARCHIVE_DATABASE_URL"] = f"sqlite:///{workdir / 'archive.db'}"
    os.environ["ARCHIVE_INDEX_DIR"] = str(workdir / "index")
    from app.config import Settings
    from app.db import make_engine, migrate
    from app.ingest.pipeline import IngestReport, Pipeline
    from app.ingest.sources.readers import iter_documents
    from app.search.whoosh_backend.archive_index import ArchiveIndex

    settings = Settings()
    migrate(settings)
    engine = make_engine(settings)
    archive_index = ArchiveIndex(settings.index_dir)
    files = sorted(str(p) for p in Path(corpus).rglob("*.txt"))[:limit]
    started = time.perf_counter()
    pipeline = Pipeline(settings, engine, archive_index)
    report = IngestReport()
    pipeline.ingest(iter_documents(files, max_bytes=settings.max_input_bytes), report)
    wall = time.perf_counter() - started
    return {
        "articles": report.added,
        "failed": report.failed,
        "wall_seconds": round(wall, 2),
        "extract_seconds": round(report.extract_seconds, 2),
        "database_seconds": round(report.database_seconds, 2),
        "index_seconds": round(report.index_seconds, 2),
    }


def archive_env(folder: Path) -> dict[str, str]:
    """The environment of a `policy-archive` command on the SQLite archive in `folder`
    (`archive.db` and `index`)."""
    return {
        **os.environ,
        "ARCHIVE_DATABASE_URL": f"sqlite:///{folder / 'archive.db'}",
        "ARCHIVE_INDEX_DIR": str(folder / "index"),
    }


def measure_ingestion(corpus: Path, n: int, work: Path, split_n: int) -> dict:
    env = archive_env(work)
    seconds, status, peak_kib, _ = run_child(
        [str(BIN / "policy-archive"), "ingest", "-q", str(corpus)], env
    )
    conn = sqlite3.connect(work / "archive.db")
    counts = {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("article", "speaker", "quote", "articletheme")
    }
    conn.close()
    result = {
        "command": f"policy-archive ingest -q {_relative(corpus)}",
        "exit_status": status,
        "seconds": round(seconds, 2),
        "articles_per_second": round(counts["article"] / seconds, 1),
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "counts": counts,
        "index_bytes": tree_size(work / "index"),
        "index_segments": index_segments(work / "index"),
        "database_bytes": sqlite_size(work / "archive.db"),
        "corpus_bytes": tree_size(corpus),
    }
    limit = min(n, split_n) if split_n else n
    split_dir = work / "split"
    split_dir.mkdir()
    seconds, _, _, out = run_child(
        [sys.executable, "-m", "bench.run", "--split", str(corpus), str(limit), str(split_dir)],
        {**os.environ},
    )
    split = json.loads(out.strip().splitlines()[-1])
    split["articles_per_second"] = round(split["articles"] / split["wall_seconds"], 1)
    result["split"] = split
    shutil.rmtree(split_dir, ignore_errors=True)
    return result


def measure_optimize(work: Path) -> dict:
    """`policy-archive optimize` after the load (one segment per index), timed on its own:
    the searches that follow are then asked of the optimised archive."""
    command = [str(BIN / "policy-archive"), "optimize"]
    seconds, status, peak_kib, _ = run_child(command, archive_env(work))
    return {
        "exit_status": status,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "index_bytes": tree_size(work / "index"),
    }


def measure_postgres_ingestion(corpus: Path, database_url: str, work: Path) -> dict:
    """The same CLI ingest into PostgreSQL (store and search index both there)."""
    from sqlalchemy import create_engine, text

    from app.search.postgres_backend import rum as postgres_rum

    env = {
        **os.environ,
        "ARCHIVE_DATABASE_URL": database_url,
        "ARCHIVE_INDEX_DIR": str(work / "pg-unused-index"),
    }
    seconds, status, peak_kib, _ = run_child(
        [str(BIN / "policy-archive"), "ingest", "-q", str(corpus)], env
    )
    engine = create_engine(database_url)
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("article", "speaker", "quote", "articletheme")
        }
        sizes = dict(
            connection.execute(
                text(
                    "SELECT CASE WHEN c.relname LIKE 'search%' THEN 'index' ELSE 'database' END,"
                    " sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind = 'r' GROUP BY 1"
                )
            ).all()
        )
        text_index = postgres_rum.in_use(connection)
    engine.dispose()
    return {
        "command": f"ARCHIVE_DATABASE_URL=postgresql… policy-archive ingest -q {_relative(corpus)}",
        # RUM where the server has the extension; ARCHIVE_POSTGRES_TEXT_INDEX=gin forces GIN.
        "text_index": text_index,
        "exit_status": status,
        "seconds": round(seconds, 2),
        "articles_per_second": round(counts["article"] / seconds, 1),
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "counts": counts,
        "index_bytes": int(sizes.get("index", 0)),
        "database_bytes": int(sizes.get("database", 0)),
    }


def start_postgres(work: Path):
    """ARCHIVE_BENCH_POSTGRES_URL (an empty database) if set, else a throwaway cluster
    from Debian's package, as the tests start one; returns (url, server or None)."""
    given = os.environ.get("ARCHIVE_BENCH_POSTGRES_URL")
    if given:
        return given, None
    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import PostgresServer

    server = PostgresServer().start()
    return server.create_database(), server


def measure_fts5_build(corpus: Path, work: Path) -> dict:
    db = work / "fts5.db"
    seconds, _, peak_kib, out = run_child(
        [
            sys.executable,
            "-m",
            "bench.fts5",
            "build",
            str(corpus),
            str(db),
            "--labels",
            str(work / "archive.db"),
        ],
        {**os.environ},
    )
    timings = json.loads(out.strip().splitlines()[-1])
    return {
        "seconds_with_process": round(seconds, 2),
        **{k: round(v, 2) if isinstance(v, float) else v for k, v in timings.items()},
        "articles_per_second": round(
            timings["articles"] / timings["files_to_searchable_seconds"], 1
        ),
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "database_bytes": sqlite_size(db),
    }


# ------------------------------------------------------------------------------ report
def compare(results: dict) -> dict:
    """Every headline figure next to FTS5's and their ratio (archive / FTS5)."""
    lat = results["latency"]
    variant = "variant" in lat
    postgres = "postgres" in lat
    rows = {}
    for key in lat["archive"]["per_request"]:
        for stat in ("median_ms", "p95_ms"):
            a = lat["archive"]["per_request"][key][stat]
            b = lat["fts5"]["per_request"][key][stat]
            rows[f"{key} {stat}"] = {"archive": a, "fts5": b, "ratio": ratio(a, b)}
            if variant:
                rows[f"{key} {stat}"]["variant"] = lat["variant"]["per_request"][key][stat]
            if postgres:
                rows[f"{key} {stat}"]["postgres"] = lat["postgres"]["per_request"][key][stat]
    for stat in ("median_ms", "p95_ms", "p99_ms"):
        a = lat["archive"]["search_mix_median_of_blocks"][stat]
        b = lat["fts5"]["search_mix_median_of_blocks"][stat]
        rows[f"search mix {stat}"] = {"archive": a, "fts5": b, "ratio": ratio(a, b)}
        if variant:
            rows[f"search mix {stat}"]["variant"] = lat["variant"]["search_mix_median_of_blocks"][
                stat
            ]
        if postgres:
            rows[f"search mix {stat}"]["postgres"] = lat["postgres"]["search_mix_median_of_blocks"][
                stat
            ]
    cold = results["cold"]
    for key in [*COLD_SEARCHES, "article", *ARCHIVE_ONLY_KINDS]:
        for stat in ("median_ms", "p95_ms"):
            a = cold["archive"]["per_kind"].get(key, {}).get(stat)
            b = cold["fts5"]["per_kind"].get(key, {}).get(stat)
            rows[f"cold {key} {stat}"] = {"archive": a, "fts5": b, "ratio": ratio(a, b)}
    for stat in ("median_ms", "p95_ms", "p99_ms"):
        a, b = cold["archive"]["search_mix"][stat], cold["fts5"]["search_mix"][stat]
        rows[f"cold search mix {stat}"] = {"archive": a, "fts5": b, "ratio": ratio(a, b)}
    for level, figures in results["throughput"]["archive"].items():
        a = figures["requests_per_second"]
        b = results["throughput"]["fts5"][level]["requests_per_second"]
        rows[f"throughput c={level} req/s"] = {"archive": a, "fts5": b, "ratio": ratio(a, b)}
        if "variant" in results["throughput"]:
            rows[f"throughput c={level} req/s"]["variant"] = results["throughput"]["variant"][
                level
            ]["requests_per_second"]
        if postgres:
            rows[f"throughput c={level} req/s"]["postgres"] = results["throughput"]["postgres"][
                level
            ]["requests_per_second"]
    ing, fts = results["ingestion"], results["fts5_build"]
    rows["ingestion articles/s"] = {
        "archive": ing["articles_per_second"],
        "fts5": fts["articles_per_second"],
        "ratio": ratio(ing["articles_per_second"], fts["articles_per_second"]),
    }
    rows["index+database MB"] = {
        "archive": round((ing["index_bytes"] + ing["database_bytes"]) / 2**20, 1),
        "fts5": round(fts["database_bytes"] / 2**20, 1),
        "ratio": ratio(ing["index_bytes"] + ing["database_bytes"], fts["database_bytes"]),
    }
    if postgres:
        pg = results["postgres_ingestion"]
        rows["ingestion articles/s"]["postgres"] = pg["articles_per_second"]
        rows["index+database MB"]["postgres"] = round(
            (pg["index_bytes"] + pg["database_bytes"]) / 2**20, 1
        )
    mem = results["server_memory"]
    rows["server peak RSS MB"] = {
        "archive": mem["archive"]["peak_rss_mb"],
        "fts5": mem["fts5"]["peak_rss_mb"],
        "ratio": ratio(mem["archive"]["peak_rss_mb"], mem["fts5"]["peak_rss_mb"]),
    }
    if postgres:
        rows["server peak RSS MB"]["postgres"] = mem["postgres"]["peak_rss_mb"]
    cold = results["cold_start_seconds"]
    rows["cold start s"] = {
        "archive": cold["archive"],
        "fts5": cold["fts5"],
        "ratio": ratio(cold["archive"], cold["fts5"]),
    }
    if postgres:
        rows["cold start s"]["postgres"] = cold["postgres"]
    return rows


def postgres_targets(results: dict) -> dict:
    """Issue 14's targets for the PostgreSQL backend, against FTS5 and Whoosh in this run."""
    lat = results["latency"]
    mix_p, mix_f = (
        lat[name]["search_mix_median_of_blocks"]["p95_ms"] for name in ("postgres", "fts5")
    )
    rate = results["postgres_ingestion"]["articles_per_second"]
    mismatched = sorted(
        key
        for key, total in lat["archive"]["totals"].items()
        if lat["postgres"]["totals"].get(key) != total
    )
    cold = results["cold"]
    cold_p, cold_f = (cold[name]["search_mix"]["p95_ms"] for name in ("postgres", "fts5"))
    cold_mismatched = cold.get("postgres_other_totals", [])
    return {
        "postgres_cold_search_p95_le_fts5": {
            "value": ratio(cold_p, cold_f),
            "target": 1.0,
            "met": bool(cold_p and cold_f and cold_p <= cold_f),
        },
        "postgres_cold_totals_equal_whoosh": {
            "value": ", ".join(cold_mismatched[:5]) or "all equal",
            "target": "all equal",
            "met": not cold_mismatched,
        },
        "postgres_search_p95_le_fts5": {
            "value": ratio(mix_p, mix_f),
            "target": 1.0,
            "met": bool(mix_p and mix_f and mix_p <= mix_f),
        },
        "postgres_ingestion_ge_300_per_s": {"value": rate, "target": 300, "met": rate >= 300},
        "postgres_totals_equal_whoosh": {
            "value": ", ".join(mismatched) or "all equal",
            "target": "all equal",
            "met": not mismatched,
        },
    }


def targets(results: dict) -> dict:
    """Issue 12's targets, judged on the cold mix (each search asked once)."""
    cold = results["cold"]
    mix_a, mix_f = cold["archive"]["search_mix"], cold["fts5"]["search_mix"]
    phrase_a = cold["archive"]["per_kind"]["phrase"]["p95_ms"]
    phrase_f = cold["fts5"]["per_kind"]["phrase"]["p95_ms"]
    article = cold["archive"]["per_kind"]["article"]["p95_ms"]
    per = results["latency"]["archive"]["per_request"]
    quote_p95 = max((per[key]["p95_ms"] for key in QUOTE_PAIRS if key in per), default=None)
    article_p95 = max(
        (per[key]["p95_ms"] for key in QUOTE_PAIRS.values() if key in per), default=None
    )
    throughput = results["throughput"]["archive"]
    one, eight = throughput.get("1"), throughput.get("8")
    scaling = (
        ratio(eight["requests_per_second"], one["requests_per_second"]) if one and eight else None
    )
    memory = results["server_memory"]["archive"]["peak_rss_mb_per_process"]
    rate = results["ingestion"]["articles_per_second"]

    def check(value, target, met) -> dict:
        return {"value": value, "target": target, "met": bool(value is not None and met)}

    p95, p99 = ratio(mix_a["p95_ms"], mix_f["p95_ms"]), ratio(mix_a["p99_ms"], mix_f["p99_ms"])
    phrase = ratio(phrase_a, phrase_f)
    return {
        "cold_search_p95_le_1.0x_fts5": check(p95, 1.0, p95 is not None and p95 <= 1.0),
        "cold_search_p99_le_1.2x_fts5": check(p99, 1.2, p99 is not None and p99 <= 1.2),
        "cold_phrase_p95_le_1.5x_fts5": check(phrase, 1.5, phrase is not None and phrase <= 1.5),
        "cold_article_page_p95_le_20ms": check(article, 20, article is not None and article <= 20),
        "server_memory_per_worker_le_500mb": check(
            memory, 500, memory is not None and memory <= 500
        ),
        "ingestion_ge_100_per_s": check(rate, 100, rate >= 100),
        "throughput_8_clients_ge_1.8x_1_client": check(
            scaling, 1.8, scaling is not None and scaling >= 1.8
        ),
        # The worst p95 of the three quote searches against the worst of their article
        # twins (issue 10; warm mix).
        "quote_search_p95_le_article_search_p95": check(
            ratio(quote_p95, article_p95),
            1.0,
            bool(quote_p95 and article_p95 and quote_p95 <= article_p95),
        ),
    }


def markdown(results: dict) -> str:
    meta = results["meta"]
    lines = [
        f"# Benchmark: N = {meta['n']:,} articles ({meta['date']})",
        "",
        f"Command: `{meta['command']}` · machine: {meta['machine']} · "
        f"{meta['reps']} interleaved blocks × {meta['per']} requests per search · "
        f"throughput {meta['duration']} s × {meta['tp_rounds']} rounds per level. "
        "Ratios are archive ÷ FTS5 (below 1 is better for latency and size, above 1 for rates).",
        "",
        "## Targets (stated for N = 100,000, judged on the cold mix; measured here at this N)",
        "",
        "| target | value | met |",
        "|---|---|---|",
    ]
    for name, t in results["targets"].items():
        lines.append(
            f"| {name} | {t['value']} (target {t['target']}) | {'yes' if t['met'] else 'no'} |"
        )
    lines += [
        "",
        "## Archive vs FTS5",
        "",
        "| figure | archive | FTS5 | ratio |"
        + (f" variant ({meta.get('variant')}) |" if meta.get("variant") else "")
        + (" PostgreSQL |" if meta.get("backend") == "postgres" else ""),
        "|---|---|---|---|"
        + ("---|" if meta.get("variant") else "")
        + ("---|" if meta.get("backend") == "postgres" else ""),
    ]
    for name, row in results["comparison"].items():
        extra = f" {row['variant']} |" if "variant" in row else ""
        extra += f" {row['postgres']} |" if "postgres" in row else ""
        lines.append(f"| {name} | {row['archive']} | {row['fts5']} | {row['ratio']} |{extra}")
    ing = results["ingestion"]
    split = ing["split"]
    lines += [
        "",
        "## Ingestion (archive)",
        "",
        f"- CLI end to end: {ing['counts']['article']:,} articles in {ing['seconds']} s = "
        f"**{ing['articles_per_second']} articles/s**, peak RSS {ing['peak_rss_mb']} MB.",
        f"- Rows: {ing['counts']}.",
        f"- Segments after the load: {ing.get('index_segments')}. "
        f"Sizes: index {ing['index_bytes'] / 2**20:.1f} MB, database "
        f"{ing['database_bytes'] / 2**20:.1f} MB, "
        f"corpus files {ing['corpus_bytes'] / 2**20:.1f} MB.",
        f"- In-process split over the first {split['articles']:,} articles: wall "
        f"{split['wall_seconds']} s ({split['articles_per_second']}/s) = extraction "
        f"{split['extract_seconds']} s + database {split['database_seconds']} s + index "
        f"{split['index_seconds']} s.",
        *(
            [
                f"- Then `policy-archive optimize` (searches below ask the optimised index): "
                f"{results['optimize']['seconds']} s, peak RSS "
                f"{results['optimize']['peak_rss_mb']} MB, index "
                f"{results['optimize']['index_bytes'] / 2**20:.1f} MB."
            ]
            if "optimize" in results
            else []
        ),
        f"- FTS5 from the same files: {results['fts5_build']}.",
        "",
        "## Latency per request (ms)",
        "",
        "| request | archive median | archive p95 | archive p99 | FTS5 median | FTS5 p95 | "
        "FTS5 p99 | hits (archive / FTS5) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lat = results["latency"]
    for key, a in lat["archive"]["per_request"].items():
        f = lat["fts5"]["per_request"][key]
        hits = f"{lat['archive']['totals'].get(key, '')} / {lat['fts5']['totals'].get(key, '')}"
        lines.append(
            f"| {key} | {a['median_ms']} | {a['p95_ms']} | {a['p99_ms']} | {f['median_ms']} | "
            f"{f['p95_ms']} | {f['p99_ms']} | {hits if key in results['workload']['mix'] else ''} |"
        )
    lines += [
        "",
        "Search mix: " + ", ".join(f"`{k}` {v}" for k, v in results["workload"]["mix"].items()),
    ]
    cold = results["cold"]
    lines += [
        "",
        f"## Cold mix: {cold['requests']} distinct requests never asked before, each once "
        "per server, the first server alternating",
        "",
        "Targets are judged on this mix; the warm mix above repeats eight searches, so the "
        "archive answers all but the first from its per-generation counts cache. "
        f"Same total on both servers for {cold['same_totals']} of {cold['searches']} searches.",
        "",
        "| kind | n | archive median | archive p95 | archive p99 | FTS5 median | FTS5 p95 | "
        "FTS5 p99 | p95 ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in [*COLD_SEARCHES, "article"]:
        a, f = cold["archive"]["per_kind"].get(kind), cold["fts5"]["per_kind"].get(kind)
        if a and f:
            lines.append(
                f"| {kind} | {a['n']} | {a['median_ms']} | {a['p95_ms']} | {a['p99_ms']} | "
                f"{f['median_ms']} | {f['p95_ms']} | {f['p99_ms']} | "
                f"{ratio(a['p95_ms'], f['p95_ms'])} |"
            )
    for kind in ARCHIVE_ONLY_KINDS:
        if a := cold["archive"]["per_kind"].get(kind):
            lines.append(
                f"| {kind} (archive only) | {a['n']} | {a['median_ms']} | {a['p95_ms']} | "
                f"{a['p99_ms']} | – | – | – | – |"
            )
    a, f = cold["archive"]["search_mix"], cold["fts5"]["search_mix"]
    lines.append(
        f"| **all searches** | {a['n']} | {a['median_ms']} | {a['p95_ms']} | {a['p99_ms']} | "
        f"{f['median_ms']} | {f['p95_ms']} | {f['p99_ms']} | {ratio(a['p95_ms'], f['p95_ms'])} |"
    )
    if "postgres" in cold:
        lines += [
            "",
            "PostgreSQL backend on the same cold requests (ratio: its p95 ÷ FTS5's p95):",
            "",
            "| kind | n | PostgreSQL median | p95 | p99 | p95 ratio to FTS5 |",
            "|---|---|---|---|---|---|",
        ]
        for kind in [*COLD_SEARCHES, "article", "search_mix"]:
            pg = cold["postgres"]["per_kind"].get(kind) or cold["postgres"].get(kind)
            f = cold["fts5"]["per_kind"].get(kind) or cold["fts5"].get(kind)
            if pg and f:
                lines.append(
                    f"| {kind} | {pg['n']} | {pg['median_ms']} | {pg['p95_ms']} | "
                    f"{pg['p99_ms']} | {ratio(pg['p95_ms'], f['p95_ms'])} |"
                )
        other = cold.get("postgres_other_totals", [])
        lines += ["", f"Searches where PostgreSQL's total differs from Whoosh's: {len(other)}."]
    lines += [
        "",
        "Read from disk during the cold mix (not from the page cache): archive "
        f"{cold['archive'].get('disk_read_mb')} MB, FTS5 {cold['fts5'].get('disk_read_mb')} "
        f"MB; page cache before it: {cold.get('page_cache_mb_before')} MB.",
        "",
        f"Errors: archive {cold['archive']['errors']} {cold['archive']['first_errors']}, "
        f"FTS5 {cold['fts5']['errors']} {cold['fts5']['first_errors']}.",
        "",
        "## Throughput (warm search mix)",
        "",
        "| clients | archive req/s | archive p95 | FTS5 req/s | FTS5 p95 |",
        "|---|---|---|---|---|",
    ]
    for level, a in results["throughput"]["archive"].items():
        f = results["throughput"]["fts5"][level]
        lines.append(
            f"| {level} | {a['requests_per_second']} | {a['p95_ms']} | "
            f"{f['requests_per_second']} | {f['p95_ms']} |"
        )
    if "postgres" in results["latency"]:
        pg, whoosh = results["latency"]["postgres"], results["latency"]["archive"]
        ing = results["postgres_ingestion"]
        lines += [
            "",
            "## PostgreSQL (store and search backend, issue 14)",
            "",
            f"- CLI end to end into PostgreSQL: {ing['counts']['article']:,} articles in "
            f"{ing['seconds']} s = **{ing['articles_per_second']} articles/s**; search tables "
            f"{ing['index_bytes'] / 2**20:.1f} MB, other tables "
            f"{ing['database_bytes'] / 2**20:.1f} MB; text index "
            f"{ing.get('text_index', 'gin').upper()}.",
            "",
            "| request | PostgreSQL median | PostgreSQL p95 | Whoosh p95 | FTS5 p95 | "
            "hits (PostgreSQL / Whoosh) |",
            "|---|---|---|---|---|---|",
        ]
        for key, p in pg["per_request"].items():
            hits = f"{pg['totals'].get(key, '')} / {whoosh['totals'].get(key, '')}"
            lines.append(
                f"| {key} | {p['median_ms']} | {p['p95_ms']} | "
                f"{whoosh['per_request'][key]['p95_ms']} | "
                f"{results['latency']['fts5']['per_request'][key]['p95_ms']} | "
                f"{hits if key in results['workload']['mix'] else ''} |"
            )
    lines += [
        "",
        f"Server memory after the run: {results['server_memory']}.",
        f"Cold start to first search (s): {results['cold_start_seconds']}.",
        "",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict:
    corpus = ensure_corpus(args.corpus_base, args.n, args.seed)
    work = Path(tempfile.mkdtemp(prefix=f"bench-{args.n}-", dir=args.workdir))
    postgres_server = None
    print(f"corpus {corpus}; work {work}", file=sys.stderr)
    results: dict = {
        "meta": {
            "n": args.n,
            "seed": args.seed,
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}",
            "reps": args.reps,
            "per": args.per,
            "duration": args.duration,
            "tp_rounds": args.tp_rounds,
            "variant": args.variant,
            "backend": args.backend,
            "git": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip(),
        }
    }
    try:
        results["ingestion"] = measure_ingestion(corpus, args.n, work, args.split_n)
        print(f"ingestion {results['ingestion']['articles_per_second']}/s", file=sys.stderr)
        if args.optimize:
            results["optimize"] = measure_optimize(work)
            print(f"optimize {results['optimize']['seconds']} s", file=sys.stderr)
        results["fts5_build"] = measure_fts5_build(corpus, work)
        if args.backend == "postgres":
            postgres_url, postgres_server = start_postgres(work)
            results["postgres_ingestion"] = measure_postgres_ingestion(corpus, postgres_url, work)
            rate = results["postgres_ingestion"]["articles_per_second"]
            print(f"postgres ingestion {rate}/s", file=sys.stderr)
        workload = build_workload(work / "archive.db", args.n, args.seed)
        results["workload"] = workload
        env = archive_env(work)
        first = workload["mix"]["common_word"]
        servers: dict[str, Server] = {}
        try:
            servers["archive"] = Server(
                "archive", [str(BIN / "policy-archive"), "serve"], env, first
            )
            servers["fts5"] = Server(
                "fts5",
                [sys.executable, "-m", "bench.fts5", "serve", str(work / "fts5.db")],
                env,
                first,
            )
            if args.backend == "postgres":
                servers["postgres"] = Server(
                    "postgres",
                    [str(BIN / "policy-archive"), "serve"],
                    {
                        **env,
                        "ARCHIVE_DATABASE_URL": postgres_url,
                        "ARCHIVE_INDEX_DIR": str(work / "pg-unused-index"),
                    },
                    first,
                )
            if args.variant:
                servers["variant"] = Server(
                    "variant",
                    [sys.executable, "-m", "bench.experiments.serve_variant", args.variant],
                    env,
                    first,
                )
            results["cold_start_seconds"] = {
                name: round(s.cold_start_seconds, 2) for name, s in servers.items()
            }
            print(f"cold start {results['cold_start_seconds']}", file=sys.stderr)
            results["latency"] = measure_latency(servers, workload, args.reps, args.per)
            print("latency done", file=sys.stderr)
            asked = {
                *workload["mix"].values(),
                *(p for ps in workload["pages"].values() for p in ps),
            }
            cold = build_cold_mix(work / "archive.db", args.n, args.seed, args.cold_per, asked)
            results["workload"]["cold"] = cold["requests"]
            results["cold"] = measure_cold(
                {
                    name: servers[name]
                    for name in ("archive", "fts5", "postgres")
                    if name in servers
                },
                cold,
            )
            print("cold mix done", file=sys.stderr)
            results["throughput"] = measure_throughput(
                servers, workload, args.concurrency, args.duration, args.tp_rounds
            )
            results["server_memory"] = {name: s.memory() for name, s in servers.items()}
        finally:
            for server in servers.values():
                server.stop()
        results["comparison"] = compare(results)
        results["targets"] = targets(results)
        if args.backend == "postgres":
            results["targets"].update(postgres_targets(results))
    finally:
        if postgres_server is not None:
            postgres_server.stop()
        results["meta"]["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--split"]:
        _, corpus, limit, workdir = argv
        print(json.dumps(ingest_split(Path(corpus), int(limit), Path(workdir))))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=int(os.environ.get("N", 10000)))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--reps", type=int, default=5, help="interleaved latency blocks")
    parser.add_argument("--per", type=int, default=5, help="requests per search per block")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per throughput run")
    parser.add_argument("--tp-rounds", type=int, default=2)
    parser.add_argument(
        "--cold-per",
        type=int,
        default=30,
        help="distinct never-asked requests per kind in the cold mix (11 search kinds + pages)",
    )
    parser.add_argument(
        "--concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32]
    )
    parser.add_argument(
        "--split-n",
        type=int,
        default=2000,
        help="articles for the in-process phase split (0 = all)",
    )
    parser.add_argument("--corpus-base", type=Path, default=BENCH / "corpus")
    parser.add_argument("--workdir", type=Path, default=None, help="parent of the temp dir")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--keep", action="store_true", help="keep the databases and index")
    parser.add_argument(
        "--optimize",
        action="store_true",
        help="run policy-archive optimize after the load (timed apart) before searching",
    )
    parser.add_argument(
        "--variant",
        help="also serve the archive with this module in place of the Whoosh index module"
        " (experiments)",
    )
    parser.add_argument(
        "--backend",
        choices=["", "postgres"],
        default=os.environ.get("BACKEND", ""),
        help="postgres: also ingest into PostgreSQL and serve from it, beside Whoosh and FTS5",
    )
    args = parser.parse_args(argv)
    results = run(args)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.backend}" if args.backend else ""
    stem = args.out / f"{results['meta']['date']}-{args.n}{suffix}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(results))
    print(stem.with_suffix(".md"))


if __name__ == "__main__":
    main()
