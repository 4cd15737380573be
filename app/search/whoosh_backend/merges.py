"""When the Whoosh index's segments merge at a commit, and how the merged postings are
written.

Which segments merge: ten of the same size class (the same power of ten in documents),
and never a segment of `unmerged_from` documents or more. Whoosh's default rewrote a
growing run of the smallest segments by a Fibonacci rule. Merging like sizes without a
cap rewrote every document once more each time the archive grew tenfold, and each
rewrite cost about as much as indexing the document: at 25,000 articles a bulk load
spent half its time in merges. With the cap a document is rewritten at most once during
ingestion; `reindex` writes one segment.

How: Whoosh's merge (`SegmentWriter.add_reader`) copies every posting of the merged
segments through the writer's posting pool, which sorts them again (spilling runs to
temporary files past its memory limit). But each segment's postings are sorted already,
so they are streamed instead: one k-way merge of the pool's new postings with each
segment's, renumbered, straight into the new segment's files. When every segment merges
into an empty writer (`optimize`) and none has deletions, whole posting blocks are
copied instead (block_copy.py).
"""

from __future__ import annotations

import functools
import heapq
import types

from whoosh.codec.whoosh3 import _lenfield
from whoosh.reading import SegmentReader

from app.search.whoosh_backend.block_copy import can_copy_blocks, copy_postings
from app.search.whoosh_backend.block_writing import all_lengths

MERGE_FACTOR = 10


def size_class(documents: int) -> int:
    """The power of ten of a segment's document count (1: 1-9, 2: 10-99, ...)."""
    return len(str(max(1, documents)))


def merge_like_sized(writer, segments: list, *, unmerged_from: int | None = None) -> list:
    """A Whoosh merge policy: the segments to keep as they are, after streaming the
    others into the segment being committed.

    Segments merge when MERGE_FACTOR of one size class exist. The documents being
    committed count as one more segment of their class, and a merge that makes one more
    segment of the next class can carry on into it. Segments of `unmerged_from` documents
    or more are never merged.
    """
    classes: dict[int, list] = {}
    for segment in segments:
        classes.setdefault(size_class(segment.doc_count_all()), []).append(segment)
    adding = size_class(writer.docnum) if writer.docnum else None
    ceiling = size_class(unmerged_from) if unmerged_from else None
    merging: list = []
    carried = False
    for each in sorted({*classes, *([adding] if adding else [])}):
        if ceiling is not None and each >= ceiling:
            break
        present = len(classes.get(each, [])) + (each == adding)
        carried = present + carried >= MERGE_FACTOR
        if carried:
            merging += classes.get(each, [])
    for segment in merging:
        stream_segment(writer, SegmentReader(writer.storage, writer.schema, segment))
    return [segment for segment in segments if segment not in merging]


def merge_everything(writer, segments: list) -> list:
    """A Whoosh merge policy that streams every segment into the one being committed
    (`optimize`), deleted documents left out; by whole posting blocks when it can."""
    take = copy_segment if can_copy_blocks(writer, segments) else stream_segment
    for segment in segments:
        take(writer, SegmentReader(writer.storage, writer.schema, segment))
    return []


def merge_policy(unmerged_from: int):
    """`merge_like_sized` with its cap, as `commit(mergetype=…)` takes it."""
    return functools.partial(merge_like_sized, unmerged_from=unmerged_from)


def stream_segment(writer, reader) -> None:
    """What `writer.add_reader(reader)` does, with the reader's postings streamed into the
    new segment at flush instead of copied through the pool. The writer closes the reader
    once the segment is written."""
    basedoc = writer.docnum
    docmap = _write_per_doc(writer, reader)
    postings = writer._process_posts(reader.iter_postings(), basedoc, docmap)
    _written_at_flush(writer, "_streamed", _flush_streamed, (reader, postings))


def copy_segment(writer, reader) -> None:
    """What `writer.add_reader(reader)` does, for a segment without deletions, with its
    posting blocks copied into the new segment at flush (block_copy.py). Every segment of
    the commit must go this way, into a writer with no documents of its own."""
    basedoc = writer.docnum
    _write_per_doc(writer, reader)
    _written_at_flush(writer, "_copied", _flush_copied, (reader, basedoc))


def _written_at_flush(writer, pending: str, flush, source: tuple) -> None:
    """Note a merged segment's postings for `flush`, which replaces the writer's own
    `_flush_segment` and finds them in the list named `pending` on the writer."""
    writer._added = True
    if pending not in writer.__dict__:
        setattr(writer, pending, [])
        writer._flush_segment = types.MethodType(flush, writer)
    getattr(writer, pending).append(source)


def _write_per_doc(writer, reader) -> dict | None:
    """`writer.write_per_doc` for every field of the schema and the segment: the stored
    values, lengths and columns of each of the reader's documents. Returns the new
    numbers of its documents if some were deleted (else they follow on).

    Whoosh asks each document's length in each field, one read of a byte each, and for a
    field with no lengths in the segment (an unscored one: an id, keywords) a `stat` of
    the file it does not find, every time: 80 % of merging the quote index, whose
    documents are many and short. Here each field's lengths are read once, whole."""
    fieldnames = set(writer.schema.names())
    fieldnames |= {name for name in reader.indexed_field_names() if name in writer.schema}
    per_document = reader._perdoc
    for fieldname in fieldnames:
        per_document._readers[_lenfield(fieldname)] = all_lengths(per_document, fieldname)
    return writer.write_per_doc(fieldnames, reader)


def _flush_copied(writer) -> None:
    """Whoosh's `SegmentWriter._flush_segment` for `copy_segment`: the documents' values
    are written already; the postings are copied block by block."""
    try:
        writer.perdocwriter.close()
        copy_postings(writer.fieldwriter, writer.schema, writer._copied)
        writer.fieldwriter.close()
    finally:
        for reader, _ in writer._copied:
            reader.close()
        writer._copied = []


def _flush_streamed(writer) -> None:
    """Whoosh's `SegmentWriter._flush_segment`, with the streamed segments' postings merged
    into the pool's. Every source is sorted by (field, term, document), and the merged
    documents are numbered after the new ones, so a k-way merge keeps that order (Whoosh
    raises OutOfOrderError if it were not)."""
    try:
        writer.perdocwriter.close()
        lengths = writer.per_document_reader() if writer.codec.length_stats else None
        postings = heapq.merge(writer.pool.iter_postings(), *(p for _, p in writer._streamed))
        writer.fieldwriter.add_postings(writer.schema, lengths, postings)
        writer.fieldwriter.close()
        if lengths:
            lengths.close()
    finally:
        for reader, _ in writer._streamed:
            reader.close()
        writer._streamed = []
