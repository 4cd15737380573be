"""Index batches written by another process while the writer goes on (building.py): the
index they make is the one the writer would make, committed by the next write, and a
batch that never arrives leaves no trace the next commit does not remove."""

from __future__ import annotations

import os
import time
from dataclasses import replace

import pytest
from sqlmodel import Session, select

from app.db import make_engine, migrate
from app.ingest import pipeline as pipeline_module
from app.ingest.pipeline import WORKERS_AFTER, IngestReport, Pipeline
from app.ingest.sources.readers import iter_documents
from app.models import Article
from app.search.results import IndexDocument, QuoteDocument, SearchParams
from app.search.whoosh_backend import archive_index as archive_module
from app.search.whoosh_backend import building, generations
from app.search.whoosh_backend.archive_index import ArchiveIndex
from bench.corpus import generate
from tests.test_index_generations import doc, total


def no_rows(ids):
    return {}


def quoted(number: int, word: str) -> IndexDocument:
    quote = QuoteDocument(
        quote_id=number * 10,
        text=f"We will protect the {word} at any cost",
        speaker_names=["Ada Brennan"],
        speaker_slug="ada-brennan",
        kind="direct",
    )
    return replace(doc(number, word), quotes=(quote,))


def segment_files(archive_index: ArchiveIndex) -> set[str]:
    folder = generations.active_dir(archive_index.directory)
    return {path.name for path in folder.glob("*.seg")}


def named_segments(archive_index: ArchiveIndex) -> set[str]:
    indexes = (archive_index.open(), archive_index.open_quotes())
    return {f"{segment.segment_id()}.seg" for ix in indexes for segment in ix._segments()}


def test_a_batch_out_is_committed_by_the_next_write_and_not_before(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "BACKGROUND_FROM", 2)
    archive_index = ArchiveIndex(tmp_path / "index")
    try:
        archive_index.index_articles([quoted(n, "harbour") for n in range(1, 4)], background=True)
        assert archive_index._builder.busy
        assert total(archive_index, "harbour") == 0  # written, not yet committed
        archive_index.index_articles([doc(4, "harbour")])  # the next write commits it first
        assert not archive_index._builder.busy
        assert total(archive_index, "harbour") == 4
        quotes = archive_index.search_quotes(SearchParams(q="harbour"), no_rows)
        assert quotes.total == 3
        # A new version in the background replaces the old one at its commit.
        changed = replace(quoted(2, "lighthouse"), title="Article 2, revised")
        archive_index.index_articles([changed, quoted(5, "harbour")], replace=[2], background=True)
        archive_index.wait_for_writes()
        assert total(archive_index, "harbour") == 4 and total(archive_index, "lighthouse") == 1
        assert archive_index.search_quotes(SearchParams(q="harbour"), no_rows).total == 3
        assert archive_index.stored_ids() == {1, 2, 3, 4, 5}
        assert segment_files(archive_index) == named_segments(archive_index)
    finally:
        archive_index.close()


