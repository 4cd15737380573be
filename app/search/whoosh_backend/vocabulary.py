"""The archive's written words for "did you mean": each word once a segment, with its count.

The `words` field holds every distinct word of an article's title and body, unstemmed, so
that spelling suggestions can tell a known word and rank close ones by how many articles
use them. Given to Whoosh as a field of every document, it was a posting per word and
article: 357 an article in the bench's corpus, a fifth of all the postings a bulk load
writes. Nothing reads those postings, only the words and their counts. So a batch writes
each of its words once, on the first document that has it, with the number of the
batch's documents that have it as the posting's weight: `reader.frequency("words", w)` is
the number of articles using `w`, as `doc_frequency` was in an index written before.

A merge drops the postings of deleted documents: if the document carrying a word's
posting is replaced, that batch's count of the word goes at the next merge (the word
stays known wherever another batch has it).
"""

from __future__ import annotations

from collections import Counter

from whoosh.fields import Schema
from whoosh.system import pack_uint

from app.search.whoosh_backend.postings import Analysed

VOCABULARY = "words"


class BatchVocabulary:
    """The words of one writer's batch, held back from its documents until the commit."""

    def __init__(self, schema: Schema):
        self.field = schema[VOCABULARY] if VOCABULARY in schema else None  # noqa: SIM401 (no Schema.get)
        self.first: dict[bytes, int] = {}  # word -> the first document that has it
        self.counts: Counter[bytes] = Counter()

    def take(self, fields: dict, docnum: int) -> dict:
        """The document's fields without its words, which are counted for document `docnum`."""
        if self.field is None or VOCABULARY not in fields:
            return fields
        value = fields.pop(VOCABULARY)
        postings = value.postings if isinstance(value, Analysed) else self.field.index(value)
        words = [tbytes for tbytes, *_ in postings]
        for word in words:
            self.first.setdefault(word, docnum)
        self.counts.update(words)
        return fields

    def write(self, writer) -> None:
        """Give the batch's words to the writer's postings; before the writer commits."""
        for word, count in self.counts.items():
            writer.pool.add((VOCABULARY, word, self.first[word], float(count), pack_uint(count)))
        self.first, self.counts = {}, Counter()
