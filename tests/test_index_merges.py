"""Index commits merge segments of like size only, so old documents are not rewritten often."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.search.results import QuoteDocument, SearchParams
from app.search.whoosh_backend import archive_index as search_module
from app.search.whoosh_backend.archive_index import QUOTE_INDEX, ArchiveIndex
from app.search.whoosh_backend.merges import MERGE_FACTOR
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


def test_no_segment_past_the_cap_is_merged_again(tmp_path):
    """Ten segments of ten merge into one of a hundred without a cap; with a cap of ten
    documents they stay ten segments, each document rewritten once."""
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in

    from app.search.whoosh_backend.merges import merge_policy

    ix = create_in(str(tmp_path), Schema(id=ID(stored=True), body=TEXT))
    for number in range(MERGE_FACTOR * MERGE_FACTOR):
        writer = ix.writer()
        writer.add_document(id=str(number), body=f"lock gate number {number}")
        writer.commit(mergetype=merge_policy(unmerged_from=MERGE_FACTOR))
    sizes = sorted(segment.doc_count_all() for segment in ix._segments())
    assert sizes == [MERGE_FACTOR] * MERGE_FACTOR
    with ix.searcher() as searcher:
        assert searcher.doc_count() == MERGE_FACTOR * MERGE_FACTOR


def test_a_streamed_merge_writes_what_whoosh_merge_writes(tmp_path, monkeypatch):
    """Merged segments' postings go straight into the new segment instead of through the
    writer's pool: every term, posting, stored field and length is as Whoosh writes them,
    with replaced (deleted) documents left out of both."""
    from app.search.whoosh_backend import merges as index_merges
    from tests.test_index_postings import every_posting

    def whoosh_merge(writer, reader):
        writer.add_reader(reader)
        reader.close()

    def build(folder, streamed: bool):
        if not streamed:
            monkeypatch.setattr(index_merges, "stream_segment", whoosh_merge)
        archive_index = ArchiveIndex(folder)
        for batch in range(MERGE_FACTOR):
            numbers = range(batch * 3, batch * 3 + 3)
            words = ["lock", "weir", "sluice"]
            archive_index.index_articles([doc(n, words[n % 3]) for n in numbers])
            if batch == 4:  # a new version of two documents: the old ones are deleted
                archive_index.index_articles([doc(1, "towpath"), doc(4, "towpath")], replace=[1, 4])
        assert segment_sizes(archive_index) == [3, 27]  # ten segments merged, deletions gone
        found = every_posting(archive_index)
        with archive_index.open().searcher() as searcher:
            found["stored"] = sorted(fields["id"] for fields in searcher.all_stored_fields())
        archive_index.close()
        monkeypatch.undo()
        return found

    streamed, whoosh = build(tmp_path / "streamed", True), build(tmp_path / "whoosh", False)
    assert streamed == whoosh
    assert streamed[("articles", "body", b"towpath")] and len(streamed["stored"]) == 30


def with_quote(number: int, word: str):
    quote = QuoteDocument(number, f"The {word} levy is fair, they said.", "direct", [], None)
    return replace(doc(number, word), quotes=(quote,))


def test_optimize_merges_each_index_into_one_segment_with_the_same_results(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    words = ["harbour", "ferry", "council"]
    for first in (1, 101, 201):  # three segments of each index
        archive_index.index_articles(
            [with_quote(n, words[n % 3]) for n in range(first, first + 100)]
        )
    # Articles indexed again: their old documents are deleted ones until a merge.
    archive_index.index_articles([with_quote(n, "harbour") for n in range(1, 30)], range(1, 30))
    assert len(archive_index.open()._segments()) == 4
    assert archive_index._current_searcher().reader().has_deletions()

    def answers():
        found = {}
        for q in ["harbour", '"harbour levy"', "ferry OR council", "levy -ferry"]:
            for quotes in (False, True):
                params = SearchParams(q=q, page_size=1000)
                search = archive_index.search_quotes if quotes else archive_index.search
                results = search(params, lambda ids: {})
                ids = [hit.quote_id if quotes else hit.article_id for hit in results.hits]
                found[q, quotes] = (results.total, sorted(ids), results.facets)
        return found

    before = answers()
    assert before["harbour", False][0] == 120  # and 20 of 1-29 were not harbour before
    assert archive_index.optimize() == 8
    assert len(archive_index.open()._segments()) == 1
    assert len(archive_index.open_quotes()._segments()) == 1
    assert not archive_index._current_searcher().reader().has_deletions()
    # Scores may move (deleted documents no longer count in word frequencies); the
    # documents found, the totals and the facet counts may not.
    assert answers() == before
    assert archive_index.optimize() == 0  # nothing left to merge
    archive_index.close()


def merge_fails(folder: str, indexname: str) -> int:
    """Run in the builder's process instead of its merge: it fails there."""
    raise OSError("no space left on device")


