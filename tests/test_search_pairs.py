"""Phrases of frequent words read from the index's word pairs (`whoosh_backend.pairs`): the
same documents as Whoosh's phrase query, scored as the pair's own term, with the frequent
words chosen once per index."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from whoosh import query

from app.search.results import SearchParams
from app.search.whoosh_backend import pairs as search_pairs
from app.search.whoosh_backend import phrases as search_phrases
from app.search.whoosh_backend.archive_index import ArchiveIndex, build_schema, prepare
from app.search.whoosh_backend.pairs import analyse_with_sequence, frequent_words, word_sequence
from tests.test_index_generations import doc
from tests.test_search_phrases import (
    LARGE_PHRASES,
    every_match,
    large_archive,  # noqa: F401 (a fixture)
    many_docs,
    ours_and_whooshs,
    with_whooshs_phrase,
)


def pair_words(archive_index: ArchiveIndex) -> frozenset[str] | None:
    return archive_index._current_searcher().schema["body_pairs"].words


@pytest.fixture
def positions_refused(monkeypatch):
    """Fail any body phrase that goes to the position check instead of the pairs."""
    checked = search_phrases.adjacent_matcher

    def refuse(searcher, fieldname, btexts, weighting):
        assert fieldname != "body", f"{btexts} checked by position"
        return checked(searcher, fieldname, btexts, weighting)

    monkeypatch.setattr(search_phrases, "adjacent_matcher", refuse)


def test_one_analysis_gives_the_fields_postings_and_its_word_sequence():
    body = build_schema()["body"]
    text = "The ferry tariffs of the harbour: ferry tariffs rose, said the Harbour Authority."
    postings, sequence = analyse_with_sequence(body, text)
    assert postings == list(body.index(text))
    # Stop words out, stemmed, in order: neighbours here are neighbours to a phrase.
    assert sequence == word_sequence(body.analyzer, text)
    assert sequence[:4] == ["ferri", "tariff", "harbour", "ferri"]


def test_frequent_words_are_those_in_a_share_of_the_documents(monkeypatch):
    monkeypatch.setattr(search_pairs, "FREQUENT_SHARE", 0.5)
    documents = [["port", "levy"], ["port", "tax"], ["port", "levy", "levy"], ["dock"]]
    assert frequent_words(documents) == {"port", "levy"}  # in 3 and 2 of 4
    monkeypatch.setattr(search_pairs, "MOST_WORDS", 1)
    assert frequent_words(documents) == {"port"}
    # A word in a single document of a tiny first batch is not taken for frequent.
    assert frequent_words([["port", "levy"]]) == frozenset()


def test_pair_postings_hold_only_neighbouring_frequent_words():
    field = build_schema()["body_pairs"]
    field.words = frozenset({"ferri", "tariff", "harbour"})
    postings = {
        term: freq
        for term, freq, _, _ in field.index("Ferry tariff, harbour ferry tariff; levy harbour.")
    }
    assert postings == {b"ferri tariff": 2, b"tariff harbour": 1, b"harbour ferri": 1}


def test_phrases_of_frequent_words_find_what_whooshs_phrase_finds(
    large_archive,  # noqa: F811
    positions_refused,
):
    archive_index, _ = large_archive
    assert pair_words(archive_index) >= {"harbour", "ferri", "tariff", "levi", "council"}
    assert archive_index._current_searcher().reader().has_deletions()
    ours, filtered, whooshs, whooshs_filtered = ours_and_whooshs(archive_index)
    assert {q: set(found) for q, found in ours.items()} == {
        q: set(found) for q, found in whooshs.items()
    }
    assert {q: set(found) for q, found in filtered.items()} == {
        q: set(found) for q, found in whooshs_filtered.items()
    }
    assert 50 < len(ours['"harbour ferry"']) < 850
    assert 0 < len(ours['"levy council budget"']) < len(ours['"harbour ferry"'])
    assert 0 < len(ours['"port authority levy port"']) < len(ours['"levy council budget"'])


def test_a_phrase_is_scored_as_its_pairs(large_archive, positions_refused):  # noqa: F811
    archive_index, _ = large_archive
    searcher = archive_index._current_searcher()

    def scored(q):
        return {
            hit.docnum: round(hit.score, 9) for hit in searcher.search(q, limit=None) if hit.score
        }

    two = scored(AdjacentWordsOf("body", ["harbour", "ferri"]))
    assert two == scored(query.Term("body_pairs", "harbour ferri"))
    three = scored(AdjacentWordsOf("body", ["levi", "council", "budget"]))
    both_pairs = {
        docnum: round(
            scored(query.Term("body_pairs", "levi council"))[docnum]
            + scored(query.Term("body_pairs", "council budget"))[docnum],
            9,
        )
        for docnum in three
    }
    assert three and three == pytest.approx(both_pairs)


def AdjacentWordsOf(fieldname, words):  # noqa: N802 (reads as the query it builds)
    return search_phrases.AdjacentWords(fieldname, words)


def test_a_phrase_with_a_rare_word_is_checked_by_position(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    rng = random.Random(3)
    docs = list(many_docs(1, 200, rng))
    docs[7] = replace(docs[7], body="the harbour dredging began, harbour dredging again")
    archive_index.index_articles(docs)
    assert "dredg" not in pair_words(archive_index)
    results = archive_index.search(SearchParams(q='"harbour dredging"'), lambda ids: {})
    assert [hit.article_id for hit in results.hits] == [8]
    archive_index.close()


def test_the_frequent_words_are_chosen_once_and_kept(tmp_path):
    folder = tmp_path / "index"
    rng = random.Random(5)
    archive_index = ArchiveIndex(folder)
    archive_index.index_articles(list(many_docs(1, 300, rng)))
    chosen = pair_words(archive_index)
    assert chosen and chosen <= {
        "harbour",
        "ferri",
        "tariff",
        "author",
        "levi",
        "council",
        "budget",
        "port",
    }
    # A later batch with other words changes nothing: segments must agree on the pairs.
    other = [
        replace(doc(n, "x"), body="quay quay dock dock quay dock " * 5) for n in range(301, 700)
    ]
    archive_index.index_articles(other)
    archive_index.close()
    reopened = ArchiveIndex(folder)
    assert pair_words(reopened) == chosen
    found = reopened.search(SearchParams(q='"quay dock"'), lambda ids: {})
    assert found.total == 399  # checked by position: the pair was never indexed
    reopened.close()


def test_an_empty_commit_chooses_nothing(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles([])
    assert pair_words(archive_index) is None
    archive_index.index_articles(list(many_docs(1, 50, random.Random(1))))
    assert pair_words(archive_index)
    archive_index.close()


def test_rebuild_and_optimize_keep_the_same_phrases(large_archive, positions_refused):  # noqa: F811
    archive_index, bodies = large_archive
    phrases = [q for q in LARGE_PHRASES if "title:" not in q]

    def answers():
        return {q: sorted(every_match(archive_index, q)) for q in phrases}

    before = answers()
    assert archive_index.optimize() > 1
    assert answers() == before
    ids = sorted(bodies)
    docs = [replace(doc(n, "x"), body=bodies[n]) for n in ids]
    # `rebuild` chooses the words again from its first documents.
    rng = random.Random(9)
    rng.shuffle(docs)
    assert archive_index.rebuild(iter(docs)) == len(docs)
    assert pair_words(archive_index)
    after = answers()
    assert after == with_whooshs_phrase(archive_index, answers)
    assert all(after[q] for q in phrases if "-" not in q)


def test_prepared_sequences_choose_the_same_words(tmp_path):
    docs = list(many_docs(1, 120, random.Random(11)))
    here, there = ArchiveIndex(tmp_path / "here"), ArchiveIndex(tmp_path / "there")
    here.index_articles(docs)
    there.index_articles(docs, prepared={d.article_id: prepare(d) for d in docs})
    assert there.prepared_texts > 0
    assert pair_words(here) == pair_words(there) and pair_words(here)
    here.close()
    there.close()
