"""A web node reading a hot standby: its pages and searches come from the replica, and an
article written to the primary reaches them as soon as the replica has replayed it."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.cli import cli
from app.config import Settings
from app.main import create_app
from tests.conftest import FIXTURES
from tests.postgres_server import PostgresUnavailable

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_standby(postgres_server):
    try:
        standby = postgres_server.start_standby()
    except PostgresUnavailable as error:
        pytest.skip(f"no hot standby for the tests: {error}")
    yield standby
    standby.stop()


def _replica_url(settings: Settings, standby) -> str:
    """The replica of the test's database, once it has the search tables (`serve` creates
    them on the primary before it serves, as here)."""
    from app.search.backend import open_search_backend

    backend = open_search_backend(settings)
    assert backend.schema_is_current()
    backend.close()
    url = standby.url(settings.database_url.rsplit("/", 1)[1])
    deadline = time.monotonic() + 30  # the new database has to reach the standby first
    while True:
        try:
            from sqlalchemy import create_engine

            engine = create_engine(url)
            with engine.connect() as connection:
                connection.execute(text("SELECT generation FROM search_state"))
            engine.dispose()
            return url
        except Exception:
            engine.dispose()
            assert time.monotonic() < deadline, "the standby never caught up"
            time.sleep(0.1)


def test_a_node_reads_the_replica_and_sees_new_articles_within_a_second(
    settings, postgres_standby, runner, tmp_path
):
    replica = _replica_url(settings, postgres_standby)
    node = Settings(
        database_url=settings.database_url,
        read_database_url=replica,
        index_dir=settings.index_dir,
        allowed_hosts="testserver",
    )
    with TestClient(create_app(node)) as client:
        with client.app.state.engine.connect() as connection:
            assert connection.execute(text("SELECT pg_is_in_recovery()")).scalar() is True
        assert client.get("/api/search", params={"q": "levy"}).json()["total"] == 0
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "a.md").write_bytes((FIXTURES / "web" / "01-grid-levy.md").read_bytes())
        assert runner.invoke(cli, ["ingest", "-q", str(tmp_path / "in")]).exit_code == 0
        written = time.monotonic()
        while client.get("/api/search", params={"q": "levy"}).json()["total"] != 1:
            assert time.monotonic() - written < 1.0, "not on the replica's node within a second"
            time.sleep(0.02)
        page = client.get("/", headers={"host": "testserver"})
        assert "Regional grid levy splits coastal councils" in page.text
