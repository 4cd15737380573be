"""A theme's articles and their dates, read through the index on `published` (SQLite)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app import queries
from app.models import Article, ArticleTheme, Quote, Speaker, Theme

DATES = [
    datetime(2024, 5, 1, tzinfo=UTC),
    None,
    datetime(2024, 5, 1, tzinfo=UTC),  # the same day as the first: ties go by id
    datetime(2023, 1, 9, tzinfo=UTC),
    datetime(2025, 2, 2, tzinfo=UTC),
    None,
    datetime(2022, 7, 7, tzinfo=UTC),
]
IN_THEME = {1, 2, 3, 5, 6}  # article numbers (1-based) of the theme


def _archive(engine) -> int:
    """Seven articles, five of them in one theme; returns that theme's id."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        theme, other = Theme(slug="t", name="T"), Theme(slug="o", name="O")
        session.add_all([theme, other])
        for number, published in enumerate(DATES, start=1):
            session.add(
                Article(
                    id=number,
                    slug=f"a{number}",
                    title=f"A{number}",
                    body="text",
                    published=published,
                    content_hash=f"h{number}",
                    origin=f"a{number}.txt",
                    ingested_at=now,
                    updated_at=now,
                )
            )
        session.flush()
        for number in range(1, len(DATES) + 1):
            theme_id = theme.id if number in IN_THEME else other.id
            session.add(
                ArticleTheme(article_id=number, theme_id=theme_id, score=1.0, evidence="{}")
            )
        # Speaker 1 is quoted twice in the theme's articles, speaker 2 once there and
        # three times elsewhere.
        session.add_all(
            [Speaker(id=1, slug="s1", name="S One"), Speaker(id=2, slug="s2", name="S Two")]
        )
        session.flush()
        quoted = [(1, 1), (1, 5), (2, 3), (2, 4), (2, 4), (2, 7), (None, 2)]
        for position, (speaker_id, article_id) in enumerate(quoted, start=1):
            session.add(
                Quote(
                    article_id=article_id,
                    speaker_id=speaker_id,
                    position=position,
                    paragraph=1,
                    text="q",
                )
            )
        session.commit()
        return theme.id


def _plans(engine, run) -> list[list[str]]:
    """The query plans (SQLite) of the SELECT statements `run` sends."""
    statements: list[tuple[str, tuple]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    with Session(engine) as session:
        run(session)
    event.remove(engine, "before_cursor_execute", record)
    with engine.connect() as connection:
        return [
            [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
            for sql, params in statements
        ]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_themes_articles_come_newest_first_undated_last_and_ties_by_id(engine):
    theme_id = _archive(engine)
    with Session(engine) as session:
        listed = [a.id for a in queries.list_theme_articles(session, theme_id=theme_id)]
        dates = queries.list_theme_article_dates(session, theme_id=theme_id)
        first_two = queries.list_theme_articles(session, theme_id=theme_id, limit=2)
    assert listed == [5, 3, 1, 6, 2]
    assert [a.id for a in first_two] == [5, 3]
    expected = [DATES[n - 1] for n in IN_THEME if DATES[n - 1] is not None]
    assert sorted(d.replace(tzinfo=None) for d in dates) == sorted(
        d.replace(tzinfo=None) for d in expected
    )


def test_sqlite_reads_a_themes_articles_by_their_date_index_not_row_by_row(engine):
    # Looking up each of a broad theme's articles by id was a random read each: 2.2 s
    # from a cold page cache at 100,000 articles, against 0.3 s through the date index.
    theme_id = _archive(engine)
    plans = _plans(
        engine,
        lambda session: (
            queries.list_theme_articles(session, theme_id=theme_id),
            queries.list_theme_article_dates(session, theme_id=theme_id),
        ),
    )
    assert len(plans) == 2
    for plan in plans:
        assert any("ix_article_published" in step for step in plan), plan
        assert not any("article USING INTEGER PRIMARY KEY" in step for step in plan), plan


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_themes_speakers_are_counted_by_their_quotes_in_its_articles(engine):
    theme_id = _archive(engine)
    with Session(engine) as session:
        found = queries.list_theme_speakers(session, theme_id=theme_id)
    assert [(speaker.slug, count) for speaker, count in found] == [("s1", 2), ("s2", 1)]


def test_sqlite_counts_a_themes_speakers_from_the_quote_index_alone(engine):
    # Reading each quote's row for its speaker took 3.1 s from a cold page cache for a
    # theme of 77,000 articles at 100,000, against 0.5 s from (article_id, speaker_id).
    theme_id = _archive(engine)
    (plan,) = _plans(
        engine, lambda session: queries.list_theme_speakers(session, theme_id=theme_id)
    )
    assert any("COVERING INDEX ix_quote_article_speaker" in step for step in plan), plan


def test_sqlite_counts_every_speakers_quotes_from_the_quote_index_alone(engine):
    # The home page's speakers: 3.1 s from a cold page cache at 100,000 articles through
    # the one-column index on speaker_id, 0.3 s from (speaker_id, article_id).
    _archive(engine)
    (plan,) = _plans(engine, lambda session: queries.list_speakers(session))
    assert any("COVERING INDEX ix_quote_speaker_article" in step for step in plan), plan
    with Session(engine) as session:
        counts = {
            s.slug: (articles, quotes) for s, articles, quotes in queries.list_speakers(session)
        }
    assert counts == {"s1": (2, 2), "s2": (3, 4)}
