"""Reading one word's postings in one Whoosh segment a block at a time.

Stepping a Whoosh matcher costs a few Python calls per posting; here each block's
document numbers, weights and (when wanted) encoded values arrive as lists, and blocks
that cannot hold a wanted document are skipped unread (a block's highest document number
is known before it is decompressed).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

# A word's postings in one segment: document number -> (weight, encoded value).
Postings = dict[int, tuple[float, bytes]]


def found_postings(reader, fieldname: str, btext: bytes):
    """One word's matcher in one segment, deleted documents left out, or None where the
    segment lacks the word: one look-up in the segment's term dictionary, where
    `(fieldname, btext) in reader` and then `reader.postings(...)` make two."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        return reader.postings(fieldname, btext) if (fieldname, btext) in reader else None
    try:
        info = terms.term_info(fieldname, btext)
    except TermNotFound:
        return None
    format_ = reader.schema[fieldname].format
    matcher = terms._codec.postings_reader(terms._postfile, info, format_, term=(fieldname, btext))
    deleted = reader.deleted_docs_set  # as SegmentReader.postings leaves them out
    return FilterMatcher(matcher, deleted, exclude=True) if deleted else matcher


def read_postings(matcher, wanted: list[int] | None = None, values: bool = True) -> Postings:
    """The postings of one word in one segment, all of them or only those of the `wanted`
    documents (sorted), without the segment's deleted documents; with `values=False` the
    encoded values (positions) are left unread and given as b""."""
    deleted: frozenset[int] | set[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = matcher._ids, matcher.child
    wanted_set = set(wanted) if wanted is not None else None
    found: Postings = {}
    for ids, weights, encoded in _blocks(matcher, wanted, values):
        for docnum, weight, value in zip(ids, weights, encoded, strict=True):
            if (wanted_set is None or docnum in wanted_set) and docnum not in deleted:
                found[docnum] = (weight, value)
    return found


def _blocks(matcher, wanted: list[int] | None, values: bool) -> Iterator[tuple]:
    """(ids, weights, values) a block at a time, skipping blocks unread where no wanted
    document can be (a block's highest id is known before it is decompressed)."""
    if not isinstance(matcher, W3LeafMatcher):  # postings inlined in the term dictionary
        ids, weights, encoded = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            encoded.append(matcher.value() if values else b"")
            matcher.next()
        yield ids, weights, encoded
        return
    previous_max = -1
    while matcher.is_active():
        block_max = matcher.block_max_id()
        if wanted is None or _any_between(wanted, previous_max, block_max):
            matcher._read_ids()
            matcher._read_weights()
            if values:
                matcher._read_values()
            yield (
                matcher._ids,
                matcher._weights,
                matcher._values if values else [b""] * len(matcher._ids),
            )
        previous_max = block_max
        matcher._next_block()


def _any_between(wanted: list[int], low: int, high: int) -> bool:
    """Whether a sorted list holds a number above `low` and at most `high`."""
    at = bisect.bisect_right(wanted, low)
    return at < len(wanted) and wanted[at] <= high
