"""An archive moves from SQLite to PostgreSQL and back without losing a row, a slug or an
original, and its search index is rebuilt at the target."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from app.cli import cli
from app.config import Settings
from app.db import make_engine
from app.models import Article, SlugRedirect
from app.search.backend import open_search_backend
from app.search.results import SearchParams
from tests.conftest import FIXTURES

CORPUS = [FIXTURES / "web", FIXTURES / "quotes", FIXTURES / "articles"]


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every archive table, in key order, as plain values."""
    engine = make_engine(Settings(database_url=url))
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _total(url: str, index_dir, q: str) -> int:
    backend = open_search_backend(Settings(database_url=url, index_dir=index_dir))
    try:
        return backend.search(SearchParams(q=q), lambda ids: {}).total
    finally:
        backend.close()


def test_copy_to_postgresql_and_back_keeps_every_row(
    runner, settings, tmp_path, monkeypatch, postgres_server
):
    assert runner.invoke(cli, ["ingest", "-q", *map(str, CORPUS)]).exit_code == 0
    engine = make_engine(settings)
    with Session(engine) as session:  # an old slug that must keep resolving
        slug = session.get(Article, 1).slug
        session.add(SlugRedirect(old_slug="an-old-permalink", article_id=1))
        session.commit()
    engine.dispose()
    original = _rows(settings.database_url)
    assert len(original["article"]) == 18 and original["snapshot"] and original["slugredirect"]

    postgres = postgres_server.create_database()
    there = runner.invoke(cli, ["copy", "--to", postgres])
    assert there.exit_code == 0, there.output
    assert "Copied 18 article" in there.output
    assert _rows(postgres) == original
    assert _total(postgres, tmp_path / "unused", "grid") == 7

    # The archive now lives in PostgreSQL: new articles get new ids there.
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", postgres)
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "n.txt").write_text("A new headline\n\nA fresh paragraph about tides.\n")
    assert runner.invoke(cli, ["ingest", "-q", str(tmp_path / "new")]).exit_code == 0
    moved = _rows(postgres)
    assert len(moved["article"]) == 19 and moved["article"][-1][0] == 19

    back = f"sqlite:///{tmp_path / 'back.db'}"
    home = runner.invoke(cli, ["copy", "--to", back, "--index-dir", str(tmp_path / "back")])
    assert home.exit_code == 0, home.output
    assert _rows(back) == moved
    assert _total(back, tmp_path / "back", "tides") == 1
    assert slug in {row[1] for row in moved["article"]}
    postgres_server.drop_database(postgres)


def test_copy_refuses_a_target_that_holds_an_archive(runner, settings, tmp_path):
    assert runner.invoke(cli, ["ingest", "-q", str(FIXTURES / "web")]).exit_code == 0
    target = f"sqlite:///{tmp_path / 'other.db'}"
    first = runner.invoke(cli, ["copy", "--to", target, "--index-dir", str(tmp_path / "o")])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["copy", "--to", target, "--index-dir", str(tmp_path / "o")])
    assert again.exit_code == 1
    assert "already has rows in article" in again.output
    assert len(_rows(target)["article"]) == 7  # nothing was added the second time
