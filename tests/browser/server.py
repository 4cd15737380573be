"""A real uvicorn server over a temporary archive, in a thread, for browsers and screenshots."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from app.config import Settings
from app.db import make_engine, migrate
from app.ingest.pipeline import IngestReport, Pipeline
from app.ingest.sources.readers import iter_documents
from app.search.whoosh_backend.archive_index import ArchiveIndex

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def build_archive(directory: Path, sources: list[Path], **settings) -> Settings:
    """Migrate a database under `directory` and ingest `sources` into it."""
    settings = Settings(
        database_url=f"sqlite:///{directory / 'archive.db'}",
        index_dir=directory / "index",
        **settings,
    )
    migrate(settings)
    engine = make_engine(settings)
    index = ArchiveIndex(settings.index_dir)
    try:
        report = Pipeline(settings, engine, index).ingest(
            iter_documents([str(s) for s in sources], max_bytes=settings.max_input_bytes),
            IngestReport(),
        )
        if report.failed:
            raise RuntimeError(f"fixture ingest failed: {report.errors}")
    finally:
        index.close()
        engine.dispose()
    return settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """Serve the app on a free port until the block ends; yields the base URL."""
    from app.main import create_app

    port = free_port()
    settings.site_url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield settings.site_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
