"""A load into an empty PostgreSQL archive builds the text indexes once, at the end; a load
that dies leaves them to the next writer. On a real server, with either text index."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from app import queries
from app.cli import cli
from app.search.backend import open_search_backend
from app.search.results import SearchParams
from tests.conftest import FIXTURES

# Each test runs on PostgreSQL with either text index (the `text_index` fixture).
pytestmark = [
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
    pytest.mark.usefixtures("text_index"),
]

TEXT_INDEXES = {
    "search_article_doc",
    "search_article_meta",
    "search_quote_doc",
    "search_quote_meta",
}
QUERIES = ["grid", '"power grid"', "title:grid", "by:brandvold", "levy OR hiring", "grid -levy"]


def _indexes(engine) -> dict[str, str]:
    """The search tables' indexes: name → access method."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.relname, am.amname FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                "WHERE i.indrelid IN ('search_article'::regclass, 'search_quote'::regclass)"
            )
        )
        return dict(rows.all())


def _watch_indexes(archive_index, engine) -> list[dict[str, str]]:
    """The indexes the tables have as each batch of articles goes in."""
    seen: list[dict[str, str]] = []
    index_articles = archive_index.index_articles

    def watched(*args, **kwargs):
        seen.append(_indexes(engine))
        return index_articles(*args, **kwargs)

    archive_index.index_articles = watched
    return seen


def _answers(backend, engine) -> list[tuple[int, list[int]]]:
    with Session(engine) as session:
        load = lambda ids: queries.load_bodies(session, ids=ids)  # noqa: E731
        return [
            (found.total, [hit.article_id for hit in found.hits])
            for found in (backend.search(SearchParams(q=q, page_size=50), load) for q in QUERIES)
        ]


def test_a_load_into_an_empty_archive_builds_the_text_indexes_at_the_end(
    settings, engine, archive_index, ingest, text_index
):
    seen = _watch_indexes(archive_index, engine)
    report = ingest(FIXTURES / "web", FIXTURES / "quotes", FIXTURES / "articles")
    assert report.failed == 0 and report.added > 10
    assert seen and all(not (TEXT_INDEXES & set(during)) for during in seen)
    after = _indexes(engine)
    assert after["search_article_doc"] == after["search_quote_doc"] == text_index
    assert after["search_article_meta"] == after["search_quote_meta"] == "gin"
    assert archive_index.text_index() == text_index


def test_a_load_into_an_archive_with_articles_keeps_the_indexes(
    settings, engine, archive_index, ingest
):
    ingest(FIXTURES / "web")
    seen = _watch_indexes(archive_index, engine)
    report = ingest(FIXTURES / "quotes")
    assert report.added > 0
    assert seen and all(set(during) >= TEXT_INDEXES for during in seen)
    assert archive_index.begin_bulk_load() is False
    assert set(_indexes(engine)) >= TEXT_INDEXES


def test_searches_without_the_text_indexes_give_the_same_answers(
    settings, engine, archive_index, ingest
):
    ingest(FIXTURES / "web", FIXTURES / "quotes", FIXTURES / "articles")
    built = _answers(archive_index, engine)
    assert any(total for total, _ in built)
    with engine.begin() as connection:  # as a load leaves the tables while it runs
        for name in TEXT_INDEXES:
            connection.execute(text(f"DROP INDEX {name}"))
    assert _answers(archive_index, engine) == built
    archive_index.end_bulk_load()
    assert set(_indexes(engine)) >= TEXT_INDEXES
    assert _answers(archive_index, engine) == built


def test_the_next_writer_builds_what_a_killed_load_left_unbuilt(
    settings, engine, runner, text_index
):
    assert runner.invoke(cli, ["ingest", "-q", str(FIXTURES / "web")]).exit_code == 0
    with engine.begin() as connection:  # a load killed before its end
        for name in TEXT_INDEXES:
            connection.execute(text(f"DROP INDEX {name}"))
    result = runner.invoke(cli, ["ingest", "-q", str(FIXTURES / "web")])
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output
    after = _indexes(engine)
    assert after["search_article_doc"] == after["search_quote_doc"] == text_index
    backend = open_search_backend(settings)
    try:
        assert backend.text_index() == text_index
    finally:
        backend.close()