def test_a_small_batch_is_written_here_even_when_background_is_allowed(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    try:
        archive_index.index_articles([doc(1, "orchard")], background=True)
        assert not archive_index._builder.busy
        assert total(archive_index, "orchard") == 1
    finally:
        archive_index.close()


def test_a_batch_dropped_before_its_commit_leaves_files_the_next_commit_removes(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(archive_module, "BACKGROUND_FROM", 2)
    archive_index = ArchiveIndex(tmp_path / "index")
    try:
        archive_index.index_articles([doc(n, "canal") for n in range(1, 4)], background=True)
        archive_index._builder._out.result()  # written...
        archive_index.close()  # ... but the process stops before the commit: the batch is lost
        assert total(archive_index, "canal") == 0
        assert segment_files(archive_index) - named_segments(archive_index)  # built, unnamed
        archive_index.index_articles([doc(9, "canal")])
        assert total(archive_index, "canal") == 1
        assert segment_files(archive_index) == named_segments(archive_index)
    finally:
        archive_index.close()


def build_slowly(*args):
    time.sleep(60)


def test_closing_does_not_wait_for_a_batch_out(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "BACKGROUND_FROM", 2)
    monkeypatch.setattr(archive_module, "_build_segments", build_slowly)
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles([doc(n, "weir") for n in range(1, 4)], background=True)
    started = time.monotonic()
    archive_index.close()
    assert time.monotonic() - started < 30
    monkeypatch.undo()
    archive_index.index_articles([doc(9, "weir")])
    assert total(archive_index, "weir") == 1
    archive_index.close()


def die_while_building(*args):
    os._exit(3)  # the builder killed mid-batch (out of memory, a crash in a C library)


def fail_while_building(*args):
    raise RuntimeError("the builder tripped")


@pytest.mark.parametrize("builder", [die_while_building, fail_while_building])
def test_a_builder_that_dies_or_fails_leaves_the_batch_to_the_writer(
    tmp_path, monkeypatch, builder
):
    monkeypatch.setattr(archive_module, "BACKGROUND_FROM", 2)
    monkeypatch.setattr(archive_module, "_build_segments", builder)
    archive_index = ArchiveIndex(tmp_path / "index")
    try:
        archive_index.index_articles([quoted(n, "ferry") for n in range(1, 4)], background=True)
        archive_index.wait_for_writes()
        assert total(archive_index, "ferry") == 3
        assert archive_index.search_quotes(SearchParams(q="ferry"), no_rows).total == 3
        # And the next batch gets a new child.
        monkeypatch.undo()
        monkeypatch.setattr(archive_module, "BACKGROUND_FROM", 2)
        archive_index.index_articles([quoted(n, "ferry") for n in range(4, 6)], background=True)
        archive_index.wait_for_writes()
        assert total(archive_index, "ferry") == 5
    finally:
        archive_index.close()


def searched(settings, archive_index: ArchiveIndex) -> dict:
    """What searches answer: ids in order, totals and facets, for articles and quotes."""
    engine = make_engine(settings)
    with Session(engine) as session:
        by_id = dict(session.exec(select(Article.id, Article.content_hash)).all())
    engine.dispose()
    answers = {}
    for q in ("policy", "minister said", '"public policy"', "housing OR energy", ""):
        params = SearchParams(q=q)
        found = archive_index.search(params, no_rows)
        quotes = archive_index.search_quotes(params, no_rows)
        answers[q] = (
            [by_id[hit.article_id] for hit in found.hits],
            found.total,
            found.facets,
            quotes.total,
            quotes.facets,
        )
    return answers


def test_a_load_indexed_in_the_background_searches_like_one_indexed_here(
    settings, tmp_path, monkeypatch
):
    corpus = generate(tmp_path / "corpus", WORKERS_AFTER + 40)
    monkeypatch.setattr(archive_module, "BACKGROUND_FROM", 10)
    monkeypatch.setattr(pipeline_module, "STORE_BATCH", 10)  # batches reach the index sooner
    submitted = []
    real_submit = building.SegmentBuilder.submit

    def counted(self, build, *args):
        if build is archive_module._build_segments:  # not the quote merge at the end
            submitted.append(len(args[2]))
        return real_submit(self, build, *args)

    monkeypatch.setattr(building.SegmentBuilder, "submit", counted)
    answers = {}
    for workers in (0, 1):
        run = settings.model_copy(
            update={
                "database_url": f"sqlite:///{tmp_path / f'archive-{workers}.db'}",
                "index_dir": tmp_path / f"index-{workers}",
                "ingest_workers": workers,
                "index_batch": 15,
            }
        )
        migrate(run)
        engine = make_engine(run)
        archive_index = ArchiveIndex(run.index_dir)
        try:
            documents = iter_documents([str(corpus)], max_bytes=run.max_input_bytes)
            report = Pipeline(run, engine, archive_index).ingest(documents, IngestReport())
            assert report.added == WORKERS_AFTER + 40
            assert archive_index.document_count() == report.added
            answers[workers] = searched(run, archive_index)
        finally:
            archive_index.close()
            engine.dispose()
        if workers == 0:
            assert submitted == []  # one process: everything is written here
    assert submitted and all(size >= 10 for size in submitted)
    assert answers[1] == answers[0]
