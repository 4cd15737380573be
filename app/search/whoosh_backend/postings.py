"""Postings worked out before the Whoosh writer needs them, so that the single writer
does less of the work of ingestion.

Whoosh's writer analyses every field of every document itself: tokenising, stemming and
encoding positions took 40 % of the index time of a bulk load, all of it in the one
process that must also write the database. A field of the types below also accepts an
`Analysed` text, which carries the postings that its analysis would give. Two things use
this:
- An extraction worker analyses an article's own texts (title, body and quotes) while the
  writer stores earlier articles (`prepare`, in `archive_index`).
- The writer analyses a value once per batch when many documents repeat it, such as a
  quote's article title or the theme names.

A cached result is found by the exact text, so if a text changed on its way to the index
the writer just analyses it again. Postings are a pure function of the field and the
text, so the index is the same either way.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Mapping

from whoosh.fields import KEYWORD, TEXT, Schema

from app.search.whoosh_backend.fused import field_postings
from app.search.whoosh_backend.pairs import analyse_with_sequence, pairs_of

# (field name, text) -> what `field.index(text)` gives: (term bytes, frequency, weight,
# encoded positions) tuples; for a pairs field, the text's word sequence.
Postings = dict[tuple[str, str], list[tuple]]


class Analysed(str):
    """A field's text along with the postings its analysis gives."""

    postings: list[tuple]

    def __new__(cls, text: str, postings: list[tuple]) -> Analysed:
        self = super().__new__(cls, text)
        self.postings = postings
        return self

    def __reduce__(self):
        return (str, (str(self),))  # stored or pickled, it is the plain text


class _TakesAnalysed:
    def index(self, value, **kwargs):
        if isinstance(value, Analysed):
            return value.postings
        return super().index(value, **kwargs)


class AnalysedText(_TakesAnalysed, TEXT):
    """Whoosh's TEXT, taking postings worked out earlier."""


class AnalysedKeyword(_TakesAnalysed, KEYWORD):
    """Whoosh's KEYWORD, taking postings worked out earlier."""


def takes_analysed(schema: Schema, name: str) -> bool:
    """Whether this field accepts `Analysed` text: an index built by an older version does
    not, and it analyses the text itself."""
    field = schema[name] if name in schema else None  # noqa: SIM401 (no Schema.get)
    return isinstance(field, _TakesAnalysed) and not field.stored


def analyse(schema: Schema, fields: Mapping[str, object], names: Iterable[str]) -> Postings:
    """The postings of the named text fields of one document. A field with a pairs field
    (`pairs`) built from the same text also gives that field its word sequence,
    from the same analysis."""
    found: Postings = {}
    for name in names:
        value = fields.get(name)
        if not (isinstance(value, str) and value and takes_analysed(schema, name)):
            continue
        pairs = pairs_of(schema, name)
        if pairs is None or fields.get(pairs[0]) != value:
            found[(name, value)] = field_postings(schema[name], value)
        else:
            found[(name, value)], found[(pairs[0], value)] = analyse_with_sequence(
                schema[name], value
            )
    return found


def pack(article: Postings, quotes: Postings) -> bytes:
    """One article's postings for both indexes, ready to cross a process boundary.

    Compressed: the pickle was 47 KB for 6 KB of text, and the ingest pipeline holds a
    whole index batch of them until the database has committed their articles.
    """
    return zlib.compress(pickle.dumps((article, quotes), protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(packed: bytes) -> tuple[Postings, Postings]:
    article, quotes = pickle.loads(zlib.decompress(packed))
    return article, quotes


class PostingsReuse:
    """Postings for one writer's batch: those a worker prepared for a document, and those
    of the fields that many documents repeat, worked out once."""

    def __init__(self, schema: Schema, repeated: Iterable[str]):
        self.schema = schema
        self.repeated = frozenset(name for name in repeated if takes_analysed(schema, name))
        self.known: Postings = {}
        self.prepared = 0  # texts whose prepared postings were used, for tests and profiles

    def fields(self, fields: dict, prepared: Postings | None = None) -> dict:
        """The document's fields, with the texts whose postings are known as `Analysed`."""
        out = dict(fields)
        for name, value in fields.items():
            if not isinstance(value, str) or not value:
                continue
            postings = prepared.get((name, value)) if prepared else None
            if postings is not None:
                self.prepared += 1
            elif (postings := self.known.get((name, value))) is not None:
                pass
            elif name in self.repeated:
                postings = self.known[(name, value)] = field_postings(self.schema[name], value)
            else:
                continue
            out[name] = Analysed(value, postings)
        return out
