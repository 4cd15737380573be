"""Quoted phrases: words one right after another, found a segment at a time instead of
through Whoosh's span matchers, with the same documents and scores.

These are phrases checked by position: the index here holds no word pairs
(`tests/test_search_pairs.py` covers phrases read from them)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from whoosh import query

from app.search.results import SearchParams
from app.search.whoosh_backend import pairs as search_pairs
from app.search.whoosh_backend.archive_index import ArchiveIndex
from app.search.whoosh_backend.phrases import AdjacentWords
from tests.test_index_generations import doc

BODIES = {
    1: "The harbour authority said the ferry tariff would rise.",
    2: "A tariff on the ferry, the harbour authority said.",
    3: "Harbour authority members said the authority of the harbour is clear.",
    4: "The ferry tariff, the ferry tariff again: ferry tariff.",
    5: "Nothing about boats here.",
}


@pytest.fixture(autouse=True)
def no_word_pairs(monkeypatch):
    """Indexes built here choose no frequent words, so no phrase is read from pairs."""
    monkeypatch.setattr(search_pairs, "MOST_WORDS", 0)


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


def every_match(archive_index: ArchiveIndex, q: str, **filters) -> dict[int, tuple]:
    """Every matching article, its score and the words it matched, straight from the
    searcher."""
    searcher = archive_index._current_searcher()
    parsed = archive_index.parse(q)
    if filters:
        parsed = query.Require(parsed, query.And([query.Term(k, v) for k, v in filters.items()]))
    results = searcher.search(parsed, limit=None, terms=True)
    return {int(hit["id"]): (round(hit.score, 6), sorted(hit.matched_terms())) for hit in results}


def scores(matches: dict[str, dict[int, tuple]]) -> dict[str, dict[int, float]]:
    """`every_match`'s answers without the matched words."""
    return {
        q: {article_id: score for article_id, (score, _) in found.items()}
        for q, found in matches.items()
    }


def with_whooshs_phrase(archive_index: ArchiveIndex, ask):
    """`ask()` answered with Whoosh's own phrase query in place of ours."""
    archive_index._parsers.clear()
    archive_index._remembered.clear()
    original = AdjacentWords.matcher
    try:
        AdjacentWords.matcher = query.Phrase.matcher
        return ask()
    finally:
        AdjacentWords.matcher = original
        archive_index._parsers.clear()
        archive_index._remembered.clear()


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


# Few words, so that every word is in hundreds of documents and its postings fill many
# blocks (Whoosh writes 128 postings to a block), and phrases of them are sometimes in order.
WORDS = ["harbour", "ferry", "tariff", "authority", "levy", "council", "budget", "port"]


def many_docs(first: int, count: int, rng: random.Random):
    for number in range(first, first + count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))
        title = " ".join(rng.choice(WORDS) for _ in range(3))
        themes = [rng.choice(["ports", "taxes"])]
        yield replace(doc(number, "x"), title=title, body=body, theme_slugs=themes)


@pytest.fixture
def large_archive(tmp_path):
    """900 articles in three commits (segments), with some replaced (deleted documents)."""
    rng = random.Random(7)
    archive_index = ArchiveIndex(tmp_path / "index")
    bodies = {}

    def index(docs, replaced=()):
        archive_index.index_articles(docs, replace=replaced)
        bodies.update((d.article_id, d.body) for d in docs)

    index(list(many_docs(1, 400, rng)))
    index(list(many_docs(401, 400, rng)))
    replaced = list(range(5, 800, 9))
    renewed = [
        replace(d, article_id=n) for n, d in zip(replaced, many_docs(0, 89, rng), strict=True)
    ]
    index([*many_docs(801, 100, rng), *renewed], replaced)
    yield archive_index, bodies
    archive_index.close()


LARGE_PHRASES = [
    '"harbour ferry"',
    '"ferry harbour"',
    '"tariff tariff"',
    '"levy council budget"',
    '"port authority levy port"',
    'title:"ferry tariff"',
    '"budget levy" council',
    '"council port" OR "port council"',
    'harbour -"harbour ferry"',
]


def ours_and_whooshs(archive_index: ArchiveIndex) -> tuple[dict, dict, dict, dict]:
    """`every_match` of LARGE_PHRASES, unfiltered and within the theme "ports": ours,
    then Whoosh's phrase query's."""

    def ask(**filters):
        return {q: every_match(archive_index, q, **filters) for q in LARGE_PHRASES}

    return (
        ask(),
        ask(themes="ports"),
        with_whooshs_phrase(archive_index, ask),
        with_whooshs_phrase(archive_index, lambda: ask(themes="ports")),
    )


def test_phrases_over_many_blocks_segments_and_deletions_match_whooshs(large_archive):
    archive_index, _ = large_archive
    assert len(archive_index._current_searcher().reader().leaf_readers()) > 1
    assert archive_index._current_searcher().reader().has_deletions()
    ours, filtered, whooshs, whooshs_filtered = ours_and_whooshs(archive_index)
    assert scores(ours) == scores(whooshs)
    assert scores(filtered) == scores(whooshs_filtered)
    # Matched words: the words of the phrase where it stands, for highlighting. Whoosh's
    # phrase also lists a field's words that stand apart, and sometimes excluded ones.
    for q, matches in ours.items():
        for article_id, (_, words) in matches.items():
            assert words and set(words) <= set(whooshs[q][article_id][1])
    for _, words in ours['"harbour ferry"'].values():
        assert any({(field, b"harbour"), (field, b"ferri")} <= set(words) for field, _ in words)
    # The phrases are neither empty nor everything: the comparison has something to compare.
    assert 50 < len(ours['"harbour ferry"']) < 850
    assert 0 < len(ours['"levy council budget"']) < len(ours['"harbour ferry"'])
    assert 0 < len(filtered['"harbour ferry"']) < len(ours['"harbour ferry"'])


def test_phrase_search_pages_count_and_highlight_as_with_whooshs_phrase(large_archive):
    archive_index, bodies = large_archive

    def pages():
        answers = []
        for q in [*LARGE_PHRASES[:4], 'body:"harbour ferry"']:
            for page in (1, 3):
                results = archive_index.search(
                    SearchParams(q=q, page=page), lambda ids: {i: bodies[i] for i in ids}
                )
                answers.append(
                    (
                        results.total,
                        results.facets,
                        [(h.article_id, h.snippet) for h in results.hits],
                    )
                )
        return answers

    ours = pages()
    assert ours == with_whooshs_phrase(archive_index, pages)
    # The snippets of articles found by their text mark the phrase's words.
    assert any("<mark " in snippet for _, _, hits in ours for _, snippet in hits)


def test_only_the_shown_page_records_its_matched_words(large_archive):
    """Highlighting needs the words each shown document matched; recording them for every
    match was a quarter of a common word's search and most of its memory."""
    archive_index, _ = large_archive
    found = archive_index._collect(SearchParams(q="harbour -ferry"), quotes=False)
    assert found.total > 20
    shown = {hit.docnum for hit in found.page_hits}
    assert len(shown) == 10 and set(found.results.docterms) == shown
    for words in found.results.docterms.values():
        assert ("body", b"harbour") in words
        assert not any(text == b"ferri" for _, text in words)  # excluded words stay unmarked
