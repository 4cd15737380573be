"""A throwaway archive for the hostile suite, built through the real pipeline."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings
from app.db import make_engine, migrate
from app.ingest.pipeline import IngestReport, Pipeline
from app.ingest.sources.readers import iter_documents
from app.search.whoosh_backend.archive_index import ArchiveIndex


def build(directory: Path, sources: list[Path]) -> tuple[Settings, IngestReport]:
    settings = Settings(
        database_url=f"sqlite:///{directory / 'archive.db'}",
        index_dir=directory / "index",
        allowed_hosts="testserver",
    )
    migrate(settings)
    engine = make_engine(settings)
    archive_index = ArchiveIndex(settings.index_dir)
    try:
        documents = iter_documents([str(s) for s in sources], max_bytes=settings.max_input_bytes)
        report = Pipeline(settings, engine, archive_index).ingest(documents, IngestReport())
    finally:
        archive_index.close()
        engine.dispose()
    return settings, report


def client_for(settings: Settings) -> TestClient:
    from app.main import create_app

    return TestClient(create_app(settings), raise_server_exceptions=False)
