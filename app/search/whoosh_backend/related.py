"""The best documents for an OR of weighted words, from the words' postings.

Related articles ask for the documents best matching an article's distinctive words.
Whoosh's searcher answers that by stepping a matcher per word and segment through every
posting, which was most of an article page's first view at 100,000 articles (55 ms at
p95). Here each word's postings are read a block at a time (`reading`) and the
scores summed per document, with the arithmetic and in the order of Whoosh's preloaded
union (`PreloadedOr`), so the documents, their scores and their order are Whoosh's.
"""

from __future__ import annotations

import heapq
from math import log

from whoosh import scoring

from app.search.whoosh_backend.reading import found_postings, read_postings
from app.search.whoosh_backend.scoring import scores_of, word_scorer


def largest_segments_first(searcher) -> list:
    """The readers of the searcher's segments, the most documents first."""
    readers = (
        [searcher.reader()]
        if searcher.is_atomic()
        else [s.reader() for s, _ in searcher.subsearchers]
    )
    return sorted(readers, key=lambda reader: -reader.doc_count_all())


def held_by_up_to(readers: list, fieldname: str, text: str, limit: int) -> int:
    """How many documents hold `text` (its document frequency), or, once the count
    passes `limit`, the count so far: a number above `limit` then, not the total.

    Related articles leave out words held by more than a twentieth of the archive, which
    are nearly all of an article's most frequent words; counting each in every segment
    (20 at 100,000 articles) was four fifths of the related articles' time on a page's
    first view."""
    held_by = 0
    for reader in readers:
        held_by += reader.doc_frequency(fieldname, text)
        if held_by > limit:
            break
    return held_by


def idf_of_counted(searcher, fieldname: str, text: str, held_by: int) -> float:
    """`searcher.idf(fieldname, text)` for a word whose document count is known exactly.

    Whoosh's idf counts the word again in every segment; with the count in hand it is
    worked out here, and kept in the searcher's own idf cache so the word's scorers
    (`best_documents`) find it there too."""
    if type(searcher.weighting).idf is not scoring.WeightingModel.idf:
        return searcher.idf(fieldname, text)  # a weighting with its own idf
    idf = log(searcher.doc_count_all() / (held_by + 1)) + 1  # as WeightingModel.idf
    searcher._idf_cache[(fieldname, text)] = idf
    return idf


def best_documents(
    searcher, fieldname: str, words: list[tuple[str, float]], limit: int
) -> list[tuple[int, float]]:
    """(document number, score) of the `limit` best documents holding any of `words`
    ((text, boost) pairs), best first and, at equal scores, lower numbers first: the top
    of `searcher.search(PreloadedOr([Term(fieldname, text, boost=boost), ...]))`."""
    field = searcher.schema[fieldname]
    segments = [(searcher, 0)] if searcher.is_atomic() else searcher.subsearchers
    totals: dict[int, float] = {}
    for segment, offset in segments:
        reader = segment.reader()
        for text, boost in words:
            btext = field.to_bytes(text)
            matcher = found_postings(reader, fieldname, btext)
            if matcher is None:
                continue
            scorer = word_scorer(searcher, segment, fieldname, text)
            postings = read_postings(matcher, values=False)
            docnums = list(postings)
            weights = [weight for weight, _ in postings.values()]
            for docnum, score in zip(docnums, scores_of(scorer, docnums, weights), strict=True):
                docnum += offset
                # As Whoosh's array union: 0.0 plus each word's boosted score in turn.
                totals[docnum] = totals.get(docnum, 0.0) + score * boost
    return heapq.nsmallest(limit, totals.items(), key=lambda item: (-item[1], item[0]))
