"""Ingestion end to end: idempotence, updates that keep slugs, bad input that leaves no trace."""

from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Article, Quote, Snapshot
from app.search.results import SearchParams
from tests.conftest import FIXTURES

GOOD = (FIXTURES / "articles" / "wire-report.txt").read_text()


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_reingesting_same_file_changes_nothing(tmp_path, ingest, engine, archive_index):
    (tmp_path / "a.txt").write_text(GOOD)
    first = ingest(tmp_path)
    assert (first.added, first.failed) == (1, 0)
    quotes, snapshots = count(engine, Quote), count(engine, Snapshot)
    second = ingest(tmp_path)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 1)
    assert second.slugs == first.slugs
    assert (count(engine, Article), count(engine, Quote), count(engine, Snapshot)) == (
        1,
        quotes,
        snapshots,
    )
    assert archive_index.document_count() == 1


def test_changed_file_updates_its_article_and_keeps_the_slug(
    tmp_path, ingest, engine, archive_index
):
    path = tmp_path / "a.txt"
    path.write_text(GOOD)
    slug = ingest(path).slugs[0]
    path.write_text(GOOD.replace("hiring tools", "recruitment software"))
    report = ingest(path)
    assert (report.updated, report.added) == (1, 0)
    assert report.slugs == [slug]
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
    assert "recruitment software" in article.title
    assert article.slug == slug
    assert archive_index.document_count() == 1  # the old version left the index

    def hits(words: str) -> int:
        return archive_index.search(SearchParams(q=words), lambda ids: {}).total

    assert (hits("recruitment software"), hits('"hiring tools"')) == (1, 0)


def test_bad_files_are_named_with_reason_and_leave_no_trace(tmp_path, ingest, engine):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    (tmp_path / "empty.txt").write_bytes(b"")
    legacy = "Budget talks stall\n\nThe minister’s “final” offer of €5 million was rejected."
    (tmp_path / "legacy.txt").write_bytes(legacy.encode("cp1252"))
    report = ingest(tmp_path)
    assert (report.added, report.failed) == (2, 2)
    errors = "\n".join(report.errors)
    assert "binary.txt: binary content" in errors
    assert "empty.txt: empty file" in errors
    with Session(engine) as session:
        titles = set(session.exec(select(Article.title)).all())
        bodies = " ".join(session.exec(select(Article.body)).all())
        origins = " ".join(session.exec(select(Snapshot.origin)).all())
    assert titles == {"Ministers weigh new rules for automated hiring tools", "Budget talks stall"}
    assert "minister’s “final” offer of €5 million" in bodies
    assert "binary" not in origins and "empty" not in origins


def test_missing_and_oversized_sources_are_reported(tmp_path, settings, engine, archive_index):
    from app.ingest.pipeline import IngestReport, Pipeline
    from app.ingest.sources.readers import iter_documents

    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    documents = iter_documents([str(tmp_path / "nope.txt"), str(big)], max_bytes=1000)
    report = Pipeline(settings, engine, archive_index).ingest(documents, IngestReport())
    assert report.failed == 2
    assert "nope.txt: no such file or folder" in report.errors[0]
    assert "big.txt: too large" in report.errors[1]


def test_interrupted_index_is_repaired_on_next_ingest(tmp_path, ingest, archive_index):
    (tmp_path / "a.txt").write_text(GOOD)
    ingest(tmp_path)
    archive_index.rebuild([])  # as if the index write had been lost
    assert archive_index.document_count() == 0
    ingest(tmp_path)
    assert archive_index.document_count() == 1


def test_seeds_ingest_twice_gives_two_articles_with_same_slugs(ingest, engine):
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    first = ingest(seeds)
    second = ingest(seeds)
    assert first.added == 2 and second.unchanged == 2
    assert sorted(first.slugs) == sorted(second.slugs)
    assert count(engine, Article) == 2


