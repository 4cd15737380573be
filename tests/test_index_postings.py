"""Postings worked out ahead of the Whoosh writer (in extraction workers, or once per batch
for repeated values) build exactly the index the writer's own analysis builds."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session
from whoosh.fields import TEXT, Schema

from app.db import make_engine, migrate
from app.ingest import store
from app.ingest.pipeline import WORKERS_AFTER, IngestReport, Pipeline
from app.ingest.sources.readers import iter_documents
from app.search.whoosh_backend.archive_index import QUOTE_INDEX, ArchiveIndex, build_schema, prepare
from app.search.whoosh_backend.postings import (
    Analysed,
    PostingsReuse,
    analyse,
    takes_analysed,
    unpack,
)
from bench.corpus import generate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("corpus") / "articles", WORKERS_AFTER + 12)


def every_posting(archive_index: ArchiveIndex) -> dict:
    """Each term of both indexes with its postings: document, weight, encoded positions."""
    found = {}
    for name, ix in (
        ("articles", archive_index.open()),
        (QUOTE_INDEX, archive_index.open_quotes()),
    ):
        with ix.searcher() as searcher:
            reader = searcher.reader()
            for fieldname, text in reader.all_terms():
                matcher = reader.postings(fieldname, text)
                postings = []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                found[(name, fieldname, text)] = postings
            found[(name, "lengths")] = [
                reader.doc_field_length(docnum, "body") for docnum in reader.all_doc_ids()
            ]
    return found


def archive_in(settings, folder, **changes):
    """The settings of a new, migrated archive in `folder`, with `changes`."""
    settings = settings.model_copy(
        update={
            "database_url": f"sqlite:///{folder / 'archive.db'}",
            "index_dir": folder / "index",
            **changes,
        }
    )
    migrate(settings)
    return settings


def ingest(settings, corpus, workers: int, folder) -> tuple[dict, int, int]:
    settings = archive_in(settings, folder, ingest_workers=workers)
    engine = make_engine(settings)
    archive_index = ArchiveIndex(settings.index_dir)
    try:
        documents = iter_documents([str(corpus)], max_bytes=settings.max_input_bytes)
        report = Pipeline(settings, engine, archive_index).ingest(documents, IngestReport())
        return every_posting(archive_index), archive_index.prepared_texts, report.added
    finally:
        archive_index.close()
        engine.dispose()


def test_postings_prepared_in_a_worker_build_the_same_index(settings, corpus, tmp_path):
    (tmp_path / "here").mkdir()
    (tmp_path / "there").mkdir()
    here, prepared_here, added = ingest(settings, corpus, 0, tmp_path / "here")
    there, prepared_there, _ = ingest(settings, corpus, 1, tmp_path / "there")
    assert added == WORKERS_AFTER + 12
    assert prepared_here == 0
    # Title, body and word list of every article extracted in the worker, and its quotes.
    assert prepared_there >= 3 * 12
    assert there == here
    assert len(here) > 1000
    # Pairs of frequent words too, which the worker hands over as the body's word sequence.
    assert sum(key[1] == "body_pairs" for key in here) > 100


def test_a_prepared_text_is_used_only_for_that_exact_text():
    schema = build_schema()
    prepared = analyse(schema, {"body": "Old words about housing."}, ["body"])
    reuse = PostingsReuse(schema, repeated=["theme"])
    fields = reuse.fields({"body": "New words about transport.", "theme": "Housing"}, prepared)
    assert not isinstance(fields["body"], Analysed)  # the writer analyses it itself
    assert reuse.prepared == 0
    fields = reuse.fields({"body": "Old words about housing."}, prepared)
    assert isinstance(fields["body"], Analysed) and reuse.prepared == 1
    assert fields["body"].postings == list(schema["body"].index("Old words about housing."))


def test_a_repeated_value_is_analysed_once_per_batch(monkeypatch):
    schema = build_schema()
    reuse = PostingsReuse(schema, repeated=["theme"])
    calls = []
    real = type(schema["theme"]).index

    def counted(field, value, **kwargs):
        calls.append(value)
        return real(field, value, **kwargs)

    monkeypatch.setattr(type(schema["theme"]), "index", counted)
    first = reuse.fields({"theme": "Data protection"})
    second = reuse.fields({"theme": "Data protection"})
    assert calls == ["Data protection"]
    assert first["theme"].postings is second["theme"].postings
    assert second["theme"].postings == list(real(schema["theme"], "Data protection"))


def test_an_older_index_field_analyses_the_text_itself():
    old = Schema(body=TEXT())
    assert not takes_analysed(old, "body")
    reuse = PostingsReuse(old, repeated=["body"])
    assert reuse.fields({"body": "Plain text"}) == {"body": "Plain text"}
    # Handed an Analysed text anyway, Whoosh's own field analyses the string.
    text = Analysed("Plain text", postings=[])
    assert [term for term, *_ in old["body"].index(text)] == [b"plain", b"text"]


def test_the_worker_prepares_the_texts_the_stored_article_is_indexed_with(
    settings, engine, archive_index, corpus
):
    """The draft made from the extraction matches what the database gives back: otherwise
    every prepared posting would be wasted work."""
    pipeline = Pipeline(settings, engine, archive_index)
    raw = next(iter_documents([str(sorted(corpus.rglob("*.txt"))[0])], max_bytes=10**7))
    extraction = pipeline.extract(raw)
    draft = store.draft_index_document(extraction.article, extraction.attribution)
    pipeline.ingest([raw], IngestReport())
    with Session(engine) as session:
        (stored,) = store.index_documents(session, ids=[1])
    assert (draft.title, draft.body, draft.language) == (stored.title, stored.body, stored.language)
    assert sorted(quote.text for quote in draft.quotes) == sorted(q.text for q in stored.quotes)
    article, quotes = unpack(prepare(draft))
    assert ("body", stored.body) in article and ("title", stored.title) in article
    assert {("body", quote.text) for quote in stored.quotes} <= set(quotes)


def segment_sizes(archive_index: ArchiveIndex) -> list[int]:
    return sorted(segment.doc_count_all() for segment in archive_index.open()._segments())


def test_a_run_ends_merged_when_it_about_doubled_the_index(settings, corpus, tmp_path):
    """A load into an empty archive leaves one segment per index; a later run of a few
    articles into the merged archive leaves its own segment alone (no rewrite of all)."""
    settings = archive_in(settings, tmp_path, index_batch=10, ingest_workers=0)
    engine = make_engine(settings)
    archive_index = ArchiveIndex(settings.index_dir)
    files = sorted(str(path) for path in corpus.rglob("*.txt"))
    try:
        pipeline = Pipeline(settings, engine, archive_index)
        stages = []  # what the progress bar says after the last article, and when
        first = pipeline.ingest(
            iter_documents(files[:-3], max_bytes=settings.max_input_bytes),
            IngestReport(),
            on_stage=lambda stage: stages.append((stage, len(segment_sizes(archive_index)))),
        )
        assert first.added == 25 and first.merged_segments == 6  # 10, 10 and 5 of each
        assert stages == [("Merging the search index", 3)]
        assert segment_sizes(archive_index) == [25]
        quote_sizes = sorted(s.doc_count_all() for s in archive_index.open_quotes()._segments())
        assert len(quote_sizes) == 1

        again = pipeline.ingest(
            iter_documents(files, max_bytes=settings.max_input_bytes), IngestReport()
        )
        assert (again.added, again.unchanged, again.merged_segments) == (3, 25, 0)
        assert segment_sizes(archive_index) == [3, 25]
        assert archive_index.document_count() == 28
    finally:
        archive_index.close()
        engine.dispose()


def test_ingestion_commits_one_index_segment_per_batch_and_repairs_in_batches(
    settings, corpus, tmp_path, monkeypatch
):
    """Each `index_batch` of articles is one segment, written once. A repair after an
    interrupted load indexes what is missing a batch at a time, not in one commit."""
    settings = archive_in(settings, tmp_path, index_batch=10, ingest_workers=0)
    engine = make_engine(settings)
    archive_index = ArchiveIndex(settings.index_dir)
    # The batches as written, before the merge at the end of the run (tested below).
    monkeypatch.setattr(archive_index, "merge_after_load", lambda: 0)
    try:
        documents = iter_documents([str(corpus)], max_bytes=settings.max_input_bytes)
        report = Pipeline(settings, engine, archive_index).ingest(documents, IngestReport())
        assert report.added == WORKERS_AFTER + 12 == 28
        assert segment_sizes(archive_index) == [8, 10, 10]
        complete = every_posting(archive_index)

        archive_index.close()
        shutil.rmtree(settings.index_dir)
        archive_index = ArchiveIndex(settings.index_dir)
        assert Pipeline(settings, engine, archive_index).repair_index() == 28
        assert segment_sizes(archive_index) == [8, 10, 10]
        assert every_posting(archive_index) == complete
    finally:
        archive_index.close()
        engine.dispose()
