"""Ingestion in batches: extraction in worker processes, one transaction per batch with a
savepoint per article, and the archive it stores identical to one article at a time."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from app.db import make_engine, migrate
from app.ingest import pipeline as pipeline_module
from app.ingest.pipeline import WORKERS_AFTER, IngestReport, Pipeline
from app.ingest.sources.readers import iter_documents
from app.ingest.workers import in_order
from app.models import Article, Quote, Speaker
from app.search.whoosh_backend.archive_index import ArchiveIndex
from bench.corpus import generate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = generate(tmp_path_factory.mktemp("corpus") / "articles", WORKERS_AFTER + 24)
    (folder / "empty.txt").write_text("   \n")
    return folder


def ingest_with(settings, corpus, workers: int) -> tuple[IngestReport, list[tuple]]:
    settings = settings.model_copy(update={"ingest_workers": workers})
    engine = make_engine(settings)
    archive_index = ArchiveIndex(settings.index_dir)
    try:
        documents = iter_documents([str(corpus)], max_bytes=settings.max_input_bytes)
        report = Pipeline(settings, engine, archive_index).ingest(documents, IngestReport())
        with Session(engine) as session:
            rows = session.exec(
                select(Article.slug, Article.content_hash, Article.title).order_by(Article.id)
            ).all()
            quotes = session.exec(
                select(Quote.text, Speaker.slug)
                .join(Speaker, Speaker.id == Quote.speaker_id, isouter=True)
                .order_by(Quote.id)
            ).all()
        indexed = archive_index.document_count()
    finally:
        archive_index.close()
        engine.dispose()
    return report, [*rows, *quotes, ("indexed", indexed)]


def test_extraction_in_workers_stores_what_extraction_here_stores(settings, corpus, tmp_path):
    here_report, here = ingest_with(settings, corpus, workers=0)
    other = settings.model_copy(
        update={
            "database_url": f"sqlite:///{tmp_path / 'other.db'}",
            "index_dir": tmp_path / "other-index",
        }
    )
    migrate(other)
    there_report, there = ingest_with(other, corpus, workers=1)
    assert here_report.extracted_in_workers == 0
    # Every document (the empty one too) but the first WORKERS_AFTER.
    assert there_report.extracted_in_workers == 24 + 1
    assert there == here
    assert (there_report.added, there_report.failed) == (here_report.added, 1)
    assert there_report.errors == here_report.errors
    assert "empty.txt" in there_report.errors[0]


def test_a_failure_while_storing_one_article_leaves_no_trace_and_keeps_the_batch(
    settings, engine, archive_index, corpus, monkeypatch
):
    real = pipeline_module.store.save_article
    poisoned = sorted(corpus.rglob("0000003.txt"))[0]

    def fragile(session, **fields):
        article = real(session, **fields)
        session.flush()  # its rows are written inside the batch's transaction...
        if fields["origin"] == str(poisoned):
            raise RuntimeError("storage blew up")  # ... and must go with its savepoint
        return article

    monkeypatch.setattr(pipeline_module.store, "save_article", fragile)
    commits = []
    event.listen(engine, "commit", lambda connection: commits.append(1))
    report = Pipeline(settings, engine, archive_index).ingest(
        iter_documents([str(corpus)], max_bytes=settings.max_input_bytes), IngestReport()
    )
    assert report.failed == 2 and "storage blew up" in " ".join(report.errors)
    with Session(engine) as session:
        origins = session.exec(select(Article.origin)).all()
        orphans = session.exec(
            select(Quote).where(Quote.article_id.not_in(select(Article.id)))
        ).all()
    assert str(poisoned) not in origins and len(origins) == report.added
    assert orphans == []
    # One transaction for the whole batch (and one for the taxonomy), not one per article.
    assert len(commits) <= 3 < report.added
    assert archive_index.document_count() == report.added


def square_or_die(number: int) -> int:
    if number == 7:
        os._exit(3)  # a worker killed mid-job (out of memory, a crash in a C library)
    return number * number


def square(number: int) -> int:
    return number * number


def nothing() -> None:
    pass


def test_answers_come_back_in_order_and_here_takes_over_when_a_worker_dies():
    jobs = [(n, None if n % 5 == 0 else n) for n in range(20)]
    answers = list(
        in_order(
            jobs,
            here=square,
            there=square_or_die,
            initializer=nothing,
            initargs=(),
            workers=1,
            start_after=3,
        )
    )
    assert answers == [(n, None if n % 5 == 0 else n * n) for n in range(20)]


def test_jobs_are_handed_out_at_most_ahead_of_the_answer_given():
    consumed = []

    def jobs():
        for n in range(50):
            consumed.append(n)
            yield n, n

    answers = in_order(
        jobs(),
        here=square,
        there=square,
        initializer=nothing,
        initargs=(),
        workers=1,
        start_after=0,
        ahead=7,
    )
    assert next(answers) == (0, 0)
    assert len(consumed) == 8  # the answer given and seven more at work
    assert list(answers) == [(n, n * n) for n in range(1, 50)]
