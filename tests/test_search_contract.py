"""The PostgreSQL search backend answers as the Whoosh index does, on the same archive.

Result sets, totals and facet counts are compared exactly; ranking order loosely (the
formulas differ: BM25F there, ts_rank here), date order exactly. See docs/deploy.md for
the differences that remain.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from app import queries
from app.ingest.pipeline import IngestReport, Pipeline, rebuild_index
from app.ingest.sources.readers import iter_documents
from app.search.backend import open_search_backend
from app.search.postgres_backend.index import PostgresIndex
from app.search.query import QueryError
from app.search.results import IndexDocument, SearchParams
from app.search.whoosh_backend.archive_index import ArchiveIndex
from tests.conftest import FIXTURES

# Each test runs on PostgreSQL with either text index (the `text_index` fixture).
pytestmark = [
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
    pytest.mark.usefixtures("text_index"),
]


CORPUS = [FIXTURES / "web", FIXTURES / "quotes", FIXTURES / "articles"]
QUERIES = [
    "",
    "grid",
    "levy OR hiring",
    '"power grid"',
    "regul*",
    "title:grid",
    "speaker:marchetti",
    "grid -levy",
    "NOT grid",
    "substation",
    "councils NEAR levy",
    "by:brandvold",
    "theme:energy",
    "speaker:(varga OR marchetti) theme:education",
    "gird",
    "(grid OR skills) AND council*",
]
FILTERS = [
    {},
    {"years": ["2024"]},
    {"sources": ["the-harbour-gazette"]},
    {"themes": ["energy-environment"]},
]


@pytest.fixture
def both(settings, engine):
    """One archive in PostgreSQL, indexed by both backends from the same rows."""
    postgres = open_search_backend(settings)
    whoosh = ArchiveIndex(settings.index_dir)
    assert isinstance(postgres, PostgresIndex)
    assert postgres.text_index() == settings.postgres_text_index
    for backend in (postgres, whoosh):
        documents = iter_documents([str(path) for path in CORPUS], max_bytes=10_000_000)
        report = Pipeline(settings, engine, backend).ingest(documents, IngestReport())
        assert report.failed == 0
    yield postgres, whoosh
    postgres.close()
    whoosh.close()


def _run(backend, engine, params: SearchParams, *, quotes: bool):
    with Session(engine) as session:
        if quotes:
            return backend.search_quotes(
                params, lambda ids: queries.load_quote_texts(session, ids=ids)
            )
        return backend.search(params, lambda ids: queries.load_bodies(session, ids=ids))


def _ids(results, *, quotes: bool) -> list[int]:
    return [hit.quote_id if quotes else hit.article_id for hit in results.hits]


@pytest.mark.parametrize("quotes", [False, True], ids=["articles", "quotes"])
def test_result_sets_and_facet_counts_are_the_same(both, engine, quotes):
    postgres, whoosh = both
    compared = 0
    for q in QUERIES:
        for filters in FILTERS:
            params = SearchParams(q=q, page_size=200, **filters)
            expected = _run(whoosh, engine, params, quotes=quotes)
            found = _run(postgres, engine, params, quotes=quotes)
            where = f"q={q!r} {filters}"
            assert sorted(_ids(found, quotes=quotes)) == sorted(_ids(expected, quotes=quotes)), (
                where
            )
            assert found.total == expected.total, where
            assert found.facets == expected.facets, where
            assert found.suggestion == expected.suggestion, where
            compared += expected.total
    assert compared > 100  # the queries find things


def test_date_order_and_pages_are_the_same(both, engine):
    postgres, whoosh = both
    for sort in ("newest", "oldest"):
        whole = [
            _ids(
                _run(
                    b,
                    engine,
                    SearchParams(q="grid OR council*", sort=sort, page_size=100),
                    quotes=False,
                ),
                quotes=False,
            )
            for b in (postgres, whoosh)
        ]
        assert whole[0] == whole[1], sort
        paged = []
        for page in (1, 2, 3):
            params = SearchParams(q="grid OR council*", sort=sort, page=page, page_size=3)
            paged += _ids(_run(postgres, engine, params, quotes=False), quotes=False)
        assert paged == whole[0][:9]


def test_relevance_pages_hold_every_match_once(both, engine):
    """Paging a relevance search gives each match once, in one order, and the matches are
    Whoosh's. With RUM the order has two parts (search/postgres_backend/rum.py): articles
    whose text holds the words, ranked by the index, then those naming them only as
    publisher or author ("harbour": one article's text, three publishers'), so a page can
    start past the ranked part."""
    postgres, whoosh = both
    for q in ("harbour", "energy", "policy", "grid OR harbour", "harbour -levy", "by:brandvold"):
        for quotes in (False, True):
            whole = _run(postgres, engine, SearchParams(q=q, page_size=200), quotes=quotes)
            expected = _run(whoosh, engine, SearchParams(q=q, page_size=200), quotes=quotes)
            ids = _ids(whole, quotes=quotes)
            assert sorted(ids) == sorted(_ids(expected, quotes=quotes)), (q, quotes)
            assert whole.total == len(ids) == len(set(ids)), (q, quotes)
            paged: list[int] = []
            for page in range(1, whole.total // 2 + 2):
                params = SearchParams(q=q, page=page, page_size=2)
                paged += _ids(_run(postgres, engine, params, quotes=quotes), quotes=quotes)
            assert paged == ids, (q, quotes)
            exported = postgres.ranked_ids(SearchParams(q=q), 200, quotes=quotes)
            assert exported == ids, (q, quotes)


def test_matches_are_found_through_the_text_index_not_by_reading_the_table(both, engine):
    """Reading the table would read every row's tsvector from out-of-line storage: at
    100,000 articles, 630 of a search's 985 ms. Even on this small table, where the
    planner would read the table, a search with words goes through the index."""
    from sqlalchemy import event

    postgres, _ = both
    plans: list[str] = []

    def explain(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("WITH matched"):  # the facet counts
            cursor.execute("EXPLAIN " + statement, parameters)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    event.listen(postgres._read, "before_cursor_execute", explain)
    try:
        found = _run(postgres, engine, SearchParams(q="grid"), quotes=False)
    finally:
        event.remove(postgres._read, "before_cursor_execute", explain)
    assert found.total > 0 and plans
    assert "Seq Scan on search_article" not in plans[0]
    assert "Index Scan" in plans[0]


def test_snowball_stems_where_whoosh_porter_did_not(both, engine):
    """A documented difference: PostgreSQL's Snowball stemmer makes "regulated" "regul",
    like "regulation"; Whoosh's Porter stemmer left "regulat" and found nothing."""
    postgres, whoosh = both
    params = SearchParams(q="regulated", page_size=100)
    assert _run(whoosh, engine, params, quotes=False).total == 0
    found = _run(postgres, engine, params, quotes=False)
    regulation = _run(whoosh, engine, SearchParams(q="regulation", page_size=100), quotes=False)
    assert set(_ids(found, quotes=False)) == set(_ids(regulation, quotes=False)) != set()


