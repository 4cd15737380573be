"""The quote index: one document per quote, derived from the database like the articles."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app import queries
from app.ingest.pipeline import rebuild_index
from app.models import Quote
from app.search.query import QueryError
from app.search.results import SearchParams
from tests.conftest import FIXTURES


@pytest.fixture
def quotes_archive(ingest):
    report = ingest(FIXTURES / "quotes")
    assert report.failed == 0, report.errors
    return report


def _stored_quotes(engine) -> list[tuple[int, str]]:
    with Session(engine) as session:
        return list(session.exec(select(Quote.id, Quote.kind)).all())


def _search(archive_index, engine, **params):
    with Session(engine) as session:
        return archive_index.search_quotes(
            SearchParams(**params), lambda ids: queries.load_quote_texts(session, ids=ids)
        )


def test_every_stored_quote_is_one_indexed_document(quotes_archive, archive_index, engine):
    stored = _stored_quotes(engine)
    assert len(stored) >= 15  # the fixtures hold 15 quotes by hand count, at least
    assert _search(archive_index, engine, page_size=100).total == len(stored)


def test_a_quote_hit_is_the_whole_quote_with_matched_words_marked(
    quotes_archive, archive_index, engine
):
    results = _search(archive_index, engine, q="substation")
    assert results.total == 2
    for hit in results.hits:
        assert "<mark" in hit.snippet and "substation</mark>" in hit.snippet
        assert not hit.snippet.endswith("…")  # the whole quote, not a fragment


def test_speaker_and_theme_in_the_query_narrow_to_what_they_said(
    quotes_archive, archive_index, engine
):
    results = _search(archive_index, engine, q="speaker:varga theme:education")
    with Session(engine) as session:
        found = queries.list_quotes_by_ids(session, ids=[hit.quote_id for hit in results.hits])
    assert results.total == 3
    assert {speaker.slug for _, speaker, _ in found.values()} == {"odile-varga"}


def test_unattributed_quotes_are_found_by_their_stated_source(
    quotes_archive, archive_index, engine
):
    results = _search(archive_index, engine, q="speaker:union")
    with Session(engine) as session:
        found = queries.list_quotes_by_ids(session, ids=[hit.quote_id for hit in results.hits])
    assert [(q.source, s) for q, s, _ in found.values()] == [("the teachers' union", None)]


def test_kind_filter_and_facet(quotes_archive, archive_index, engine):
    everything = _search(archive_index, engine)
    kinds = dict(everything.facets["kind"])
    # The facet counts what the database holds (extraction decides how much that is).
    stored = [kind for _, kind in _stored_quotes(engine)]
    assert kinds == {"direct": stored.count("direct"), "reported": stored.count("reported")}
    assert kinds["direct"] == 6 and kinds["reported"] >= 9
    assert _search(archive_index, engine, kinds=["reported"]).total == kinds["reported"]


def test_reingesting_a_changed_article_replaces_its_quotes(
    quotes_archive, archive_index, engine, ingest, tmp_path
):
    text = (FIXTURES / "quotes" / "04-college-skills.md").read_text()
    changed = tmp_path / "04-college-skills.md"
    changed.write_text(text.replace("running a substation", "running a switching station"))
    ingest(changed)
    assert _search(archive_index, engine, q="substation").total == 1
    assert _search(archive_index, engine, q="switching").total == 1
    # No duplicates: exactly one document per stored quote after the change.
    assert _search(archive_index, engine, page_size=100).total == len(_stored_quotes(engine))


def test_a_rebuilt_index_gives_the_same_quote_results(quotes_archive, archive_index, engine):
    before = _search(archive_index, engine, q="grid OR skills", page_size=50)
    rebuild_index(engine, archive_index)
    after = _search(archive_index, engine, q="grid OR skills", page_size=50)
    assert [h.quote_id for h in after.hits] == [h.quote_id for h in before.hits]
    assert after.facets == before.facets


def test_an_index_without_quotes_asks_for_a_rebuild(quotes_archive, archive_index, settings):
    from app.search.whoosh_backend import generations

    assert archive_index.schema_is_current()
    live = generations.active_dir(settings.index_dir)
    archive_index.close()
    for path in live.glob("*quotes*"):
        path.unlink()
    assert not archive_index.schema_is_current()


def test_a_malformed_quote_query_is_a_query_error(quotes_archive, archive_index, engine):
    with pytest.raises(QueryError):
        _search(archive_index, engine, q='"unclosed')


def test_article_hits_name_their_best_matching_paragraph(quotes_archive, archive_index, engine):
    with Session(engine) as session:
        results = archive_index.search(
            SearchParams(q="wage"), lambda ids: queries.load_bodies(session, ids=ids)
        )
    # The apprentices article: headline ¶1, lede ¶2, quote ¶3, "a full wage" in ¶4.
    assert results.hits[0].paragraph == 4


def test_highlight_passages_marks_stemmed_words_and_leaves_others(quotes_archive, archive_index):
    marked = archive_index.highlight_passages(
        "apprentice", ["Apprentices & <b>pay</b>", "Nothing here"]
    )
    assert marked[0] == '<mark class="match term0">Apprentices</mark> &amp; &lt;b&gt;pay&lt;/b&gt;'
    assert marked[1] is None


def test_highlight_passages_leaves_excluded_words_unmarked(quotes_archive, archive_index):
    marked = archive_index.highlight_passages("wage NOT grid", ["a full wage on the grid"])
    assert marked == ['a full <mark class="match term0">wage</mark> on the grid']


def test_quotes_with_the_same_facet_values_share_one_record_of_them(
    quotes_archive, archive_index, engine
):
    # A tuple per quote and field was most of the server's memory at 100,000 articles.
    searcher = archive_index._current_quote_searcher()
    per_field = archive_index._quote_facet_lists(searcher)
    kinds = per_field["kind"]
    assert len(kinds) == searcher.doc_count_all() >= 15
    assert {kind for values in kinds for kind in values} == {"direct", "reported"}
    for values in per_field.values():
        distinct = {tuple(v) for v in values}
        assert len({id(v) for v in values}) == len(distinct) < len(values)
