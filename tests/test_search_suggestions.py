"""Spelling suggestions: fewest edits first, then the most frequent word."""

from __future__ import annotations

import pytest

from app.search import ArchiveIndex, SearchParams
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
