"""Undated articles: no slug claims a date they lack, and they sort last both ways."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, text

from app.config import Settings
from app.db import alembic_config
from app.search.results import SearchParams
from app.search.whoosh_backend.archive_index import ArchiveIndex
from tests.test_index_generations import doc

UNDATED = "A budget without a date\n\nThe council set its budget for parks and libraries today.\n"


def test_an_undated_article_gets_a_slug_and_citation_key_without_a_date(tmp_path, ingest, client):
    (tmp_path / "undated.txt").write_text(UNDATED)
    report = ingest(tmp_path)
    assert report.slugs == ["budget-without-date"]
    bibtex = client.get("/articles/budget-without-date/cite.bib").text
    assert bibtex.startswith("@article{budgetwithoutdate,")


def test_undated_articles_sort_last_newest_first_and_oldest_first(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles(
        [
            replace(doc(1, "parks"), published=datetime(2020, 1, 1, tzinfo=UTC)),
            doc(2, "parks"),
            replace(doc(3, "parks"), published=datetime(2024, 1, 1, tzinfo=UTC)),
        ]
    )
    archive_index.index_articles([doc(4, "parks")])  # a second segment
    for sort, expected in (("newest", [3, 1]), ("oldest", [1, 3])):
        hits = archive_index.search(SearchParams(q="parks", sort=sort), lambda ids: {}).hits
        assert [hit.article_id for hit in hits][:2] == expected
        assert {hit.article_id for hit in hits[2:]} == {2, 4}
    archive_index.close()


def test_existing_undated_slugs_lose_their_date_and_keep_resolving(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from app.main import create_app

    url = f"sqlite:///{tmp_path / 'old.db'}"
    settings = Settings(database_url=url, index_dir=tmp_path / "index", allowed_hosts="testserver")
    command.upgrade(alembic_config(settings), "0002_extraction_error")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO article (slug, title, body, summary, word_count, content_hash,"
                " origin, source_format, ingested_at, updated_at) VALUES"
                " ('2026-11-30-parks-budget', 'Parks budget', 'Body.', '', 1, 'h1', 'a.txt',"
                " 'text', '2026-11-30', '2026-11-30')"
            )
        )
    command.upgrade(alembic_config(settings), "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT slug FROM article")).scalar() == "parks-budget"
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        moved = client.get("/articles/2026-11-30-parks-budget", follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == "/articles/parks-budget"


def test_dates_are_sorted_from_each_segments_whole_column(tmp_path, monkeypatch):
    # Reading a column value per document was a seek and a read each: 200,000 for a
    # broad theme's quotes. A sort reads each segment's column once, and only once.
    from whoosh.columns import FixedBytesColumn
    from whoosh.reading import SegmentReader

    archive_index = ArchiveIndex(tmp_path / "index")
    dated = [
        replace(doc(number, "parks"), published=datetime(2020, 1, number, tzinfo=UTC))
        for number in (3, 1, 2)
    ]
    archive_index.index_articles([*dated, doc(4, "parks")])  # the undated one last
    archive_index.index_articles(
        [replace(doc(5, "parks"), published=datetime(2021, 6, 1, tzinfo=UTC)), doc(6, "parks")]
    )

    def per_document(self, docnum):
        raise AssertionError("a date was read document by document")

    monkeypatch.setattr(FixedBytesColumn.Reader, "__getitem__", per_document)
    asked: list[str] = []
    column_reader = SegmentReader.column_reader

    def counting(self, name, *args, **kwargs):
        asked.append(name)
        return column_reader(self, name, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "column_reader", counting)
    for sort, dated_order in (("newest", [5, 3, 2, 1]), ("oldest", [1, 2, 3, 5])):
        hits = archive_index.search(SearchParams(q="parks", sort=sort), lambda ids: {}).hits
        assert [hit.article_id for hit in hits][:4] == dated_order
        assert {hit.article_id for hit in hits[4:]} == {4, 6}
    assert asked.count("published") <= 2  # one per segment, for both searches
    archive_index.close()
