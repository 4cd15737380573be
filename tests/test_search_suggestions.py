"""Spelling suggestions: fewest edits first, then the most frequent word."""

from __future__ import annotations

import pytest

from app.search.results import SearchParams
from app.search.whoosh_backend.archive_index import ArchiveIndex
from tests.test_index_generations import doc


@pytest.fixture
def archive_index(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    bodies = ["privacy rules"] * 6 + ["price caps"] + ["safety after work"] * 3 + ["lehane"] * 2
    archive_index.index_articles([doc(number, body) for number, body in enumerate(bodies, start=1)])
    yield archive_index
    archive_index.close()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("privcy", "privacy"),  # one insertion beats "price" (two edits)
        ("saftey", "safety"),  # a swap of neighbours is one edit, not "after"
        ("lehnae", "lehane"),
        ("privacy saftey", "privacy safety"),
    ],
)
def test_a_misspelling_is_corrected_to_the_closest_frequent_word(archive_index, typed, meant):
    results = archive_index.search(SearchParams(q=typed), lambda ids: {})
    assert results.total == 0
    assert results.suggestion == meant


def test_nothing_close_means_no_suggestion(archive_index):
    results = archive_index.search(SearchParams(q="zzzzqqq"), lambda ids: {})
    assert results.total == 0 and results.suggestion is None


def test_a_misspelt_speaker_name_is_corrected_from_speakers_names(tmp_path):
    from dataclasses import replace

    archive_index = ArchiveIndex(tmp_path / "speakers")
    docs = [
        replace(doc(1, "grid"), speaker_names=["Odile Varga"], speaker_slugs=["odile-varga"]),
        replace(doc(2, "grid"), speaker_names=["Benedikt Amsel"], speaker_slugs=["amsel"]),
    ]
    archive_index.index_articles(docs)
    results = archive_index.search(SearchParams(q="speaker:vagra grid"), lambda ids: {})
    assert results.total == 0 and results.suggestion == "speaker:varga grid"
    archive_index.close()


def vocabulary(archive_index: ArchiveIndex) -> dict[str, tuple[int, int]]:
    """Each written word: (postings over all segments, articles using it)."""
    reader = archive_index._current_searcher().reader()
    return {
        term.decode(): (reader.doc_frequency("words", term), reader.frequency("words", term))
        for term in reader.lexicon("words")
    }


def test_a_batch_writes_each_word_once_with_its_count_of_articles(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles([doc(1, "grant"), doc(2, "grant"), doc(3, "levy")])
    archive_index.index_articles([doc(4, "grant"), doc(5, "tariff")])
    words = vocabulary(archive_index)
    assert words["grant"] == (2, 3)  # one posting in each batch's segment
    assert words["levy"] == (1, 1) and words["tariff"] == (1, 1)
    assert words["paragraph"] == (2, 5)
    # Merged into one segment (which keeps both batches' postings): the same counts.
    archive_index.optimize()
    assert vocabulary(archive_index) == words
    # Rebuilt in one batch: one posting a word.
    archive_index.rebuild([doc(n, w) for n, w in [(1, "grant"), (2, "grant"), (3, "levy")]])
    assert vocabulary(archive_index)["grant"] == (1, 2)
    archive_index.close()


def test_close_words_are_ranked_by_the_articles_using_them_across_batches(tmp_path):
    # "grant" is used by four articles of one batch, "grunt" by three, one a batch: a
    # ranking by postings would pick "grunt".
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles([doc(n, "grant") for n in range(1, 5)] + [doc(5, "grunt")])
    archive_index.index_articles([doc(6, "grunt")])
    archive_index.index_articles([doc(7, "grunt")])
    results = archive_index.search(SearchParams(q="grint"), lambda ids: {})
    assert results.total == 0 and results.suggestion == "grant"
    archive_index.close()
