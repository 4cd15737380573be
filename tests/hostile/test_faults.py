"""Kill and disk faults, and writers racing readers: afterwards the archive is whole.

SIGKILL an ingest at random moments, fill the disk mid-ingest (a small tmpfs), run two
ingests at once while searches go on. After each: SQLite's integrity check passes, the
index opens, it holds no article the database lacks, and the next ingest completes,
repairing the index with a message. `make soak` (HOSTILE_FULL=1) kills ten times.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.search.whoosh_backend.archive_index import ArchiveIndex
from bench.corpus import generate

ROOT = Path(__file__).resolve().parents[2]
FULL = bool(os.environ.get("HOSTILE_FULL"))
ARTICLES = 1_000 if FULL else 300
KILLS = 10 if FULL else 2


def environment(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ARCHIVE_DATABASE_URL": f"sqlite:///{work / 'archive.db'}",
        "ARCHIVE_INDEX_DIR": str(work / "index"),
        "COLUMNS": "400",
    }


def start_ingest(corpus: Path, work: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "ingest", "-q", str(corpus)],
        cwd=ROOT,
        env=environment(work),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def database_ids(work: Path) -> list[int]:
    with sqlite3.connect(work / "archive.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in db.execute("SELECT id FROM article")]


def index_ids(work: Path) -> set[int]:
    archive_index = ArchiveIndex(work / "index")
    try:
        return archive_index.stored_ids()
    finally:
        archive_index.close()


def assert_whole(work: Path, articles: int) -> None:
    ids = database_ids(work)
    assert len(ids) == articles == len(set(ids))
    with sqlite3.connect(work / "archive.db") as db:
        hashes = db.execute("SELECT count(DISTINCT content_hash) FROM article").fetchone()[0]
    assert hashes == articles
    assert index_ids(work) == set(ids)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus") / "articles", ARTICLES)


def test_an_ingest_killed_at_random_moments_leaves_a_whole_archive(corpus, tmp_path):
    rng = random.Random(int(os.environ.get("HOSTILE_SEED", "20261130")))
    for round_number in range(KILLS):
        process = start_ingest(corpus, tmp_path)
        time.sleep(rng.uniform(1.0, 4.0))
        process.send_signal(signal.SIGKILL)
        finish(process)
        stored = set(database_ids(tmp_path)) if (tmp_path / "archive.db").exists() else set()
        assert index_ids(tmp_path) <= stored, f"round {round_number}: index ahead of database"
    status, output = finish(start_ingest(corpus, tmp_path))
    assert status == 0, output[-2000:]
    assert "Traceback" not in output
    assert_whole(tmp_path, ARTICLES)


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_batch_cleanly_and_the_next_run_completes(corpus, small_disk):
    status, output = finish(start_ingest(corpus, small_disk))
    assert status == 1
    assert "free some space and run the same command again" in output
    assert "Traceback" not in output
    stored = set(database_ids(small_disk))
    assert stored and index_ids(small_disk) <= stored
    subprocess.run(["mount", "-o", "remount,size=256m", str(small_disk)], check=True)
    status, output = finish(start_ingest(corpus, small_disk))
    assert status == 0, output[-2000:]
    assert_whole(small_disk, ARTICLES)


def test_a_second_ingest_is_refused_while_searches_go_on(corpus, tmp_path):
    from tests.hostile.archive import client_for

    first = start_ingest(corpus, tmp_path)
    time.sleep(1.5)  # the first holds the writer lock by now
    second_status, second_output = finish(start_ingest(corpus, tmp_path))
    failures, searched, stop = [], [0], threading.Event()

    def search_while_writing():
        from app.config import Settings

        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'archive.db'}",
            index_dir=tmp_path / "index",
            allowed_hosts="testserver",
        )
        with client_for(settings) as client:
            while not stop.is_set():
                for path in ("/search?q=policy", "/api/search?q=data", "/"):
                    response = client.get(path)
                    searched[0] += 1
                    if response.status_code != 200:
                        failures.append((path, response.status_code))

    reader = threading.Thread(target=search_while_writing)
    reader.start()
    status, output = finish(first)
    stop.set()
    reader.join(60)
    assert second_status == 1 and "another ingest" in second_output
    assert status == 0, output[-2000:]
    assert searched[0] > 0 and failures == []
    assert_whole(tmp_path, ARTICLES)
