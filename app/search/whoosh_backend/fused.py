"""The index's stemming analyser in one pass, for the postings of a text.

Whoosh runs each word through a chain of generators (tokenizer, lowercase, accent
folding, stop words, stemmer), each setting attributes on a shared token, and the
field's format then collects the positions per word. An extraction worker spent more
time so analysing an article's texts for the index than extracting the article.
`FusedStemmer` does the same work in one loop over the tokenizer's matches, with a plain
dict as the stemmer's cache, and gives the postings `FieldType.index` gives, byte for
byte (the format's own `encode` writes the positions).

Only the chain `archive_index._folded_stemmer` builds is taken apart, with the settings
read from the analyser itself, and only for the Positions and Characters formats; and a
keyword field's tokenizer and lowercase filter (`FusedKeywords`). For any other field
`field_postings` lets Whoosh analyse.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import formats
from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import FieldType
from whoosh.system import pack_uint

# Stems remembered; past this the cache starts again (Whoosh's own cache kept 50,000).
CACHE_WORDS = 200_000
# (term, position, start character, end character) of each indexed word of a text.
Token = tuple[str, int, int, int]


class FusedStemmer:
    """What `RegexTokenizer | LowercaseFilter | CharsetFilter | StopFilter | StemFilter`
    makes of a text, in one loop."""

    def __init__(self, analyzer: CompositeAnalyzer):
        tokenizer, _, charset, stop, stem = analyzer.items
        self._finditer = tokenizer.expression.finditer
        self._charmap = charset.charmap
        # Lowercasing keeps an ASCII text's length, so such a text is lowercased whole;
        # and if folding changes no lowercase ASCII character (checked), its words skip it.
        self._ascii_unfolded = all(
            chr(code).lower() != chr(code) or self._charmap[code] in (code, chr(code))
            for code in range(128)
            if code in self._charmap
        )
        self._stops, self._min, self._max = stop.stops, stop.min, stop.max
        self._renumber = stop.renumber
        self._stemfn: Callable[[str], str] = stem.stemfn
        self._ignore = stem.ignore
        self._stems: dict[str, str] = {}

    @staticmethod
    def fits(analyzer) -> bool:
        """Whether the analyser is exactly the chain this class knows how to run."""
        if not isinstance(analyzer, CompositeAnalyzer) or len(analyzer.items) != 5:
            return False
        kinds = (RegexTokenizer, LowercaseFilter, CharsetFilter, StopFilter, StemFilter)
        if any(type(item) is not kind for item, kind in zip(analyzer.items, kinds, strict=True)):
            return False
        tokenizer, stem = analyzer.items[0], analyzer.items[4]
        return not tokenizer.gaps and stem.lang is None

    def tokens(self, text: str) -> list[Token]:
        found: list[Token] = []
        stops, least, most, charmap = self._stops, self._min, self._max, self._charmap
        stems, renumber = self._stems, self._renumber
        kept = None  # StopFilter's renumbering: the first kept word keeps its position
        plain = self._ascii_unfolded and text.isascii()
        for position, match in enumerate(self._finditer(text.lower() if plain else text)):
            word = match.group() if plain else match.group().lower().translate(charmap)
            if len(word) < least or (most is not None and len(word) > most) or word in stops:
                continue
            kept = position if kept is None or not renumber else kept + 1
            term = stems.get(word)
            if term is None:
                if len(stems) >= CACHE_WORDS:
                    stems.clear()
                term = stems[word] = word if word in self._ignore else self._stemfn(word)
            found.append((term, kept, match.start(), match.end()))
        return found

    def postings(self, format_: formats.Format, found: list[Token]) -> list[tuple]:
        """(term bytes, frequency, weight, encoded value) per term, in order of first
        appearance, as `FieldType.index` gives them for these formats."""
        chars = type(format_) is formats.Characters
        seen: dict[str, list] = {}
        for term, position, start, end in found:
            entry = (position, start, end) if chars else position
            known = seen.get(term)
            if known is None:
                seen[term] = [entry]
            else:
                known.append(entry)
        boost = format_.field_boost
        encode = format_.encode
        return [
            (term.encode("utf-8"), len(entries), float(len(entries)) * boost, encode(entries))
            for term, entries in seen.items()
        ]


class FusedKeywords:
    """What `RegexTokenizer | LowercaseFilter` (a keyword field: the article's distinct
    words for "did you mean") makes of a text, with a Frequency format's postings."""

    def __init__(self, analyzer: CompositeAnalyzer):
        self._findall = analyzer.items[0].expression.findall

    @staticmethod
    def fits(analyzer) -> bool:
        if not isinstance(analyzer, CompositeAnalyzer) or len(analyzer.items) != 2:
            return False
        tokenizer, lowercase = analyzer.items
        return (
            type(tokenizer) is RegexTokenizer
            and not tokenizer.gaps
            and tokenizer.expression.groups == 0  # findall gives whole matches
            and type(lowercase) is LowercaseFilter
        )

    def postings(self, format_: formats.Format, text: str) -> list[tuple]:
        counts: dict[str, int] = {}
        for word in self._findall(text):
            word = word.lower()
            counts[word] = counts.get(word, 0) + 1
        boost = format_.field_boost
        return [
            (word.encode("utf-8"), count, float(count) * boost, pack_uint(count))
            for word, count in counts.items()
        ]


_FORMATS = (formats.Positions, formats.Characters)
# Each field object seen, with its fused analysers (None: Whoosh analyses). Keyed by id,
# holding the field so that the id is not reused; schemas live as long as a process.
_fused: dict[int, tuple[FieldType, FusedStemmer | None, FusedKeywords | None]] = {}


def _fuse(field: FieldType) -> tuple[FieldType, FusedStemmer | None, FusedKeywords | None]:
    known = _fused.get(id(field))
    if known is None:
        analyzer, kind = field.analyzer, type(field.format)
        stems = kind in _FORMATS and FusedStemmer.fits(analyzer)
        keywords = kind is formats.Frequency and FusedKeywords.fits(analyzer)
        known = _fused[id(field)] = (
            field,
            FusedStemmer(analyzer) if stems else None,
            FusedKeywords(analyzer) if keywords else None,
        )
    return known


def fused_for(field: FieldType) -> FusedStemmer | FusedKeywords | None:
    _, stemmer, keywords = _fuse(field)
    return stemmer or keywords


def field_postings(field: FieldType, text: str) -> list[tuple]:
    """`list(field.index(text))`, in one pass where the field's analyser allows."""
    _, stemmer, keywords = _fuse(field)
    if stemmer is not None:
        return stemmer.postings(field.format, stemmer.tokens(text))
    if keywords is not None:
        return keywords.postings(field.format, text)
    return list(field.index(text))


def postings_and_sequence(field: FieldType, text: str) -> tuple[list[tuple], list[str]] | None:
    """The postings and the word sequence (`pairs`) from one pass, or None where the
    field's analyser cannot be fused."""
    stemmer = _fuse(field)[1]
    if stemmer is None:
        return None
    found = stemmer.tokens(text)
    return stemmer.postings(field.format, found), [term for term, *_ in found]
