"""Shared fixtures: settings on temporary paths, a migrated database, the index, a client."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.config import Settings
from app.db import make_engine, migrate
from app.search.backend import open_search_backend

FIXTURES = Path(__file__).parent / "fixtures"
# Saved third-party news pages and warcio's sample archives, kept beside the checkout
# (not in it: they are other people's pages). Only tests marked `real_pages` read them;
# every behaviour is also tested on the invented pages in tests/fixtures/.
REAL_PAGES = Path(__file__).resolve().parents[2] / "shared" / "testdata"
REAL_PAGE_FOLDERS = ("html", "html-more", "warc")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if all((REAL_PAGES / folder).is_dir() for folder in REAL_PAGE_FOLDERS):
        return
    skip = pytest.mark.skip(
        reason=f"third-party real pages in ../shared/testdata are not beside this checkout"
        f" (looked in {REAL_PAGES})"
    )
    for item in items:
        if "real_pages" in item.keywords:
            item.add_marker(skip)


# Store and search contract tests run on both engines:
# pytestmark = pytest.mark.parametrize("database_url", BOTH_ENGINES, indirect=True)
BOTH_ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL cluster for the whole run, or a skip saying why not."""
    from tests.postgres_server import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer().start()
    except PostgresUnavailable as error:
        pytest.skip(f"no PostgreSQL server for the tests: {error}")
    yield server
    server.stop()


@pytest.fixture(params=["gin", "rum"])
def text_index(request, monkeypatch, postgres_server):
    """The PostgreSQL text index the search tables get (search/postgres_backend/rum.py), for
    tests that must hold with either; RUM needs the server's rum extension (Debian
    postgresql-NN-rum, which `make test` installs)."""
    if request.param == "rum" and not postgres_server.has_extension("rum"):
        pytest.skip("the rum extension is not installed on the test server")
    monkeypatch.setenv("ARCHIVE_POSTGRES_TEXT_INDEX", request.param)
    return request.param


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """SQLite in the test's folder, or (parametrised "postgresql") a new PostgreSQL database.
    ARCHIVE_TEST_ENGINE=postgresql runs every test that takes `settings` on PostgreSQL."""
    default = os.environ.get("ARCHIVE_TEST_ENGINE", "sqlite")
    if getattr(request, "param", default) == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Settings:
    index_dir = tmp_path / "index"
    # The CLI reads Settings() from the environment: point it at the same place.
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", database_url)
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(index_dir))
    settings = Settings(
        database_url=database_url, index_dir=index_dir, allowed_hosts="testserver,127.0.0.1"
    )
    migrate(settings)
    return settings


@pytest.fixture
def engine(settings: Settings):
    engine = make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def archive_index(settings: Settings):
    """The search backend the settings choose: Whoosh, or PostgreSQL on a PostgreSQL store."""
    archive_index = open_search_backend(settings)
    yield archive_index
    archive_index.close()


@pytest.fixture
def pipeline(settings, engine, archive_index):
    from app.ingest.pipeline import Pipeline

    return Pipeline(settings, engine, archive_index)


@pytest.fixture
def ingest(settings, engine, archive_index, pipeline):
    """Ingest files or folders through the same path as the CLI; returns the report.

    It holds the writer lock as the CLI does: a server process starting meanwhile would
    otherwise take the segment being written for a killed writer's leftovers."""
    from app.ingest.lock import exclusive_writer
    from app.ingest.pipeline import IngestReport
    from app.ingest.sources.readers import iter_documents

    def run(*paths: Path | str):
        report = IngestReport()
        documents = iter_documents([str(p) for p in paths], max_bytes=settings.max_input_bytes)
        with exclusive_writer(settings.index_dir, settings.database_url):
            return pipeline.ingest(documents, report)

    return run


@pytest.fixture
def client(settings: Settings):
    from app.main import create_app

    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
