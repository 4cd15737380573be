"""Quoted phrases: words one right after another, found without Whoosh's span objects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from whoosh import query

from app.search import AdjacentWords, ArchiveIndex, SearchParams
from tests.test_index_generations import doc

BODIES = {
    1: "The harbour authority said the ferry tariff would rise.",
    2: "A tariff on the ferry, the harbour authority said.",
    3: "Harbour authority members said the authority of the harbour is clear.",
    4: "The ferry tariff, the ferry tariff again: ferry tariff.",
    5: "Nothing about boats here.",
}


@pytest.fixture
def archive(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles(
        [replace(doc(number, "x"), body=body) for number, body in BODIES.items()]
    )
    yield archive_index
    archive_index.close()


def found(archive_index: ArchiveIndex, q: str) -> list[tuple[int, float]]:
    results = archive_index.search(SearchParams(q=q), lambda ids: {})
    return [(hit.article_id, round(hit.score, 6)) for hit in results.hits]


def test_quoted_words_are_parsed_as_adjacent_words(archive):
    parsed = archive.parse('"harbour authority"')
    phrases = [leaf for leaf in parsed.leaves() if isinstance(leaf, query.Phrase)]
    assert phrases and all(isinstance(leaf, AdjacentWords) for leaf in phrases)


def test_phrases_find_the_documents_and_scores_whooshs_phrase_query_finds(archive):
    archive_index = archive
    ours = {q: found(archive_index, q) for q in PHRASES}
    # The same searches with Whoosh's own phrase query.
    archive_index._parsers.clear()
    original = AdjacentWords.matcher
    try:
        AdjacentWords.matcher = query.Phrase.matcher
        whooshs = {q: found(archive_index, q) for q in PHRASES}
    finally:
        AdjacentWords.matcher = original
    assert ours == whooshs
    assert sorted(hit for hit, _ in ours['"harbour authority said"']) == [1, 2]
    assert sorted(hit for hit, _ in ours['"ferry tariff"']) == [1, 4]
    assert ours['"tariff harbour"'] == []


PHRASES = ['"harbour authority"', '"harbour authority said"', '"ferry tariff"', '"tariff harbour"']
