"""The store behaves the same on SQLite and PostgreSQL: schema, ingestion, every query."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func
from sqlalchemy import inspect as inspect_schema
from sqlalchemy.engine import Row
from sqlmodel import Session, SQLModel, select

from app import queries
from app.config import Settings
from app.db import is_managed_by_alembic, make_engine, migrate
from app.ingest.pipeline import IngestReport, Pipeline
from app.ingest.sources.readers import iter_documents
from app.models import Article, ArticleTheme, Quote, SlugRedirect, Snapshot, Speaker
from app.search.whoosh_backend.archive_index import ArchiveIndex
from tests.conftest import BOTH_ENGINES, FIXTURES

pytestmark = pytest.mark.parametrize("database_url", BOTH_ENGINES, indirect=True)

CORPUS = [FIXTURES / "web", FIXTURES / "quotes", FIXTURES / "articles"]


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_migrations_build_every_table_without_drift(engine, archive_index):
    """The search backend's own tables (PostgreSQL) are derived: not the migrations' to
    manage, and autogenerate leaves them alone."""
    assert archive_index.schema_is_current()  # PostgreSQL: its tables exist now
    assert set(SQLModel.metadata.tables) | {"alembic_version"} <= set(
        inspect_schema(engine).get_table_names()
    )
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"render_as_batch": True, "include_name": is_managed_by_alembic},
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_migrating_twice_changes_nothing(settings, engine):
    migrate(settings)
    with engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert len(versions) == 1


def test_reingesting_the_corpus_changes_nothing(ingest, engine):
    first = ingest(*CORPUS)
    assert first.failed == 0 and first.added == 18
    rows = [count(engine, model) for model in (Article, Quote, Speaker, ArticleTheme, Snapshot)]
    second = ingest(*CORPUS)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 18)
    assert sorted(second.slugs) == sorted(first.slugs)
    assert [count(engine, m) for m in (Article, Quote, Speaker, ArticleTheme, Snapshot)] == rows


def test_an_article_failing_inside_its_transaction_leaves_no_trace(
    tmp_path, ingest, engine, monkeypatch
):
    """The failure comes after the article, its quotes and themes were flushed: only a
    rolled-back transaction removes them."""
    from app.ingest import store

    real = store.save_snapshot

    def fragile(session, raw, *rest):
        if b"poison" in raw.data:
            raise RuntimeError("disk hiccup")
        return real(session, raw, *rest)

    monkeypatch.setattr(store, "save_snapshot", fragile)
    (tmp_path / "good.md").write_bytes((FIXTURES / "web" / "01-grid-levy.md").read_bytes())
    poisoned = (FIXTURES / "web" / "02-hiring-audits.md").read_text() + "\n\nA poison line.\n"
    (tmp_path / "bad.md").write_text(poisoned)
    report = ingest(tmp_path)
    assert (report.added, report.failed) == (1, 1)
    assert "bad.md: could not be processed (RuntimeError: disk hiccup)" in report.errors[0]
    assert [count(engine, m) for m in (Article, Snapshot)] == [1, 1]
    with Session(engine) as session:
        quoted = session.exec(select(Quote.article_id).distinct()).all()
        themed = session.exec(select(ArticleTheme.article_id).distinct()).all()
        only = session.exec(select(Article.id)).one()
    assert set(quoted) <= {only} and set(themed) <= {only}


def test_a_nul_character_past_the_binary_check_is_dropped_on_both_engines(tmp_path, ingest, engine):
    """PostgreSQL refuses NUL in text where SQLite stored it: the article was lost there."""
    text = "A plain headline\n\n" + "Words about a budget. " * 500 + "and\x00 more words.\n"
    (tmp_path / "nul.txt").write_text(text)
    report = ingest(tmp_path)
    assert (report.added, report.failed) == (1, 0)
    with Session(engine) as session:
        body = session.exec(select(Article.body)).one()
    assert body.endswith("and more words.")


def _archive_at(url: str, folder: Path) -> Settings:
    settings = Settings(database_url=url, index_dir=folder / "index")
    migrate(settings)
    engine = make_engine(settings)
    archive_index = ArchiveIndex(settings.index_dir)
    try:
        documents = iter_documents([str(path) for path in CORPUS], max_bytes=10_000_000)
        report = Pipeline(settings, engine, archive_index).ingest(documents, IngestReport())
        assert report.failed == 0
        with Session(engine) as session:  # an old permalink, as a renamed article leaves
            first = queries.iter_article_ids(session)[0]
            session.add(SlugRedirect(old_slug="an-old-permalink", article_id=first))
            session.commit()
    finally:
        archive_index.close()
        engine.dispose()
    return settings


# Columns set from the clock at ingest: they differ between any two runs.
_CLOCK = {"ingested_at", "updated_at", "fetched_at"}


def _plain(value):
    """A comparable form of what a query returns: rows and models as plain values."""
    if isinstance(value, SQLModel):
        return {k: _plain(v) for k, v in value.model_dump().items() if k not in _CLOCK}
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | Row):
        return [_plain(item) for item in value]
    return value


def _answers(session: Session) -> dict[str, object]:
    """Every query of app/queries.py that reads a session, called on this archive."""
    ids = queries.iter_article_ids(session)
    articles = queries.list_articles_by_ids(session, ids=ids)
    some = articles[ids[1]]
    speakers = session.exec(select(Speaker).order_by(Speaker.slug)).all()
    speaker = max(
        speakers,
        key=lambda s: (queries.count_speaker_quotes(session, speaker_id=s.id), s.slug),
    )
    themes = queries.list_themes(session)
    theme = max(themes, key=lambda pair: (pair[1], pair[0].slug))[0]
    quote_ids = list(session.exec(select(Quote.id).order_by(Quote.id)).all())
    snapshot = session.exec(select(Snapshot).order_by(Snapshot.id)).first()
    sitemap = queries.list_sitemap_entries(session)
    return {
        "unique_slug": queries.unique_slug(session, some.slug),
        "slug_taken": [
            queries.slug_taken(session, slug)
            for slug in (some.slug, "an-old-permalink", "no-such-slug")
        ],
        "find_article": [
            queries.find_article(
                session, url=some.url, content_hash=some.content_hash, origin=some.origin
            ),
            queries.find_article(session, url=some.url, content_hash="0", origin=None),
            queries.find_article(session, url=None, content_hash="0", origin=some.origin),
            queries.find_article(session, url="x", content_hash="0", origin="x"),
        ],
        "article_with_url": queries.article_with_url(session, url=some.url or ""),
        "get_article": queries.get_article(session, article_id=ids[0]),
        "get_article_by_slug": [
            queries.get_article_by_slug(session, slug=slug)
            for slug in (some.slug, "an-old-permalink", "no-such-slug")
        ],
        "list_articles_by_ids": articles,
        "load_bodies": queries.load_bodies(session, ids=ids),
        "list_latest_articles": [
            queries.list_latest_articles(session, limit=5, offset=offset) for offset in (0, 5, 10)
        ],
        "count_articles": queries.count_articles(session),
        "iter_article_ids": ids,
        "snapshot_for": queries.snapshot_for(session, sha256=snapshot.sha256),
        "list_latest_snapshot_ids": [
            queries.list_latest_snapshot_ids(session, failed_only=flag) for flag in (False, True)
        ],
        "list_snapshots": queries.list_snapshots(session, article_id=ids[0]),
        "list_speakers": sorted(_plain(queries.list_speakers(session)), key=repr),
        "get_speaker_by_slug": queries.get_speaker_by_slug(session, slug=speaker.slug),
        "list_speaker_quotes": queries.list_speaker_quotes(session, speaker_id=speaker.id),
        "count_speaker_quotes": queries.count_speaker_quotes(session, speaker_id=speaker.id),
        "list_article_quotes": queries.list_article_quotes(session, article_id=some.id),
        "list_quotes_by_ids": queries.list_quotes_by_ids(session, ids=quote_ids),
        "load_quote_texts": queries.load_quote_texts(session, ids=quote_ids),
        "list_quote_dates": sorted(_plain(queries.list_quote_dates(session, ids=quote_ids))),
        "list_speaker_names_by_article": queries.list_speaker_names_by_article(session, ids=ids),
        "list_themes": themes,
        "get_theme_by_slug": queries.get_theme_by_slug(session, slug=theme.slug),
        "list_themes_by_article": queries.list_themes_by_article(session, ids=ids),
        "list_article_themes": queries.list_article_themes(session, article_id=some.id),
        "list_theme_articles": queries.list_theme_articles(session, theme_id=theme.id),
        "list_speaker_roles": queries.list_speaker_roles(session, speaker_id=speaker.id),
        "list_speaker_themes": queries.list_speaker_themes(session, speaker_id=speaker.id),
        "list_speaker_articles": queries.list_speaker_articles(session, speaker_id=speaker.id),
        "list_theme_speakers": queries.list_theme_speakers(session, theme_id=theme.id),
        "list_theme_article_dates": sorted(
            _plain(queries.list_theme_article_dates(session, theme_id=theme.id))
        ),
        "count_theme_articles": queries.count_theme_articles(session, theme_id=theme.id),
        "list_sitemap_entries": {
            kind: sorted(entry[0] for entry in entries) for kind, entries in sitemap.items()
        },
    }


def test_every_query_answers_as_on_sqlite(settings, tmp_path):
    """The same corpus ingested into this engine and into SQLite gives the same answer to
    every query, rows and order alike (where a query promises an order)."""
    reference = _archive_at(f"sqlite:///{tmp_path / 'reference.db'}", tmp_path / "reference")
    candidate = _archive_at(settings.database_url, tmp_path / "candidate")
    answers = {}
    for name, archive in (("reference", reference), ("candidate", candidate)):
        engine = make_engine(archive)
        with Session(engine) as session:
            answers[name] = {key: _plain(value) for key, value in _answers(session).items()}
        engine.dispose()
    takes_a_session = {
        name
        for name, function in inspect.getmembers(queries, inspect.isfunction)
        if function.__module__ == queries.__name__
        and next(iter(inspect.signature(function).parameters), None) == "session"
    }
    assert set(answers["candidate"]) == takes_a_session  # a new query needs a line above
    assert answers["candidate"]["count_articles"] == 18
    for name in sorted(answers["reference"]):
        assert answers["candidate"][name] == answers["reference"][name], name


def test_nodes_migrating_at_once_all_succeed(settings, tmp_path):
    """Every `serve` migrates at start: several nodes started together must not race."""
    import subprocess
    import sys

    fresh = Settings(database_url=settings.database_url, index_dir=tmp_path / "fresh")
    engine = make_engine(fresh)
    with engine.begin() as connection:  # back to an empty database
        for table in ("alembic_version", *reversed(SQLModel.metadata.sorted_tables)):
            name = table if isinstance(table, str) else table.name
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
    engine.dispose()
    script = (
        "from app.config import Settings; from app.db import migrate; "
        f"migrate(Settings(database_url={settings.database_url!r}))"
    )
    children = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(3)]
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0]
