"""The shapes /api/search and /api/quotes return, so the OpenAPI document describes them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ArticleSummaryOut(BaseModel):
    slug: str
    title: str
    author: str | None
    publisher: str | None
    published: str | None = Field(description="ISO 8601 date and time, or null if undated")
    url: str | None = Field(description="Where the article was published, when known")
    permalink: str


class FacetValueOut(BaseModel):
    value: str
    label: str
    count: int
    selected: bool
    url: str = Field(description="The HTML page with this value toggled")


class FacetQueryOut(BaseModel):
    facet: str | None = Field(description="The facet looked up (?facet=NAME)")
    q: str = Field(description="The text looked up among its values (?facet_q=)")
    matches: int


class PageOut(BaseModel):
    query: str | None
    total: int
    page: int
    pages: int
    took_ms: float
    partial: bool = Field(
        description="The search ran out of time: total and facets cover the matches found"
    )
    suggestion: str | None = Field(description="A spelling from the index's own words")
    facets: dict[str, list[FacetValueOut]]
    facet_totals: dict[str, int] = Field(
        description="How many values each facet has; ?facet=NAME lists all of one"
    )
    facet_query: FacetQueryOut | None = Field(
        default=None, description="The look-up among one facet's values, when asked"
    )


class SearchHitOut(ArticleSummaryOut):
    snippet_html: str = Field(description="Escaped text with <mark> around matched words")
    paragraph: int | None = Field(description="The paragraph matching most query words")
    passage: str | None = Field(description="A link that lands on that paragraph")
    speakers: list[str]
    themes: list[str]


class SearchPageOut(PageOut):
    hits: list[SearchHitOut]


class QuoteOut(BaseModel):
    id: int
    text: str
    kind: Literal["direct", "reported"] = Field(
        description="direct: the speaker's words; reported: a paraphrase, never to be quoted"
    )
    speaker: str | None = Field(description="Speaker slug; null for an unnamed source")
    speaker_name: str | None
    source: str | None = Field(description="How an unnamed source was described")
    role: str | None = Field(description="The speaker's role as given in that article")
    affiliation: str | None
    position: int
    paragraph: int
    permalink: str
    article: ArticleSummaryOut


class QuoteHitOut(QuoteOut):
    snippet_html: str = Field(description="Escaped text with <mark> around matched words")
    themes: list[str]


class QuotePageOut(PageOut):
    hits: list[QuoteHitOut]
