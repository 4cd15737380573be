"""Merging whole segments by copying their posting blocks instead of their postings.

`policy-archive optimize` merges every segment into one. Streaming the postings
(merges.py) still handles each of them in Python: reading, renumbering and re-adding
the 8.5 million postings of 10,000 articles took 186 s, and a bulk load of 100,000
articles left a merge of more than nine minutes.

Whoosh's W3 codec stores a term's postings as blocks of up to 128 documents: a length
(negative for the term's last block), a small pickled header (count, last document,
largest weight, compression, shortest and longest field length), and the zlib-compressed
pickle of the documents (delta-coded from 0), weights and values. When no document is
deleted, merging segments only renumbers documents by a constant per segment, so a
block of the first segment is copied byte for byte and any other block changes only
its first document and its header's last document: one decompress, unpickle, pickle and
compress per block, no Python per posting. The term's statistics are combined from the
segments' term infos.
"""

from __future__ import annotations

import heapq
import io
import pickle
import zlib
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.system import _INT_SIZE, pack_int, pack_ushort, unpack_int

_MAGIC_SIZE = len(WHOOSH3_HEADER_MAGIC)


def can_copy_blocks(writer, segments: list) -> bool:
    """Whether `writer` can take `segments` by block copies: it has added no documents
    of its own, it writes W3 postings that are never inlined into the term dictionary,
    and no segment has deleted documents (their documents would be renumbered unevenly)."""
    return (
        writer.docnum == 0
        and isinstance(writer.fieldwriter, W3FieldWriter)
        and getattr(writer.codec, "_inlinelimit", None) == 1
        and not any(segment.has_deletions() for segment in segments)
    )


def copy_postings(fieldwriter: W3FieldWriter, schema, sources: list[tuple]) -> None:
    """Write the postings of `sources`, (SegmentReader, first document number) pairs in
    document order, into the new segment's `fieldwriter`, field by field and term by
    term in the order Whoosh's term dictionary needs."""
    fieldnames = sorted(
        {name for reader, _ in sources for name in reader.indexed_field_names() if name in schema}
    )
    postfile = fieldwriter._postfile
    for fieldname in fieldnames:
        fieldwriter.start_field(fieldname, schema[fieldname])
        prefix = pack_ushort(fieldwriter._fieldid)
        merged = heapq.merge(
            *(
                _field_terms(reader, fieldname, position, base)
                for position, (reader, base) in enumerate(sources)
            )
        )
        for tbytes, pieces in groupby(merged, key=itemgetter(0)):
            terminfo = _write_term(postfile, [(r, b, info) for _, _, r, b, info in pieces])
            fieldwriter._tindex.add(prefix + tbytes, terminfo.to_bytes())
        fieldwriter.finish_field()


def _field_terms(reader, fieldname: str, position: int, base: int) -> Iterator[tuple]:
    """(term bytes, source position, reader, base, term info) for each term of one field
    of a segment, in term order; the position keeps the segments in document order."""
    for (name, tbytes), terminfo in reader._terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        yield tbytes, position, reader, base, terminfo


def _write_term(postfile, pieces: list[tuple]) -> W3TermInfo:
    """Append one term's blocks from each (reader, base, term info) piece; return the
    merged term's info, pointing at them."""
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    merged = W3TermInfo()
    for number, (reader, base, source) in enumerate(pieces):
        if source.is_inlined():  # can_copy_blocks rules this out; never guess
            raise ValueError("inlined postings cannot be copied as blocks")
        offset, length = source.extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it unpacked
            (length,) = length
        source_file = reader._terms._postfile
        source_file.seek(offset)
        postings = source_file.read(length)
        if postings[:_MAGIC_SIZE] != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"no W3 postings at offset {offset}")
        last_piece = number == len(pieces) - 1
        postfile.write(_renumbered_blocks(postings, base, last_piece))
        _add_statistics(merged, source, base)
    merged.set_extent(start, postfile.tell() - start)
    return merged


def _renumbered_blocks(postings: bytes, base: int, last_piece: bool) -> bytes:
    """One term's blocks from a segment, documents shifted by `base`; only the term's
    very last block keeps the negative length that ends it."""
    out = io.BytesIO()
    position = _MAGIC_SIZE
    while position < len(postings):
        (signed,) = unpack_int(postings[position : position + _INT_SIZE])
        size = abs(signed)
        block = postings[position + _INT_SIZE : position + _INT_SIZE + size]
        position += _INT_SIZE + size
        if base:
            block = _shifted_block(block, base)
        ends_term = signed < 0 and last_piece
        out.write(pack_int(-len(block) if ends_term else len(block)))
        out.write(block)
    return out.getvalue()


def _shifted_block(block: bytes, base: int) -> bytes:
    """A block's header and data with every document number `base` higher: the data
    holds the first document and then gaps, the header the last document."""
    reader = io.BytesIO(block)
    count, last, max_weight, compression, min_length, max_length = pickle.load(reader)
    data = block[reader.tell() :]
    if compression:
        data = zlib.decompress(data)
    gaps, weights, values = pickle.loads(data)
    data = pickle.dumps(((gaps[0] + base, *gaps[1:]), weights, values), 2)
    if compression:
        data = zlib.compress(data, compression)
    header = (count, last + base, max_weight, compression, min_length, max_length)
    return pickle.dumps(header, 2) + data


def _add_statistics(merged: W3TermInfo, source: W3TermInfo, base: int) -> None:
    """Fold one segment's statistics for a term into the merged term's."""
    merged._weight += source._weight
    merged._df += source._df
    if source._minlength is not None:
        merged._minlength = (
            source._minlength
            if merged._minlength is None
            else min(merged._minlength, source._minlength)
        )
    merged._maxlength = max(merged._maxlength, source._maxlength)
    merged._maxweight = max(merged._maxweight, source._maxweight)
    if merged._minid is None:
        merged._minid = source._minid + base
    merged._maxid = source._maxid + base
