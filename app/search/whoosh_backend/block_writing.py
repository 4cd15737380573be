"""A new segment's postings written term by term, whole blocks at a time.

Whoosh writes a segment's postings one at a time: the pool yields each posting as a
tuple, the field writer checks its order, asks the per-document reader for the
document's length in the field, and the postings writer appends it to the block and
updates the block's statistics. In the process that builds a bulk load's segments that
was about 45 % of its samples (py-spy, 5,000 articles of 1,260 postings each).

The term pool (pool.py) already holds each term's postings together. Here each term's
blocks are made from its lists at once: document gaps, weights and values are built by
slicing and mapping, the block's and the term's statistics by min, max and sum, and a
term's blocks go to the file in one write. The blocks and term infos are Whoosh's W3
format and hold what its own writer gives, except that short blocks are not compressed
(`COMPRESS_FROM`; `tests/test_index_block_writing.py`).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter, sub

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

# Blocks whose pickle is shorter are not compressed (the header says so, and readers
# follow it). Whoosh compresses every block: a term held by one or two documents, most
# of a batch's terms, came out of zlib no shorter (65 bytes to 66, 90 to 80), and each
# call cost 14-60 µs, a fifth of writing a segment's postings.
COMPRESS_FROM = 128

# A document's length in a field as the per-document reader answers it: the stored byte
# decoded, or 0 where none was stored.
_DECODED = [byte_to_length(byte) if byte else 0 for byte in range(256)]


def all_lengths(per_document, fieldname: str) -> bytes | None:
    """A segment's length bytes of one field, one per document (0: none), read whole as
    the per-document reader's cache takes them; None if the field has none."""
    name = _lenfield(fieldname)
    if not per_document.has_column(name):
        return None
    column = per_document.column_reader(name, LENGTHS_COLUMN)
    held = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    return held + bytes(per_document.doc_count_all() - column._count)


def write_terms(fieldwriter, schema, terms: dict, unsorted: set, per_document) -> None:
    """Write `terms`, {(field name, term bytes): [document, weight, value, ...]} with each
    term's documents in order unless its key is in `unsorted`, through a W3 field
    writer; `per_document` is the new segment's per-document reader (its lengths)."""
    postings_writer = fieldwriter._codec.postings_writer(fieldwriter._postfile)
    blocks = _BlockMaker(postings_writer._blocklimit, postings_writer._compression)
    postfile = fieldwriter._postfile
    offset = postfile.tell()
    for fieldname, keys in groupby(sorted(terms), key=itemgetter(0)):
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        prefix = pack_ushort(fieldwriter._fieldid)
        values_of = _values_minifier(fieldobj.format.fixed_value_size())
        stored = all_lengths(per_document, fieldname) if per_document is not None else None
        lengths = [_DECODED[byte] for byte in stored] if stored else None
        for key in keys:
            flat = terms[key]
            docs, weights, values = flat[0::3], flat[1::3], flat[2::3]
            if key in unsorted:
                docs, weights, values = _in_document_order(docs, weights, values)
            written, info = blocks.term(docs, weights, values, lengths, values_of)
            info.set_extent(offset, len(written))
            postfile.write(written)
            offset += len(written)
            fieldwriter._tindex.add(prefix + key[1], info.to_bytes())
        fieldwriter.finish_field()


class _BlockMaker:
    def __init__(self, limit: int, compression: int):
        self.limit = limit
        self.compression = compression

    def term(self, docs, weights, values, lengths, values_of) -> tuple[bytes, W3TermInfo]:
        """A term's blocks, as bytes from the W3 magic on, and its term info (no extent)."""
        info = W3TermInfo()
        parts = [WHOOSH3_HEADER_MAGIC]
        count, limit = len(docs), self.limit
        for start in range(0, count, limit):
            end = start + limit
            ids = docs[start:end]
            body, stored_weights, maxweight, minlength, maxlength = self._block(
                ids, weights[start:end], values_of(values[start:end]), lengths
            )
            parts += (pack_int(-len(body) if end >= count else len(body)), body)
            _add_block(info, ids, stored_weights, maxweight, minlength, maxlength)
        return b"".join(parts), info

    def _block(self, ids: list, weights: list, values, lengths: list | None) -> tuple:
        # As W3PostingsWriter: weights are kept as 32-bit floats and the largest as
        # given, and a length of 0 (none stored) does not count.
        stored_weights = array("f", weights)
        top = max(weights)
        maxweight = top if top > 0 else 0
        present = [n for n in map(lengths.__getitem__, ids) if n] if lengths else ()
        minlength = min(present) if present else None
        maxlength = max(present) if present else 0
        gaps = tuple(map(sub, ids, [0, *ids[:-1]]))
        databytes = pickle.dumps((gaps, _minified_weights(stored_weights), values), 2)
        compression = self.compression if len(databytes) >= COMPRESS_FROM else 0
        if compression:
            databytes = zlib.compress(databytes, compression)
        header = (
            len(ids),
            ids[-1],
            maxweight,
            compression,
            length_to_byte(minlength),
            length_to_byte(maxlength),
        )
        return pickle.dumps(header, 2) + databytes, stored_weights, maxweight, minlength, maxlength


def _minified_weights(weights: array):
    """As `W3PostingsWriter._mini_weights`: None if all are 1, one number if all are equal."""
    count = len(weights)
    if weights.count(1.0) == count:
        return None
    if weights.count(weights[0]) == count:
        return weights[0]
    return tuple(weights)


def _values_minifier(fixed_size: int | None) -> Callable[[list], object]:
    """As `W3PostingsWriter._mini_values`, for a format whose values have `fixed_size`;
    an empty value is not kept."""
    if fixed_size is None or fixed_size < 0:
        return lambda values: tuple(value for value in values if value)
    if fixed_size == 0:
        return lambda values: None
    return lambda values: b"".join(value for value in values if value)


def _add_block(info: W3TermInfo, ids, weights, maxweight, minlength, maxlength) -> None:
    """As `W3TermInfo.add_block`."""
    info._weight += sum(weights)
    info._df += len(ids)
    if info._minlength is None:
        info._minlength = minlength
    elif minlength is not None:
        info._minlength = min(info._minlength, minlength)
    info._maxlength = max(info._maxlength, maxlength)
    info._maxweight = max(info._maxweight, maxweight)
    if info._minid is None:
        info._minid = ids[0]
    info._maxid = ids[-1]


def _in_document_order(docs: list, weights: list, values: list) -> tuple[list, list, list]:
    order = sorted(range(len(docs)), key=docs.__getitem__)
    return (
        [docs[i] for i in order],
        [weights[i] for i in order],
        [values[i] for i in order],
    )
