"""BM25F scores with each segment's field lengths read once, not once per match.

Whoosh's BM25F asks the segment for a document's field length at every match: a seek
and a one-byte read in its column file, behind four Python calls. On a common word that
was a third of a search. Here a scorer reads the segment's whole length column once
(one byte per document), keeps it as long as the segment's reader lives, and turns the
length byte into BM25's length normalisation through a 256-entry table. Scores are the
same floats as Whoosh's: the same expression, evaluated in the same order.
"""

from __future__ import annotations

import threading
from weakref import WeakKeyDictionary

from whoosh import matching, scoring
from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length

_lengths_by_reader: WeakKeyDictionary = WeakKeyDictionary()
_lock = threading.Lock()


class ArchiveBM25F(scoring.BM25F):
    """Whoosh's BM25F (same parameters, same scores), faster on segment readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Normalisation tables by (avgfl, B, K1): a query expanding to many words builds
        # a scorer per word and segment, and they share their field's table.
        self._norms: dict[tuple[float, float, float], list[float]] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        plain = super().scorer(searcher, fieldname, text, qf=qf)
        if not isinstance(plain, scoring.BM25FScorer):
            return plain  # an unscorable field: Whoosh's weight-only scorer
        lengths = segment_field_lengths(searcher.reader(), fieldname)
        return plain if lengths is None else self._tabled(plain, lengths)

    def found_word_scorer(self, segment, fieldname: str, text: str):
        """`scorer(segment, fieldname, text)` for a caller that has already found the word
        in the segment: the same scores, without looking the word up again for the bound
        on its scores, which only skipping matchers use."""
        lengths = segment_field_lengths(segment.reader(), fieldname)
        if not segment.schema[fieldname].scorable or lengths is None:
            return self.scorer(segment, fieldname, text)
        plain = scoring.BM25FScorer.__new__(scoring.BM25FScorer)
        parent = segment.get_parent()
        plain.idf = parent.idf(fieldname, text)
        plain.avgfl = parent.avg_field_length(fieldname) or 1
        plain.B = self._field_B.get(fieldname, self.B)
        plain.K1 = self.K1
        plain.qf = 1
        return self._tabled(plain, lengths)

    def _tabled(self, plain: scoring.BM25FScorer, lengths: bytes) -> TabledBM25FScorer:
        key = (plain.avgfl, plain.B, plain.K1)
        if key not in self._norms:
            self._norms[key] = length_norms(*key)
        return TabledBM25FScorer(plain, lengths, self._norms[key])


def word_scorer(searcher, segment, fieldname: str, text: str):
    """The searcher's scorer of a word already found in the segment (see
    `ArchiveBM25F.found_word_scorer`); other weightings score as usual."""
    weighting = searcher.weighting
    if isinstance(weighting, ArchiveBM25F):
        return weighting.found_word_scorer(segment, fieldname, text)
    return weighting.scorer(segment, fieldname, text)


def length_norms(avgfl: float, B: float, K1: float) -> list[float]:
    """BM25's length normalisation for each length byte."""
    # bm25() is idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))).
    return [K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(256)]


class TabledBM25FScorer(scoring.BM25FScorer):
    """A BM25FScorer whose length normalisation comes from a per-byte table."""

    def __init__(self, plain: scoring.BM25FScorer, lengths: bytes, norms: list[float]):
        self.__dict__.update(plain.__dict__)
        self._lengths = lengths
        self._idf = self.idf
        self._tf_scale = self.K1 + 1
        self._norms = norms

    def score(self, matcher):
        tf = matcher.weight()
        return self._idf * ((tf * self._tf_scale) / (tf + self._norms[self._lengths[matcher.id()]]))

    def scores(self, docnums: list[int], weights: list[float]) -> list[float]:
        """`score` for many postings at once (a phrase's words)."""
        idf, scale, norms, lengths = self._idf, self._tf_scale, self._norms, self._lengths
        return [
            idf * ((tf * scale) / (tf + norms[lengths[docnum]]))
            for docnum, tf in zip(docnums, weights, strict=True)
        ]


def scores_of(scorer, docnums: list[int], weights: list[float]) -> list[float]:
    """The scorer's score of each of one word's postings in a segment, without a matcher
    stepping through them where the scorer is ours."""
    if isinstance(scorer, TabledBM25FScorer):
        return scorer.scores(docnums, weights)
    postings = matching.ListMatcher(docnums, weights=weights, scorer=scorer)
    found = []
    while postings.is_active():
        found.append(postings.score())
        postings.next()
    return found


def segment_field_lengths(reader, fieldname: str) -> bytes | None:
    """The length byte of every document of one segment's field (0 where absent), read
    once per reader; None for readers that are not one Whoosh 3 segment."""
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, whoosh3.W3PerDocReader):
        return None
    try:
        by_field = _lengths_by_reader[perdoc]
    except KeyError:
        with _lock:
            by_field = _lengths_by_reader.setdefault(perdoc, {})
    if fieldname not in by_field:
        by_field[fieldname] = _read_length_column(perdoc, fieldname)
    return by_field[fieldname]


def _read_length_column(perdoc, fieldname: str) -> bytes | None:
    column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return None
    # A fixed-width column of one byte per document; its file stops at the last document
    # with a length, and the rest default to 0, as Whoosh's reader returns them.
    stored = bytes(column._dbfile.get(column._basepos, column._count))
    return stored + bytes(perdoc.doc_count_all() - len(stored))