def test_relevance_puts_a_title_match_first(both, engine):
    postgres, whoosh = both
    params = SearchParams(q="substation", page_size=10)
    for backend in (postgres, whoosh):
        assert len(_run(backend, engine, params, quotes=False).hits) == 2
    ranked = _run(postgres, engine, SearchParams(q="grid levy"), quotes=False).hits
    assert "<mark>levy</mark>" in ranked[0].snippet.lower()


def _bare_document(body: str) -> IndexDocument:
    """Article 1, titled "Plan", with this body and nothing else."""
    return IndexDocument(
        article_id=1,
        title="Plan",
        body=body,
        speaker_names=[],
        speaker_slugs=[],
        theme_names=[],
        theme_slugs=[],
        publisher=None,
        source_slug=None,
        author=None,
        published=None,
    )


def test_snippets_mark_matched_words_and_escape_the_text(settings, engine):
    backend = open_search_backend(settings)
    body = "The <b>grid</b> & its <script>levy</script> plan.\n\nA second paragraph on the grid."
    doc = _bare_document(body)
    try:
        backend.index_articles([doc])
        hit = backend.search(SearchParams(q="grid"), lambda ids: {1: body}).hits[0]
        assert "<mark>grid</mark>&lt;/b&gt; &amp; its &lt;script&gt;levy" in hit.snippet
        assert "<script>" not in hit.snippet and "<b>" not in hit.snippet
        assert hit.paragraph == 1
        assert backend.highlight_passages("levy", ["no match here", "the levy <i>"]) == [
            None,
            "the <mark>levy</mark> &lt;i&gt;",
        ]
    finally:
        backend.close()


