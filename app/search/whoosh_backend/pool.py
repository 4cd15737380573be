"""The Whoosh writer's posting pool, kept per term.

Whoosh's pool holds one (field, term, document, weight, value) tuple per posting and sorts
them all at the commit; past its memory limit it sorts what it holds into a run in a
temporary file and merges the runs back at the commit, reading and writing every posting
once more in Python. At 2,500 articles a batch passed the limit, and the spilled batch
cost as much as writing the index twice (docs/benchmarks.md).

This pool keeps each term's postings together, in the order the documents arrive (which
is document order), so the commit sorts the distinct terms only, and a posting costs
three list slots instead of a tuple. It spills like Whoosh's past its limit, so a batch
of any size stays within memory.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from operator import itemgetter

from whoosh.externalsort import SortingPool
from whoosh.writing import PostingPool, SegmentWriter

from app.search.whoosh_backend.block_writing import write_terms

# Estimated bytes held per posting and per distinct term (list slots, value bytes, and
# the term's key and list), for the memory limit.
_POSTING_BYTES = 3 * 8 + 24 + 33
_TERM_BYTES = 56 + 56 + 33 + 72


class TermPool(PostingPool):
    """A drop-in `PostingPool` for a `SegmentWriter`: `writer.pool = TermPool(...)`."""

    def __init__(self, tempstore, segment, limitmb: int = 128):
        super().__init__(tempstore, segment, limitmb=limitmb)
        self.terms: dict[tuple[str, bytes], list] = {}
        self.unsorted: set[tuple[str, bytes]] = set()
        self.spilled = 0  # runs written to temporary files

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, value = item
        key = (fieldname, tbytes)
        flat = self.terms.get(key)
        if flat is None:
            self.terms[key] = [docnum, weight, value]
            self.currentsize += _TERM_BYTES + len(tbytes)
            self.fieldnames.add(fieldname)
        else:
            if docnum < flat[-3]:  # documents merged in from another segment, say
                self.unsorted.add(key)
            flat += (docnum, weight, value)
        self.currentsize += _POSTING_BYTES + (len(value) if value else 0)
        if self.currentsize > self.limit:
            self.save()

    def _sorted(self) -> Iterator[tuple]:
        terms, unsorted = self.terms, self.unsorted
        for key in sorted(terms):
            fieldname, tbytes = key
            flat = terms[key]
            triples = zip(flat[0::3], flat[1::3], flat[2::3], strict=True)
            if key in unsorted:
                triples = sorted(triples, key=itemgetter(0))
            for docnum, weight, value in triples:
                yield fieldname, tbytes, docnum, weight, value

    def save(self) -> None:
        """Spill what is held as one sorted run, as Whoosh's pool does."""
        if self.terms:
            self.current = list(self._sorted())
            self.terms, self.unsorted = {}, set()
            SortingPool.save(self)
            self.spilled += 1
        self.currentsize = 0

    def items(self, maxfiles: int = 128):
        if not self.runs:
            return self._sorted()
        self.save()
        return SortingPool.items(self, maxfiles)


class RememberedLengths:
    """A new segment's per-document reader that reads each field length once.

    Writing a segment's postings asks the length of the posting's field in its document
    for every posting, and each answer was a seek and read in the file just written: a
    fifth of writing the postings.
    """

    def __init__(self, reader):
        self._reader = reader
        self._known: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        length = self._known.get(key)
        if length is None:
            length = self._known[key] = self._reader.doc_field_length(docnum, fieldname, default)
        return length

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


def with_term_pool(writer, limitmb: int):
    """A Whoosh `SegmentWriter` writing through a `TermPool` and `RememberedLengths`, and
    writing the pool's postings by whole blocks when they are all in memory."""
    writer.pool = TermPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
    per_document_reader = writer.per_document_reader
    writer.per_document_reader = lambda: RememberedLengths(per_document_reader())
    writer._flush_segment = types.MethodType(_flush_by_blocks, writer)
    return writer


def _flush_by_blocks(writer) -> None:
    """`SegmentWriter._flush_segment`, with the pool's terms written a term at a time
    (block_writing.py) unless the pool spilled runs to disk, which Whoosh's way merges.
    A merge at the commit replaces this method with its own (merges.py)."""
    pool = writer.pool
    if pool.runs:
        SegmentWriter._flush_segment(writer)
        return
    writer.perdocwriter.close()
    per_document = writer.per_document_reader() if writer.codec.length_stats else None
    write_terms(writer.fieldwriter, writer.schema, pool.terms, pool.unsorted, per_document)
    writer.fieldwriter.close()
    if per_document is not None:
        per_document.close()
