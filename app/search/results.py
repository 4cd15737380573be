"""What every search backend is given and answers: documents to index, the search asked,
and its results."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

# Quotes are direct or reported speech.
KINDS = ("direct", "reported")
# Values per filter: a URL repeating one filter a thousand times is not a search.
MAX_FILTER_VALUES = 20


@dataclass(frozen=True)
class QuoteDocument:
    """One quote of an article, as the quote index needs it."""

    quote_id: int
    text: str
    kind: str  # direct | reported
    speaker_names: list[str]  # name and aliases, or the stated source when unattributed
    speaker_slug: str | None


@dataclass(frozen=True)
class IndexDocument:
    """What the index needs of one article; built from database rows by the caller."""

    article_id: int
    title: str
    body: str
    speaker_names: list[str]
    speaker_slugs: list[str]
    theme_names: list[str]
    theme_slugs: list[str]
    publisher: str | None
    source_slug: str | None
    author: str | None
    published: datetime | None
    quotes: tuple[QuoteDocument, ...] = ()
    language: str | None = None  # ISO 639-1 ("de"), as the article declares or we detect


@dataclass
class SearchParams:
    q: str = ""
    speakers: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # quote searches only
    date_from: datetime | None = None
    date_to: datetime | None = None
    sort: str = "relevance"  # relevance | newest | oldest
    page: int = 1
    page_size: int = 10


@dataclass
class Hit:
    article_id: int
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    # The paragraph (1-based, as the article page numbers them) matching most query words.
    paragraph: int | None = None


@dataclass
class QuoteHit:
    quote_id: int
    article_id: int
    score: float
    snippet: str  # HTML: the whole quote, escaped, with <mark> around matched words


@dataclass
class SearchResults:
    params: SearchParams
    total: int
    hits: list[Hit] | list[QuoteHit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    took_ms: float
    # The search ran out of time: total, facets and hits cover what was found until then.
    partial: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.page_size))


SORTS = ("relevance", "newest", "oldest")