def test_bad_queries_get_the_same_messages(both, engine):
    postgres, whoosh = both
    for q in ('"open', "colour:blue", "*ation", "a*", "title:", "the"):
        messages = []
        for backend in (postgres, whoosh):
            with pytest.raises(QueryError) as raised:
                _run(backend, engine, SearchParams(q=q), quotes=False)
            messages.append(str(raised.value))
        assert messages[0] == messages[1], q


def test_every_node_sees_a_new_article_through_the_generation(settings, engine, tmp_path):
    """Two web nodes are two backends on one database: a write through either changes the
    generation both read, so their caches let go of the old answers."""
    one, other = open_search_backend(settings), open_search_backend(settings)
    before = other.generation()
    (tmp_path / "new.md").write_bytes((FIXTURES / "web" / "01-grid-levy.md").read_bytes())
    Pipeline(settings, engine, one).ingest(
        iter_documents([str(tmp_path)], max_bytes=10_000_000), IngestReport()
    )
    assert other.generation() > before
    assert other.search(SearchParams(q="levy"), lambda ids: {}).total == 1
    one.close()
    other.close()


def test_rebuild_gives_the_same_answers(both, engine):
    postgres, _ = both
    params = SearchParams(q="grid OR regul*", page_size=100)
    before = _run(postgres, engine, params, quotes=False)
    generation = postgres.generation()
    assert rebuild_index(engine, postgres) == 18
    after = _run(postgres, engine, params, quotes=False)
    assert _ids(after, quotes=False) == _ids(before, quotes=False)
    assert after.facets == before.facets
    assert postgres.generation() > generation
    assert postgres.stored_ids() == set(range(1, 19)) and postgres.document_count() == 18


def test_optimize_analyses_the_search_tables_and_changes_no_answer(both, engine):
    postgres, _ = both
    params = SearchParams(q="grid OR regul*", page_size=100)
    before = _run(postgres, engine, params, quotes=False)
    assert postgres.optimize() == 0  # no segments to merge
    with engine.connect() as connection:
        analysed = connection.execute(
            text("SELECT count(*) FROM pg_stats WHERE tablename = 'search_article'")
        ).scalar_one()
    assert analysed > 0
    after = _run(postgres, engine, params, quotes=False)
    assert _ids(after, quotes=False) == _ids(before, quotes=False)
    assert after.facets == before.facets


def test_related_articles_exclude_the_article_and_find_its_topic(both, engine):
    postgres, _ = both
    related = postgres.more_like_this(1, "", limit=3)
    assert 1 not in related and len(related) == 3
    assert postgres.more_like_this(1, "", limit=3) == related  # cached per generation


def test_related_articles_count_each_word_once_per_index_state(both, engine):
    """Counting how many articles hold a word is the costly part of related articles at
    100,000 articles; a node counts each word once until the index changes."""
    from sqlalchemy import event

    postgres, _ = both
    postgres.more_like_this(1, "", limit=3)
    statements: list[str] = []

    def record(connection, cursor, statement, *args):
        statements.append(statement)

    event.listen(postgres._read, "before_cursor_execute", record)
    try:
        postgres.more_like_this(1, "", limit=2)  # not cached as such: the words are
        counts = [statement for statement in statements if "capped" in statement]
        assert statements and not counts
        postgres.index_articles([], replace=[18])  # a new index state
        statements.clear()
        postgres.more_like_this(1, "", limit=2)
        assert [statement for statement in statements if "capped" in statement]
    finally:
        event.remove(postgres._read, "before_cursor_execute", record)


def test_related_articles_weigh_words_by_postgresqls_statistics_once_analysed(both, engine):
    """With the statistics ANALYZE keeps, no word needs counting at all."""
    from sqlalchemy import event

    postgres, _ = both
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE search_article")
    postgres.index_articles([], replace=[18])  # a new index state: nothing remembered
    statements: list[str] = []

    def record(connection, cursor, statement, *args):
        statements.append(statement)

    event.listen(postgres._read, "before_cursor_execute", record)
    try:
        related = postgres.more_like_this(1, "", limit=3)
    finally:
        event.remove(postgres._read, "before_cursor_execute", record)
    assert 1 not in related and len(related) == 3
    assert any("pg_stats" in statement for statement in statements)
    assert not [statement for statement in statements if "capped" in statement]


