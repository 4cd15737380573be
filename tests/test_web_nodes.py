"""Two web nodes on one PostgreSQL database: what one writer adds, both serve at once; a
node killed mid-request leaves the other serving."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.postgres_server import free_port

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

CLI = [sys.executable, "-m", "app"]
ROOT = Path(__file__).resolve().parents[1]


def _environment(database_url: str, folder: Path) -> dict[str, str]:
    # Each node has its own (unused) folder: nothing is shared through the disk.
    return {
        **os.environ,
        "ARCHIVE_DATABASE_URL": database_url,
        "ARCHIVE_INDEX_DIR": str(folder / "index"),
        "ARCHIVE_ALLOWED_HOSTS": "127.0.0.1",
        "ARCHIVE_SITE_URL": "http://127.0.0.1",
    }


@contextmanager
def _node(database_url: str, folder: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=_environment(database_url, folder),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # A node is its server processes (one per core): its own group, killed together.
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the node exited at start"
            assert time.monotonic() < deadline, "the node did not start"
            time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(ProcessLookupError):  # workers a killed node left behind
            os.killpg(process.pid, signal.SIGKILL)


def _total(base: str, q: str) -> int:
    return httpx.get(f"{base}/api/search", params={"q": q}, timeout=10).json()["total"]


def test_an_article_ingested_by_the_cli_is_on_both_nodes_within_a_second(
    database_url, tmp_path, settings
):
    with (
        _node(database_url, tmp_path / "a") as (first, _),
        _node(database_url, tmp_path / "b") as (second, _),
    ):
        assert _total(first, "levy") == _total(second, "levy") == 0  # caches warmed
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "a.md").write_bytes((FIXTURES / "web" / "01-grid-levy.md").read_bytes())
        ingest = subprocess.run(
            [*CLI, "ingest", "-q", str(tmp_path / "in")],
            env=_environment(database_url, tmp_path / "writer"),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert ingest.returncode == 0, ingest.stderr
        done = time.monotonic()
        seen = {}
        while len(seen) < 2 and time.monotonic() - done < 1.0:
            for base in (first, second):
                if base not in seen and _total(base, "levy") == 1:
                    seen[base] = time.monotonic() - done
        assert set(seen) == {first, second}, "not on every node within a second"
        home = httpx.get(f"{second}/", timeout=10).text
        assert "Regional grid levy splits coastal councils" in home


def test_a_node_killed_mid_request_leaves_the_other_serving(database_url, tmp_path, settings):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_bytes((FIXTURES / "web" / "01-grid-levy.md").read_bytes())
    subprocess.run(
        [*CLI, "ingest", "-q", str(tmp_path / "in")],
        env=_environment(database_url, tmp_path / "writer"),
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    with (
        _node(database_url, tmp_path / "a") as (first, doomed),
        _node(database_url, tmp_path / "b") as (second, _),
    ):
        port = int(first.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as request:
            # Half a request: the node is reading it when it dies.
            request.sendall(b"GET /search?q=levy HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            os.killpg(doomed.pid, signal.SIGKILL)  # the machine dies: every process of it
            doomed.wait(timeout=10)
            request.settimeout(5)
            with pytest.raises((ConnectionResetError, BrokenPipeError, TimeoutError, OSError)):
                request.sendall(b"\r\n")
                if not request.recv(1):  # an orderly close is a failed request too
                    raise ConnectionResetError("closed without an answer")
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{first}/healthz", timeout=2)
        answer = httpx.get(f"{second}/search", params={"q": "levy"}, timeout=10)
        assert answer.status_code == 200 and "<mark>levy</mark>" in answer.text.lower()
        assert _total(second, "levy") == 1
