"""Index commits merge segments of like size only, so old documents are not rewritten often."""

from __future__ import annotations

from app.search import MERGE_FACTOR, ArchiveIndex, SearchParams
from tests.test_index_generations import doc


def segment_sizes(archive_index: ArchiveIndex) -> list[int]:
    return sorted(segment.doc_count_all() for segment in archive_index.open()._segments())


def segment_ids(archive_index: ArchiveIndex) -> set[str]:
    return {segment.segment_id() for segment in archive_index.open()._segments()}


def test_small_commits_stay_apart_until_ten_of_a_size_exist(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    for number in range(1, MERGE_FACTOR):
        archive_index.index_articles([doc(number, "harbour")])
    # Whoosh's default policy merged the smallest segments as soon as five existed.
    assert segment_sizes(archive_index) == [1] * (MERGE_FACTOR - 1)
    archive_index.index_articles([doc(MERGE_FACTOR, "harbour")])
    assert segment_sizes(archive_index) == [MERGE_FACTOR]
    params = SearchParams(q="harbour")
    assert archive_index.search(params, lambda ids: {}).total == MERGE_FACTOR
    archive_index.close()


def test_a_large_segment_is_left_alone_while_small_ones_merge(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles([doc(number, "ferry") for number in range(1, 201)])
    large = segment_ids(archive_index)
    for number in range(201, 201 + 3 * MERGE_FACTOR):
        archive_index.index_articles([doc(number, "ferry")])
    assert large <= segment_ids(archive_index)
    assert segment_sizes(archive_index) == [MERGE_FACTOR] * 3 + [200]
    assert archive_index.search(SearchParams(q="ferry"), lambda ids: {}).total == 230
    archive_index.close()


def test_merged_segments_cascade_into_the_next_size(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    number = 0
    for _ in range(MERGE_FACTOR - 1):  # nine segments of ten documents
        archive_index.index_articles([doc(number + i, "canal") for i in range(MERGE_FACTOR)])
        number += MERGE_FACTOR
    for _ in range(MERGE_FACTOR):  # ten single documents merge into a tenth of ten...
        archive_index.index_articles([doc(number, "canal")])
        number += 1
    # ... and the ten segments of ten then merge into one.
    assert segment_sizes(archive_index) == [MERGE_FACTOR * MERGE_FACTOR]
    archive_index.close()
