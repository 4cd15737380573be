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
segment's, renumbered, straight into the new segment's files.
"""

from __future__ import annotations

import functools
import heapq
import types

from whoosh.reading import SegmentReader

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
    (`optimize`), deleted documents left out."""
    for segment in segments:
        stream_segment(writer, SegmentReader(writer.storage, writer.schema, segment))
    return []


def merge_policy(unmerged_from: int):
    """`merge_like_sized` with its cap, as `commit(mergetype=…)` takes it."""
    return functools.partial(merge_like_sized, unmerged_from=unmerged_from)


def stream_segment(writer, reader) -> None:
    """What `writer.add_reader(reader)` does, with the reader's postings streamed into the
    new segment at flush instead of copied through the pool. The writer closes the reader
    once the segment is written."""
    basedoc = writer.docnum
    indexed = {name for name in reader.indexed_field_names() if name in writer.schema}
    docmap = writer.write_per_doc(set(writer.schema.names()) | indexed, reader)
    writer._added = True
    postings = writer._process_posts(reader.iter_postings(), basedoc, docmap)
    if "_streamed" not in writer.__dict__:
        writer._streamed = []
        writer._flush_segment = types.MethodType(_flush_streamed, writer)
    writer._streamed.append((reader, postings))


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
