"""BM25F with each segment's field lengths read once: the same scores as Whoosh's BM25F,
without a read per match."""

from __future__ import annotations

import pytest
from whoosh import scoring
from whoosh.codec import whoosh3

from app.search.results import SearchParams
from app.search.whoosh_backend.scoring import ArchiveBM25F, TabledBM25FScorer
from tests.test_search_phrases import large_archive  # noqa: F401 (a fixture)

QUERIES = [
    "harbour",
    "ferry tariff",
    "harbour OR levy",
    '"harbour ferry"',
    "title:tariff",
    "council -port",
    "authority*",
]


def scores(searcher, archive_index, q: str) -> dict[str, float]:
    results = searcher.search(archive_index.parse(q), limit=None)
    return {hit["id"]: hit.score for hit in results}


@pytest.mark.parametrize("q", QUERIES)
def test_scores_are_whooshs_bm25f_scores_to_the_last_bit(large_archive, q):  # noqa: F811
    archive_index, _ = large_archive
    ours = archive_index._current_searcher()
    assert isinstance(ours.weighting, ArchiveBM25F)
    whooshs = archive_index.open().searcher(weighting=scoring.BM25F())
    try:
        expected = scores(whooshs, archive_index, q)
        assert expected
        assert scores(ours, archive_index, q) == expected
    finally:
        whooshs.close()


def test_each_segment_scorer_uses_the_length_table(large_archive):  # noqa: F811
    archive_index, _ = large_archive
    searcher = archive_index._current_searcher()
    segments = searcher.subsearchers
    assert len(segments) > 1
    for sub, _ in segments:
        scorer = searcher.weighting.scorer(sub, "body", b"harbour")
        assert isinstance(scorer, TabledBM25FScorer)
        assert len(scorer._lengths) == sub.reader().doc_count_all()


def test_a_search_reads_no_length_per_match(large_archive, monkeypatch):  # noqa: F811
    archive_index, _ = large_archive
    archive_index.search(SearchParams(q="levy"), lambda ids: {})  # lengths read here, once
    per_match = []
    plain = whoosh3.W3PerDocReader.doc_field_length
    monkeypatch.setattr(
        whoosh3.W3PerDocReader,
        "doc_field_length",
        lambda self, *args: per_match.append(args) or plain(self, *args),
    )
    archive_index._remembered.clear()
    results = archive_index.search(SearchParams(q="harbour ferry"), lambda ids: {})
    assert results.total > 100
    assert per_match == []


def test_unscorable_fields_keep_whooshs_weight_scorer(large_archive):  # noqa: F811
    archive_index, _ = large_archive
    searcher = archive_index._current_searcher()
    sub = searcher.subsearchers[0][0]
    theme = next(iter(sub.reader().lexicon("themes")))
    assert not isinstance(searcher.weighting.scorer(sub, "themes", theme), TabledBM25FScorer)
