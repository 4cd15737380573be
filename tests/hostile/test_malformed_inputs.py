"""Hundreds of hostile input files through the real CLI: every one stored or refused with a
one-line reason; no crash, no partial row, nothing read outside the input, memory bounded."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from app.search.whoosh_backend.archive_index import ArchiveIndex
from tests.hostile.inputs import SENTINEL_TOKEN, generate

ROOT = Path(__file__).resolve().parents[2]
PEAK_MEMORY_BYTES = 1 << 30  # the bound we hold ingestion to, whatever the input
FULL = bool(os.environ.get("HOSTILE_FULL"))


def run_ingest(folder: Path, work: Path) -> tuple[int, str, int]:
    """Exit status, output and peak resident memory (bytes) of one `ingest` process."""
    env = {
        **os.environ,
        "ARCHIVE_DATABASE_URL": f"sqlite:///{work / 'archive.db'}",
        "ARCHIVE_INDEX_DIR": str(work / "index"),
        "COLUMNS": "400",  # one error per line, however long
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "app", "ingest", "-q", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    with child.stdout:
        output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, output, usage.ru_maxrss * 1024


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    base = tmp_path_factory.mktemp("malformed")
    folder = (base / "in").resolve()
    made = generate(folder, bomb_bytes=(2_500 if FULL else 300) * 2**20)
    work = base / "work"
    work.mkdir()
    status, output, peak = run_ingest(folder, work)
    return folder, work, made, status, output, peak


def test_there_are_at_least_300_hostile_inputs(ingested):
    assert len(ingested[2]) >= 300


def test_every_input_is_stored_or_refused_with_one_line(ingested):
    folder, work, made, status, output, _ = ingested
    errors = re.findall(rf"^error {re.escape(str(folder))}/([^:#\s]+)", output, re.MULTILINE)
    with sqlite3.connect(work / "archive.db") as db:
        origins = [row[0] for row in db.execute("SELECT origin FROM snapshot")]
    stored = {Path(origin.split("#")[0]).name for origin in origins}
    missing = sorted(set(made) - set(errors) - stored)
    assert not missing, [(name, made[name]) for name in missing]
    assert status == 1 and "Done: added" in output.splitlines()[-1]
    assert "could not be processed" not in output, [
        line for line in output.splitlines() if "could not be processed" in line
    ]
    assert "Traceback" not in output
    for line in output.splitlines():
        assert len(line) <= 400 and line.isprintable(), line[:120]


def test_nothing_half_written_stays(ingested):
    _, work, _, _, _, _ = ingested
    with sqlite3.connect(work / "archive.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = {row[0] for row in db.execute("SELECT id FROM article")}
        unsnapshotted = db.execute(
            "SELECT count(*) FROM article WHERE id NOT IN (SELECT article_id FROM snapshot "
            "WHERE article_id IS NOT NULL)"
        ).fetchone()[0]
        empty = db.execute("SELECT count(*) FROM article WHERE trim(body) = ''").fetchone()[0]
    assert ids and unsnapshotted == 0 and empty == 0
    archive_index = ArchiveIndex(work / "index")
    assert archive_index.stored_ids() == ids
    archive_index.close()


def test_nothing_outside_the_input_was_read(ingested):
    _, work, _, _, _, _ = ingested
    with sqlite3.connect(work / "archive.db") as db:
        texts = [row[0] or "" for row in db.execute("SELECT title || body FROM article")]
        originals = [zlib.decompress(row[0]) for row in db.execute("SELECT data FROM snapshot")]
    assert not any(SENTINEL_TOKEN in text for text in texts)
    assert not any(SENTINEL_TOKEN.encode() in data for data in originals)
    assert not any(b"root:x:0:0" in data for data in originals)


def test_peak_memory_stays_bounded(ingested):
    peak = ingested[5]
    print(f"malformed inputs: peak resident memory {peak / 2**20:.0f} MiB")
    assert peak < PEAK_MEMORY_BYTES
