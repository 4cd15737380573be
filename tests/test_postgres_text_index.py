"""Which text index the PostgreSQL search tables get (search/postgres_backend/rum.py), on a
real server."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from app.search.postgres_backend.index import PostgresIndex
from app.search.postgres_backend.rum import TextIndexUnavailable


@pytest.fixture
def unprivileged_url(postgres_server):
    """A database owned by an ordinary role, which may not create the rum extension
    (it is not a trusted extension), as on a managed server."""
    name = f"plain_{uuid.uuid4().hex[:8]}"
    postgres_server._admin(f"CREATE ROLE {name} LOGIN")
    postgres_server._admin(f"CREATE DATABASE {name} OWNER {name}")
    yield f"postgresql+psycopg://{name}@127.0.0.1:{postgres_server.port}/{name}"
    postgres_server._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    postgres_server._admin(f"DROP ROLE IF EXISTS {name}")


def _rum_installed(postgres_server) -> None:
    if not postgres_server.has_extension("rum"):
        pytest.skip("the rum extension is not installed on the test server")


def test_auto_takes_rum_where_the_database_may_create_it(postgres_server):
    _rum_installed(postgres_server)
    url = postgres_server.create_database()
    backend = PostgresIndex(url)
    try:
        assert backend.text_index() == "rum"
    finally:
        backend.close()
        postgres_server.drop_database(url)


def test_auto_falls_back_to_gin_where_rum_may_not_be_created(postgres_server, unprivileged_url):
    _rum_installed(postgres_server)
    backend = PostgresIndex(unprivileged_url)
    try:
        assert backend.text_index() == "gin"
        engine = create_engine(unprivileged_url)
        with engine.connect() as connection:  # the failed attempt left nothing behind
            assert connection.execute(text("SELECT count(*) FROM search_state")).scalar() == 1
        engine.dispose()
    finally:
        backend.close()


def test_asking_for_rum_where_it_may_not_be_created_says_what_to_do(
    postgres_server, unprivileged_url
):
    _rum_installed(postgres_server)
    backend = PostgresIndex(unprivileged_url, text_index="rum")
    try:
        with pytest.raises(TextIndexUnavailable, match="CREATE EXTENSION rum failed"):
            backend.text_index()
    finally:
        backend.close()


def test_a_dba_made_extension_is_used_by_an_ordinary_owner(postgres_server, unprivileged_url):
    _rum_installed(postgres_server)
    name = unprivileged_url.rsplit("/", 1)[1]
    admin = create_engine(postgres_server.url(name))
    with admin.begin() as connection:
        connection.execute(text("CREATE EXTENSION rum"))
    admin.dispose()
    backend = PostgresIndex(unprivileged_url)
    try:
        assert backend.text_index() == "rum"
    finally:
        backend.close()


def test_an_unknown_setting_is_refused(postgres_server):
    url = postgres_server.create_database()
    backend = PostgresIndex(url, text_index="bm25")
    try:
        with pytest.raises(ValueError, match="auto, gin, rum"):
            backend.text_index()
    finally:
        backend.close()
        postgres_server.drop_database(url)


def test_a_phrase_is_ranked_by_its_words_and_matched_as_a_phrase(postgres_server):
    """RUM scores a phrase by checking it again in every match (2.5 s for a phrase of two
    common words at 100,000 articles): the ranked part is matched by the phrase and
    ordered by its words (0.5 s)."""
    from app.search.postgres_backend.index import _Compiler
    from app.search.query import parse

    url = postgres_server.create_database()
    backend = PostgresIndex(url)
    try:
        backend.text_index()  # the tables and the text search configuration
        with backend._engine.connect() as connection:
            compiler = _Compiler(connection, quotes=False, values={})
            order = compiler.rum_order(parse('"power grids" levy'))
            words = compiler.rum_order(parse("power levy"))
    finally:
        backend.close()
        postgres_server.drop_database(url)
    assert "<1>" in order.ranked and "'levi'" in order.ranked
    assert order.by == "'power' | 'grid' | 'levi'"
    assert words.by is None  # ordered by what it matches
