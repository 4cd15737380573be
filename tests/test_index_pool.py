"""The writer's per-term posting pool writes the index Whoosh's own pool writes, held in
memory or spilled to temporary files past its limit."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from app.search.results import IndexDocument, QuoteDocument
from app.search.whoosh_backend import archive_index as search
from app.search.whoosh_backend.archive_index import ArchiveIndex
from app.search.whoosh_backend.pool import TermPool
from tests.test_index_generations import doc
from tests.test_index_postings import every_posting

WORDS = [
    "harbour",
    "ferry",
    "tariff",
    "levy",
    "council",
    "budget",
    "port",
    "authority",
    "said",
    "minister",
    "rates",
]


def documents(first: int, count: int, seed: int) -> list[IndexDocument]:
    rng = random.Random(seed)
    made = []
    for number in range(first, first + count):
        body = " ".join(rng.choice(WORDS) + rng.choice(["", "s", "ed"]) for _ in range(60))
        quotes = tuple(
            QuoteDocument(
                quote_id=number * 10 + i,
                text=" ".join(rng.choice(WORDS) for _ in range(12)),
                kind=rng.choice(["direct", "reported"]),
                speaker_names=[f"Speaker {i}"],
                speaker_slug=f"speaker-{i}",
            )
            for i in range(rng.randint(0, 3))
        )
        made.append(replace(doc(number, "x"), body=body, quotes=quotes, language="en"))
    return made


def build(folder, *, pool: str, monkeypatch, spilled: list | None = None) -> dict:
    """Three commits (one replacing articles) through the chosen pool."""
    with monkeypatch.context() as patch:
        if pool == "whoosh":
            patch.setattr(search, "with_term_pool", lambda writer, limitmb: writer)
        elif pool == "spilling":  # a limit of a few postings: runs on disk at every commit
            original = search.with_term_pool

            def tiny(writer, limitmb):
                original(writer, limitmb).pool.limit = 20_000
                spilled.append(writer.pool)
                return writer

            patch.setattr(search, "with_term_pool", tiny)
        archive_index = ArchiveIndex(folder)
        try:
            archive_index.index_articles(documents(1, 60, seed=1))
            archive_index.index_articles(documents(61, 60, seed=2))
            archive_index.index_articles(documents(30, 40, seed=3), replace=range(30, 70))
            return every_posting(archive_index)
        finally:
            archive_index.close()


def test_the_term_pool_writes_the_index_whooshs_pool_writes(tmp_path, monkeypatch):
    whooshs = build(tmp_path / "whoosh", pool="whoosh", monkeypatch=monkeypatch)
    assert len(whooshs) > 100
    assert build(tmp_path / "terms", pool="terms", monkeypatch=monkeypatch) == whooshs
    pools = []
    spilled = build(tmp_path / "spilled", pool="spilling", monkeypatch=monkeypatch, spilled=pools)
    assert spilled == whooshs
    assert pools and all(pool.spilled > 1 for pool in pools)


def test_writers_of_the_archive_index_use_the_term_pool(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    writer, quote_writer = archive_index.writer(), archive_index.quote_writer()
    try:
        assert isinstance(writer.pool, TermPool) and isinstance(quote_writer.pool, TermPool)
    finally:
        writer.cancel()
        quote_writer.cancel()
        archive_index.close()


@pytest.mark.parametrize("limit", [10**9, 200])
def test_postings_come_back_sorted_whatever_order_they_came_in(tmp_path, limit):
    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(tmp_path)).create()
    pool = TermPool(storage, segment=None)
    pool.limit = limit
    rng = random.Random(5)
    items = [
        (field, term, docnum, 1.0, b"v%d" % docnum)
        for field in ("body", "title")
        for term in (b"ferry", b"harbour", b"port")
        for docnum in range(20)
    ]
    shuffled = items[:]
    rng.shuffle(shuffled)
    for item in shuffled:
        pool.add(item)
    assert list(pool.iter_postings()) == sorted(items)
    pool.cleanup()
