"""`serve` answers from several processes, each with its own searcher."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.config import Settings
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in map(int, (task / "children").read_text().split()):
            found += [child, *descendants(child)]
    return found


def is_server_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_serve_runs_one_process_per_core_unless_told(monkeypatch):
    monkeypatch.delenv("ARCHIVE_WEB_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert Settings().serve_workers() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert Settings().serve_workers() == 1
    monkeypatch.setenv("ARCHIVE_WEB_WORKERS", "0")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert Settings().serve_workers() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert Settings().serve_workers() == 4  # memory stays bounded on big machines
    monkeypatch.setenv("ARCHIVE_WEB_WORKERS", "3")
    assert Settings().serve_workers() == 3


def test_every_server_process_answers_searches_and_sees_new_articles(settings, ingest, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    assert ingest(tmp_path / "in").added == 1
    port = free_port()
    env = {**os.environ, "ARCHIVE_WEB_WORKERS": "2", "ARCHIVE_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.1)
            workers = [pid for pid in descendants(server.pid) if is_server_worker(pid)]
            assert len(workers) == 2
            before = client.get("/api/search", params={"q": "budget"}).json()["total"]
            (tmp_path / "in" / "b.txt").write_text(
                "Harbour budget\n\nThe harbour board set its budget for the ferry on Monday.\n"
            )
            assert ingest(tmp_path / "in").added == 1
            # Whichever process answers, it follows the new index generation.
            totals = {
                client.get("/api/search", params={"q": "budget"}).json()["total"] for _ in range(10)
            }
            assert totals == {before + 1}
    finally:
        server.terminate()
        server.wait(timeout=30)
