"""Quoted phrases in the Whoosh index: the documents where the words stand one after another.

Whoosh checks a phrase document by document behind an intersection of matchers, about
30 µs per document that holds all the words, most of which turn out not to hold them in
order. Here each segment is answered at once:

1. the rarest word's postings name the candidate documents;
2. each other word's postings are read only in the blocks that may hold a candidate;
3. the candidates' positions are decoded and compared as integer sets;
4. the documents that pass are handed on as one list, with their scores worked out (the
   words' scores summed, as Whoosh's phrase does), and with each word as a term matcher
   so matched terms (for highlighting) are recorded as for Whoosh's phrase.

A phrase of frequent words is read from the index's word pairs instead (`pairs`):
two words are one pair's posting list, and longer phrases are checked by position only in
the documents that hold all their pairs. Such a phrase is scored as its pairs are: by how
often each pair stands in the document and how rare it is in the archive, as FTS5 and
Lucene score a phrase by its own frequency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import accumulate, pairwise
from operator import add, itemgetter
from pickle import loads

from whoosh import formats, matching, query
from whoosh.system import _INT_SIZE

from app.search.whoosh_backend.pairs import pair_text, pairs_of
from app.search.whoosh_backend.reading import Postings, read_postings
from app.search.whoosh_backend.scoring import scores_of


class AdjacentWords(query.Phrase):
    """A quoted phrase: its words one right after another (the parser's "...").

    Same documents as Whoosh's phrase query, and the same scores (the sum of the words')
    unless the phrase is read from word pairs; a phrase with slop ("a b"~5, NEAR) is
    still Whoosh's.
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
        pairs = pairs_of(searcher.schema, self.fieldname)
        if pairs is not None and pairs[1].covers(list(self.words)):
            pairs_name = pairs[0]
            if len(self.words) == 2:  # one pair: its own posting list
                found = query.Term(pairs_name, pair_text(*self.words)).matcher(searcher, context)
            else:
                found = _per_segment(
                    searcher,
                    lambda sub: pairs_matcher(sub, self.fieldname, pairs_name, btexts, weighting),
                )
        else:
            found = _per_segment(
                searcher, lambda sub: adjacent_matcher(sub, self.fieldname, btexts, weighting)
            )
        return matching.WrappingMatcher(found, boost=self.boost) if self.boost != 1 else found


def _per_segment(searcher, matcher_of) -> matching.Matcher:
    if searcher.is_atomic():
        return matcher_of(searcher)
    segments = searcher.subsearchers  # one matcher per segment, as Whoosh's postings does
    return matching.MultiMatcher(
        [matcher_of(sub) for sub, _ in segments], [offset for _, offset in segments]
    )


def adjacent_matcher(searcher, fieldname: str, btexts: list[bytes], weighting):
    """A matcher over the documents of this segment holding `btexts` in a row."""
    reader = searcher.reader()
    if any((fieldname, btext) not in reader for btext in btexts):
        return matching.NullMatcher()
    scorers = [weighting.scorer(searcher, fieldname, btext) for btext in btexts]
    in_order, candidates = _in_every_list(reader, fieldname, btexts, scorers, values=True)
    field_format = searcher.schema[fieldname].format
    decode = _position_decoder(field_format)
    matched = [docnum for docnum in candidates if _in_a_row(in_order, docnum, decode)]
    if not matched:
        return matching.NullMatcher()
    words = [
        ((fieldname, btext), [in_order[i][docnum][1] for docnum in matched])
        for i, btext in enumerate(btexts)
    ]
    return PhraseMatches(matched, _summed_scores(scorers, in_order, matched), words, field_format)


def pairs_matcher(searcher, fieldname: str, pairs_name: str, btexts: list[bytes], weighting):
    """A matcher over the documents of this segment holding `btexts` (three words or more,
    all frequent) in a row: those holding all the phrase's pairs, checked by position."""
    reader = searcher.reader()
    words = [btext.decode("utf-8") for btext in btexts]
    pairs = [pair_text(first, second).encode("utf-8") for first, second in pairwise(words)]
    if any((pairs_name, pair) not in reader for pair in pairs):
        return matching.NullMatcher()
    scorers = [weighting.scorer(searcher, pairs_name, pair) for pair in pairs]
    by_pair, candidates = _in_every_list(reader, pairs_name, pairs, scorers, values=False)
    if not candidates:
        return matching.NullMatcher()
    in_order = [read_postings(reader.postings(fieldname, btext), candidates) for btext in btexts]
    decode = _position_decoder(searcher.schema[fieldname].format)
    matched = [docnum for docnum in candidates if _in_a_row(in_order, docnum, decode)]
    if not matched:
        return matching.NullMatcher()
    return matching.ListMatcher(matched, weights=_summed_scores(scorers, by_pair, matched))


def _in_every_list(reader, fieldname, btexts, scorers, *, values: bool):
    """Each term's postings (in the terms' order) where every term stands, and the sorted
    documents holding them all. Rarest first: the shortest posting list picks the
    candidates, and each longer one is then read only where a candidate may be."""
    order = sorted(range(len(btexts)), key=lambda i: reader.doc_frequency(fieldname, btexts[i]))
    postings: dict[int, Postings] = {}
    candidates: list[int] | None = None
    for i in order:
        matcher = reader.postings(fieldname, btexts[i], scorer=scorers[i])
        postings[i] = read_postings(matcher, candidates, values=values)
        if candidates is None:
            candidates = sorted(postings[i])
        else:
            candidates = [docnum for docnum in candidates if docnum in postings[i]]
        if not candidates:
            return [], []
    return [postings[i] for i in range(len(btexts))], candidates


def _summed_scores(scorers, postings: list[Postings], matched: list[int]) -> list[float]:
    scores = None
    for scorer, term in zip(scorers, postings, strict=True):
        term_scores = scores_of(scorer, matched, [term[docnum][0] for docnum in matched])
        # Summed term by term, in the order Whoosh's intersection of the terms adds them.
        scores = term_scores if scores is None else list(map(add, scores, term_scores))
    return scores


class PhraseMatches(matching.ListMatcher):
    """The documents holding a phrase, each with its score (the sum of its words'), as one
    list: stepping through an intersection of one list per word cost a third of a phrase
    of common words. Its words are term matchers that follow it, so collectors that record
    which words each document matched (``terms=True``) find them all."""

    def __init__(self, ids, scores, words, field_format, position=0):
        super().__init__(ids, weights=scores, position=position)
        self._words = words
        self._format = field_format
        self._followers = [_FollowingWord(self, term, values) for term, values in words]

    def children(self):
        return self._followers

    def copy(self):
        return PhraseMatches(self._ids, self._weights, self._words, self._format, self._i)


class _FollowingWord(matching.ListMatcher):
    """One word of a phrase, standing where its phrase matcher stands."""

    def __init__(self, phrase: PhraseMatches, term, values):
        super().__init__(phrase._ids, values=values, format=phrase._format, term=term)
        self._phrase = phrase

    @property
    def _i(self):
        return self._phrase._i

    @_i.setter
    def _i(self, position):  # set by ListMatcher.__init__; the phrase owns the position
        pass


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