def test_error_lines_stay_short_and_printable_for_hostile_input(tmp_path, ingest):
    (tmp_path / "junk.warc").write_bytes(bytes(range(256)) * 40)
    report = ingest(tmp_path)
    assert report.failed == 1
    line = report.errors[0]
    assert line.startswith(f"{tmp_path / 'junk.warc'}: ")
    assert line.count(str(tmp_path / "junk.warc")) == 1
    assert "\n" not in line and all(char.isprintable() for char in line)
    assert len(line) <= 240 + len(str(tmp_path / "junk.warc")) + 2


def test_an_unexpected_failure_on_one_file_does_not_stop_the_batch(
    tmp_path, ingest, engine, monkeypatch
):
    from app.ingest import pipeline as pipeline_module

    real = pipeline_module.extract_article

    def fragile(raw):
        if b"poison" in raw.data:
            raise RuntimeError("reader blew up")
        return real(raw)

    monkeypatch.setattr(pipeline_module, "extract_article", fragile)
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text("Poisoned\n\nA poison paragraph that trips the reader.\n")
    report = ingest(tmp_path)
    assert (report.added, report.failed) == (1, 1)
    assert "b.txt: could not be processed (RuntimeError: reader blew up)" in report.errors[0]
    assert count(engine, Article) == 1


def _fragile_speakers(monkeypatch):
    from app.ingest import pipeline as pipeline_module

    real = pipeline_module.extract_speakers

    def fragile(paragraphs, **options):
        if any("poison" in paragraph for paragraph in paragraphs):
            raise IndexError("list index out of range")
        return real(paragraphs, **options)

    monkeypatch.setattr(pipeline_module, "extract_speakers", fragile)


POISONED = (
    "Poisoned pipes\n\nA poison paragraph that trips the speaker extractor.\n\n"
    '"We will replace every pipe by spring," said Ilse Brandvold, the utility director.\n'
)


def test_article_is_kept_when_speaker_extraction_raises(tmp_path, ingest, engine, monkeypatch):
    _fragile_speakers(monkeypatch)
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text(POISONED)
    report = ingest(tmp_path)
    assert (report.added, report.failed) == (2, 0)
    assert len(report.warnings) == 1
    assert report.warnings[0].endswith(
        "b.txt: stored without speakers (IndexError: list index out of range); reextract retries it"
    )
    with Session(engine) as session:
        article = session.exec(select(Article).where(Article.title == "Poisoned pipes")).one()
        assert "poison paragraph" in article.body
        assert article.extraction_error.startswith("speakers (IndexError")
        assert session.exec(select(Snapshot).where(Snapshot.article_id == article.id)).first()
        assert not session.exec(select(Quote).where(Quote.article_id == article.id)).all()


def test_article_is_kept_when_theme_extraction_raises(tmp_path, ingest, engine, monkeypatch):
    from app.ingest import pipeline as pipeline_module

    def broken(*args, **options):
        raise ValueError("bad weight")

    monkeypatch.setattr(pipeline_module, "assign_themes", broken)
    (tmp_path / "b.txt").write_text(POISONED)
    report = ingest(tmp_path)
    assert (report.added, report.failed) == (1, 0)
    assert "stored without themes (ValueError: bad weight)" in report.warnings[0]
    assert count(engine, Quote) == 1  # the speakers were still extracted


def test_reextract_failed_retries_only_the_articles_whose_extraction_failed(
    tmp_path, ingest, engine, pipeline, monkeypatch
):
    from app.ingest.pipeline import IngestReport

    with monkeypatch.context() as patch:
        _fragile_speakers(patch)
        (tmp_path / "a.txt").write_text(GOOD)
        (tmp_path / "b.txt").write_text(POISONED)
        ingest(tmp_path)
    # the extractor is fixed (the patch is gone): only the failed article is tried again
    report = pipeline.reextract(IngestReport(), failed_only=True)
    assert (report.updated, report.unchanged, report.failed, report.warnings) == (1, 0, 0, [])
    with Session(engine) as session:
        article = session.exec(select(Article).where(Article.title == "Poisoned pipes")).one()
        assert article.extraction_error is None
        quotes = session.exec(select(Quote).where(Quote.article_id == article.id)).all()
        assert [q.text for q in quotes] == ["We will replace every pipe by spring"]
    assert pipeline.reextract(IngestReport(), failed_only=True).total == 0