@pytest.mark.parametrize("fails", [False, True])
def test_optimize_merges_the_quotes_in_another_process_or_here_if_that_fails(
    tmp_path, monkeypatch, fails
):
    archive_index = ArchiveIndex(tmp_path / "index")
    for first in (1, 41, 81):
        archive_index.index_articles([with_quote(n, "harbour") for n in range(first, first + 40)])
    submitted = []
    submit = archive_index._builder.submit

    def recorded(work, *args):
        submitted.append(args)
        return submit(work, *args)

    monkeypatch.setattr(archive_index._builder, "submit", recorded)
    if fails:
        monkeypatch.setattr(search_module, "_merge_everything_in", merge_fails)
    assert archive_index.optimize() == 6
    assert [indexname for _, indexname in submitted] == [QUOTE_INDEX]
    assert len(archive_index.open()._segments()) == 1
    assert len(archive_index.open_quotes()._segments()) == 1
    assert archive_index.search_quotes(SearchParams(q="harbour"), lambda ids: {}).total == 120
    archive_index.close()


def term_statistics(archive_index: ArchiveIndex) -> dict:
    """Each article term's statistics as the term dictionary stores them."""
    with archive_index.open().searcher() as searcher:
        reader = searcher.reader()
        statistics = {}
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            statistics[fieldname, text] = (
                info.doc_frequency(),
                round(info.weight(), 3),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
            )
        return statistics


def test_optimize_copies_blocks_that_read_as_the_streamed_merge_writes(tmp_path, monkeypatch):
    """Without deletions, `optimize` copies whole posting blocks (block_copy.py). Terms
    held by hundreds of documents in each segment span several blocks, the last one part
    full; the merged index must read exactly as the posting-by-posting merge writes it."""
    from app.search.whoosh_backend import merges as index_merges
    from tests.test_index_postings import every_posting

    words = ["lock", "weir", "sluice"]

    def word(number: int) -> str:
        return words[number % 3] if number % 2 else "lock"

    def build(folder, copied: bool):
        if not copied:
            monkeypatch.setattr(index_merges, "can_copy_blocks", lambda writer, segments: False)
            # The patch holds in this process only: the quote index merges here too.
            monkeypatch.setattr(search_module, "_merge_everything_in", merge_fails)
        archive_index = ArchiveIndex(folder)
        for first in (1, 301, 601):  # three segments, each term in 100-300 documents
            archive_index.index_articles(
                [with_quote(n, word(n)) for n in range(first, first + 300)]
            )
        assert len(archive_index.open()._segments()) == 3
        assert archive_index.optimize() == 6
        assert len(archive_index.open()._segments()) == 1
        found = every_posting(archive_index)
        found["statistics"] = term_statistics(archive_index)
        with archive_index.open().searcher() as searcher:
            found["stored"] = [fields["id"] for fields in searcher.all_stored_fields()]
        found["answers"] = [
            [
                (hit.article_id, round(hit.score, 4))
                for hit in archive_index.search(
                    SearchParams(q=q, page_size=1000), lambda ids: {}
                ).hits
            ]
            for q in ["lock", '"public policy"', "weir OR sluice", "number 450"]
        ]
        archive_index.close()
        monkeypatch.undo()
        return found

    copied, streamed = build(tmp_path / "copied", True), build(tmp_path / "streamed", False)
    assert copied == streamed
    assert len(copied[("articles", "body", b"lock")]) == 600  # 4-5 blocks of 128
    assert copied["statistics"][("body", b"lock")][0] == 600
    assert copied["stored"] == [str(n) for n in range(1, 901)]
