"""Quoted phrases in the Whoosh index: the documents where the words stand one after another.

Whoosh checks a phrase document by document behind an intersection of matchers, about
30 µs per document that holds all the words, most of which turn out not to hold them in
order. Here each segment is answered at once:

1. the rarest word's postings name the candidate documents;
2. each other word's postings are read only in the blocks that may hold a candidate;
3. the candidates' positions are decoded and compared as integer sets;
4. the documents that pass are handed on as one list matcher per word, so scores,
   matched terms (for highlighting) and skipping behave exactly as for Whoosh's phrase.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from itertools import accumulate
from operator import itemgetter
from pickle import loads

from whoosh import formats, matching, query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE

# A word's postings in one segment: document number -> (weight, encoded value).
Postings = dict[int, tuple[float, bytes]]


class AdjacentWords(query.Phrase):
    """A quoted phrase: its words one right after another (the parser's "...").

    Same documents and scores (the sum of the words' scores) as Whoosh's phrase query;
    a phrase with slop ("a b"~5, NEAR) is still Whoosh's.
    """

    def matcher(self, searcher, context=None):
        field = dict(searcher.schema.items()).get(self.fieldname)
        if self.slop != 1 or field is None or not field.format.supports("positions"):
            return super().matcher(searcher, context)
        try:
            btexts = [field.to_bytes(word) for word in self.words]
        except ValueError:
            return matching.NullMatcher()
        weighting = (context.weighting if context is not None else None) or searcher.weighting
        if searcher.is_atomic():
            found = adjacent_matcher(searcher, self.fieldname, btexts, weighting)
        else:  # one matcher per segment, as Whoosh's searcher.postings does
            segments = searcher.subsearchers
            found = matching.MultiMatcher(
                [adjacent_matcher(sub, self.fieldname, btexts, weighting) for sub, _ in segments],
                [offset for _, offset in segments],
            )
        return matching.WrappingMatcher(found, boost=self.boost) if self.boost != 1 else found


def adjacent_matcher(searcher, fieldname: str, btexts: list[bytes], weighting):
    """A matcher over the documents of this segment holding `btexts` in a row."""
    reader = searcher.reader()
    if any((fieldname, btext) not in reader for btext in btexts):
        return matching.NullMatcher()
    scorers = [weighting.scorer(searcher, fieldname, btext) for btext in btexts]
    # Rarest first: the shortest posting list picks the candidates, and each longer one
    # is then read only where a candidate may be.
    order = sorted(range(len(btexts)), key=lambda i: reader.doc_frequency(fieldname, btexts[i]))
    postings: dict[int, Postings] = {}
    candidates: list[int] | None = None
    for i in order:
        matcher = reader.postings(fieldname, btexts[i], scorer=scorers[i])
        postings[i] = _read_postings(matcher, candidates)
        if candidates is None:
            candidates = sorted(postings[i])
        else:
            candidates = [docnum for docnum in candidates if docnum in postings[i]]
        if not candidates:
            return matching.NullMatcher()

    field_format = searcher.schema[fieldname].format
    decode = _position_decoder(field_format)
    in_order = [postings[i] for i in range(len(btexts))]
    matched = [docnum for docnum in candidates if _in_a_row(in_order, docnum, decode)]
    if not matched:
        return matching.NullMatcher()
    per_word = [
        matching.ListMatcher(
            matched,
            weights=[in_order[i][docnum][0] for docnum in matched],
            values=[in_order[i][docnum][1] for docnum in matched],
            format=field_format,
            scorer=scorers[i],
            term=(fieldname, btext),
            terminfo=reader.term_info(fieldname, btext),
        )
        for i, btext in enumerate(btexts)
    ]
    combined = per_word[0]
    for other in per_word[1:]:
        combined = matching.IntersectionMatcher(combined, other)
    return combined


def _in_a_row(in_order: list[Postings], docnum: int, decode) -> bool:
    # Positions shifted back by each word's place in the phrase, as sets (map and set()
    # keep the per-position work in C); most candidates fail at the second word.
    starts = set(decode(in_order[0][docnum][1]))
    for offset in range(1, len(in_order)):
        shifted = map(offset.__rsub__, decode(in_order[offset][docnum][1]))
        if offset == len(in_order) - 1:
            return not starts.isdisjoint(shifted)
        starts.intersection_update(shifted)
        if not starts:
            return False
    return bool(starts)


def _read_postings(matcher, wanted: list[int] | None) -> Postings:
    """The postings of one word, all of them or only those of the `wanted` documents
    (sorted), without the segment's deleted documents."""
    deleted: frozenset[int] | set[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = matcher._ids, matcher.child
    wanted_set = set(wanted) if wanted is not None else None
    found: Postings = {}
    for ids, weights, values in _blocks(matcher, wanted):
        for docnum, weight, value in zip(ids, weights, values, strict=True):
            if (wanted_set is None or docnum in wanted_set) and docnum not in deleted:
                found[docnum] = (weight, value)
    return found


def _blocks(matcher, wanted: list[int] | None) -> Iterator[tuple]:
    """(ids, weights, values) a block at a time, skipping blocks unread where no wanted
    document can be (a block's highest id is known before it is decompressed)."""
    if not isinstance(matcher, W3LeafMatcher):  # postings inlined in the term dictionary
        ids, weights, values = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
        yield ids, weights, values
        return
    previous_max = -1
    while matcher.is_active():
        block_max = matcher.block_max_id()
        if wanted is None or _any_between(wanted, previous_max, block_max):
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values
        previous_max = block_max
        matcher._next_block()


def _any_between(wanted: list[int], low: int, high: int) -> bool:
    """Whether a sorted list holds a number above `low` and at most `high`."""
    at = bisect.bisect_right(wanted, low)
    return at < len(wanted) and wanted[at] <= high


def _position_decoder(field_format) -> Callable[[bytes], Iterator[int]]:
    """Positions from a posting's value: Whoosh's own decoder, minus its per-position
    Python loop for the two formats our fields use."""
    kind = type(field_format)
    if kind is formats.Characters:  # codes are (position delta, start delta, length)
        return lambda value: accumulate(map(itemgetter(0), _codes(value)))
    if kind is formats.Positions:  # codes are position deltas
        return lambda value: accumulate(_codes(value))
    return field_format.decode_positions


def _codes(value: bytes) -> list:
    # As Whoosh's decoders: the pickle after the frequency, its stop byte restored.
    if not value.endswith(b"."):
        value += b"."
    return loads(value[_INT_SIZE:])