def test_the_web_pages_search_through_postgresql(client, ingest, settings):
    """create_app picks the PostgreSQL backend for a PostgreSQL archive: nothing on disk."""
    assert ingest(*CORPUS).failed == 0
    page = client.get("/search", params={"q": "grid", "theme": "energy-environment"})
    assert page.status_code == 200 and "<mark>grid</mark>" in page.text.lower()
    answer = client.get("/api/search", params={"q": "grid"}).json()
    assert answer["total"] == 7
    quotes = client.get("/api/quotes", params={"q": "substation"}).json()
    assert quotes["total"] == 2
    bad = client.get("/search", params={"q": '"open'})
    assert bad.status_code == 400 and "closing quote" in bad.text
    # No index files: only the writer lock's file, which `ingest` takes as the CLI does.
    assert [path.name for path in settings.index_dir.parent.glob("index*")] == ["index.write.lock"]


def test_odd_characters_reach_postgresql_as_data(both, engine):
    """Quotes, backslashes and tsquery operators a reader types are words or nothing, never
    an error from the database."""
    postgres, whoosh = both
    for q in ("o'neil", "a\\b", "grid & levy", "grid | !levy", "<-> grid", "“grid”"):
        for quotes in (False, True):
            _run(postgres, engine, SearchParams(q=q), quotes=quotes)
    assert (
        _run(postgres, engine, SearchParams(q="grid&levy"), quotes=False).total
        == _run(whoosh, engine, SearchParams(q="grid&levy"), quotes=False).total
    )


def test_a_schema_upgrade_keeps_the_generation_counting_up(settings, engine):
    """Caches are keyed by the generation: rebuilt tables must not start it again."""
    from sqlalchemy import text

    backend = open_search_backend(settings)
    try:
        assert backend.schema_is_current()
        backend.index_articles([])
        before = backend.generation()
        with engine.begin() as connection:  # as if written by an older version
            connection.execute(text("UPDATE search_state SET schema_version = 0"))
        assert not backend.schema_is_current()
        backend.rebuild([])
        assert backend.schema_is_current() and backend.generation() > before
    finally:
        backend.close()


def test_reindex_moves_an_archive_to_the_other_text_index(
    both, engine, text_index, postgres_server
):
    """The text index is chosen when the tables are made; `reindex` with the setting
    changed remakes them with the other one, and every answer stays."""
    postgres, _ = both
    other = "gin" if text_index == "rum" else "rum"
    if other == "rum" and not postgres_server.has_extension("rum"):
        pytest.skip("the rum extension is not installed on the test server")
    moved = PostgresIndex(postgres._engine.url, text_index=other)
    try:
        params = SearchParams(q="grid OR harbour", page_size=100)
        before = _run(postgres, engine, params, quotes=False)
        assert rebuild_index(engine, moved) == 18
        assert moved.text_index() == other
        after = _run(moved, engine, params, quotes=False)
        assert sorted(_ids(after, quotes=False)) == sorted(_ids(before, quotes=False))
        assert after.facets == before.facets
    finally:
        moved.close()


def test_words_inside_typographic_quotes_are_found(settings, engine):
    """“Climate is the word climate: under LC_CTYPE=C it was not (four fewer hits in the
    benchmark's mix)."""
    backend = open_search_backend(settings)
    body = "“Climate money matters,” she said. The bank’s investment was large."
    doc = _bare_document(body)
    try:
        backend.index_articles([doc])
        for q in ("climate", "bank", "matters", '"climate money"'):
            assert backend.search(SearchParams(q=q), lambda ids: {1: body}).total == 1, q
        hit = backend.search(SearchParams(q="climate"), lambda ids: {1: body}).hits[0]
        assert "<mark>Climate</mark> money matters,”" in hit.snippet
    finally:
        backend.close()


def test_a_database_whose_character_class_is_c_is_refused_with_the_fix(
    database_url, postgres_server
):
    from app.config import Settings
    from app.search.postgres_backend.index import WrongLocale

    url = postgres_server.url("archive_c_ctype")
    postgres_server._admin(
        "CREATE DATABASE archive_c_ctype LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0"
    )
    backend = open_search_backend(Settings(database_url=url))
    try:
        with pytest.raises(WrongLocale, match="--lc-ctype=C.UTF-8"):
            backend.schema_is_current()
    finally:
        backend.close()
        postgres_server.drop_database(url)
