"""Pairs of neighbouring frequent words in the article body, so that a phrase of frequent
words is read from one posting list instead of checked position by position.

Checking a phrase costs about 20 µs for each document that holds all its words. For two
words in most of the archive ("government policy" at 100,000 articles) that was 2 s, most
of it decoding positions; the pair "govern polici" has a posting list of its own.

Indexing every pair cost three times the writer's time for the whole index (each article
holds about 750 distinct pairs, mostly in no other article). Only pairs of *frequent*
words are indexed, because only those phrases have many candidates: the words in at least
`FREQUENT_SHARE` of the documents of the first batch an index is built from (at most
`MOST_WORDS`). They are chosen once, kept in the index's schema, and never change for that
index, so every segment holds the pairs of the same words and merges stay complete; a
`reindex` chooses them again from the archive as it is by then. A phrase with a word
outside them is checked position by position (`phrases`), as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from whoosh import formats
from whoosh.fields import FieldType, Schema
from whoosh.system import pack_uint

from app.search.whoosh_backend.fused import postings_and_sequence

# Measured on the bench corpus (5,000 articles, `bench.experiments.index_batches`): the
# writer's index time grew by 7 % with the 262 words in a fifth of the articles, 37 % with
# the 487 in a tenth and 200 % with the 2,120 in a fiftieth. A phrase whose rarer word is
# in under a tenth of the archive has few enough candidates to check by position.
FREQUENT_SHARE = 0.10
MOST_WORDS = 600
# A word in one document of a small first batch says nothing about its frequency.
FEWEST_DOCUMENTS = 2
# `rebuild` chooses the words from this many documents before it writes any.
SAMPLE_DOCUMENTS = 5_000


class WordPairs(FieldType):
    """The pairs of neighbouring words of another field (`source`) whose words are both
    among `words`, each pair one term ("govern polici") with its frequency.

    Given an `Analysed` text, its postings are the source's word sequence (an extraction
    worker's, which does not know this index's words); given a plain text, it analyses it.
    """

    def __init__(self, source: str, analyzer):
        super().__init__(formats.Frequency(), analyzer, scorable=True)
        self.source = source
        self.words: frozenset[str] | None = None  # None: not chosen yet (an empty index)

    def index(self, value, **kwargs):
        sequence = getattr(value, "postings", None)
        if sequence is None:
            sequence = word_sequence(self.analyzer, value)
        return pair_postings(sequence, self.words or frozenset())

    def covers(self, words: list[str]) -> bool:
        """Whether a phrase of these (analysed) words can be read from the pairs."""
        return bool(self.words) and len(words) > 1 and all(w in self.words for w in words)


def pair_text(first: str, second: str) -> str:
    return f"{first} {second}"  # the analyser never leaves a space inside a word


def pair_postings(sequence: list[str], words: frozenset[str]) -> list[tuple]:
    """Postings as `FieldType.index` gives them: (term bytes, frequency, weight, value)."""
    counts = Counter(
        pair_text(first, second)
        for first, second in pairwise(sequence)
        if first in words and second in words
    )
    return [
        (pair.encode("utf-8"), count, float(count), pack_uint(count))
        for pair, count in counts.items()
    ]


def word_sequence(analyzer, text: str) -> list[str]:
    """The words of a text in order, as the index sees them (stop words are left out and
    the words after them renumbered, so neighbours in this list are neighbours to phrases)."""
    return [token.text for token in analyzer(text) if not token.stopped]


def analyse_with_sequence(field: FieldType, text: str) -> tuple[list[tuple], list[str]]:
    """`list(field.index(text))` and the text's word sequence, from one analysis: the
    tokens are recorded on their way into the field's format (or both come from the
    analyser run in one pass, `fused`)."""
    both = postings_and_sequence(field, text)
    if both is not None:
        return both
    sequence: list[str] = []

    def recording(value, **kwargs):
        for token in field.analyzer(value, **kwargs):
            if not token.stopped:
                sequence.append(token.text)
            yield token

    postings = [
        (word.encode("utf-8"), frequency, weight, encoded)
        for word, frequency, weight, encoded in field.format.word_values(
            text, recording, mode="index"
        )
    ]
    return postings, sequence


def pairs_of(schema: Schema, source: str) -> tuple[str, WordPairs] | None:
    """The pairs field built from `source`, with its name, if the schema has one."""
    for name, field in schema.items():
        if isinstance(field, WordPairs) and field.source == source:
            return name, field
    return None


def frequent_words(sequences: Iterable[list[str]]) -> frozenset[str]:
    """The words in at least FREQUENT_SHARE of these documents (and in FEWEST_DOCUMENTS),
    the MOST_WORDS most frequent of them; ties go alphabetically, so the choice depends on
    the documents alone."""
    held_by: Counter[str] = Counter()
    documents = 0
    for sequence in sequences:
        held_by.update(set(sequence))
        documents += 1
    least = max(FEWEST_DOCUMENTS, FREQUENT_SHARE * documents)
    frequent = sorted((-count, word) for word, count in held_by.items() if count >= least)
    return frozenset(word for _, word in frequent[:MOST_WORDS])
