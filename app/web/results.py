"""A search as pages and the API show it: index hits joined with their database rows."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, select
from starlette.datastructures import QueryParams

from app import queries
from app.models import Article, Quote, Speaker, Theme
from app.search.backend import SearchBackend
from app.search.results import SearchParams, SearchResults
from app.slugs import publisher_slug
from app.web.params import (
    ActiveFilter,
    FacetValue,
    Removal,
    active_filters,
    facet_values,
    filter_removals,
    query_pairs,
    search_params_from,
    search_url,
    with_changes,
)

FACET_TITLES = {
    "speakers": "Speaker",
    "themes": "Theme",
    "sources": "Source",
    "years": "Year",
    "languages": "Language",
}
QUOTE_FACET_TITLES = {**FACET_TITLES, "kinds": "Kind"}
KIND_LABELS = {"direct": "Direct quote", "reported": "Reported speech"}
# Names of the languages the archive detects or Whoosh stems; other codes show as they are.
LANGUAGE_LABELS = {
    "ar": "Arabic",
    "da": "Danish",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "hu": "Hungarian",
    "it": "Italian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
}
# Values shown per facet; `?facet=speakers` shows every value of that one. A common word
# matches thousands of speakers, and a link for each made the page 360 KB.
FACET_LIMIT = 50
# `facet_q` longer than this is not a name being looked up.
FACET_QUERY_LENGTH = 100
_INDEX_FIELD = {
    "speakers": "speakers",
    "themes": "themes",
    "sources": "source",
    "years": "year",
    "languages": "language",
    "kinds": "kind",
}


@dataclass
class ResultRow:
    article: Article
    snippet: str
    speakers: list[Speaker]
    themes: list[Theme]
    paragraph: int | None = None  # the best-matching paragraph: the hit links to #p<n>


@dataclass
class QuoteRow:
    quote: Quote
    speaker: Speaker | None  # None: unattributed, `quote.source` says who
    article: Article
    snippet: str
    themes: list[Theme]

    @property
    def anchor(self) -> str:
        return f"q{self.quote.position}"


@dataclass
class SearchPage:
    results: SearchResults
    rows: list[ResultRow] | list[QuoteRow]
    facets: dict[str, list[FacetValue]]
    facet_totals: dict[str, int]
    expand_urls: dict[str, str]
    relaxed: Relaxed | None = None
    filters: list[ActiveFilter] = field(default_factory=list)
    clear_filters_url: str | None = None
    # The form that looks up values of one facet among all of them (`facet`, `facet_q`).
    facet_search: FacetSearch | None = None


@dataclass
class FacetSearch:
    """A look-up among every value of one facet: `?facet=speakers&facet_q=leh`."""

    base: str  # where the form goes: /search, /quotes or a speaker page
    hidden: list[tuple[str, str]]  # the search's own parameters, kept by the form
    facet: str | None  # the facet looked up, if any
    q: str
    matches: int  # values of that facet matching `q`
    clear_url: str  # the search without the look-up


@dataclass
class Relaxed:
    """For an empty result: the search without its most restrictive filter."""

    label: str
    url: str
    total: int


def facet_labels(
    session: Session, results: SearchResults, shown: dict[str, list[tuple[str, int]]]
) -> dict[str, dict[str, str]]:
    speaker_slugs = [value for value, _ in shown.get("speakers", [])]
    speaker_slugs += results.params.speakers
    labels: dict[str, dict[str, str]] = {
        "speakers": {},
        "themes": {},
        "sources": {},
        "years": {},
        "languages": dict(LANGUAGE_LABELS),
        "kinds": dict(KIND_LABELS),
    }
    if speaker_slugs:
        rows = session.exec(
            select(Speaker.slug, Speaker.name).where(Speaker.slug.in_(speaker_slugs))
        )
        labels["speakers"] = dict(rows.all())
    labels["themes"] = dict(session.exec(select(Theme.slug, Theme.name)).all())
    for publisher in session.exec(select(Article.publisher).distinct()).all():
        if publisher:
            labels["sources"][publisher_slug(publisher)] = publisher
    return labels


def shown_counts(
    params: SearchParams, attribute: str, counts: list[tuple[str, int]], expand: str | None
) -> list[tuple[str, int]]:
    """The facet values to show: the most frequent ones, plus every chosen one."""
    if expand == attribute:
        shown = counts
    else:
        shown = counts[:FACET_LIMIT]
        chosen = set(getattr(params, attribute)) - {value for value, _ in shown}
        shown = shown + [(value, count) for value, count in counts if value in chosen]
    if attribute == "years":  # a timeline reads in order, newest first, not by count
        shown = sorted(shown, key=lambda item: item[0], reverse=True)
    return shown


def matches_facet_query(needle: str, *texts: str) -> bool:
    """Whether a value (its label or its slug) contains the typed text, ignoring case and
    accents: "ost" finds "Ada Ostrova", "muller" finds "Hanne Müller"."""
    folded = _fold(needle)
    return any(folded in _fold(text) for text in texts)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def run_from_query(
    query: QueryParams,
    session: Session,
    archive_index: SearchBackend,
    page_size: int,
    run: Callable[..., SearchPage],
) -> SearchPage:
    """`run_search` or `run_quote_search` with the parameters of a page's or the API's
    query string. Raises QueryError."""
    params = search_params_from(query, page_size=page_size)
    return run(
        session, archive_index, params, expand=query.get("facet"), facet_q=query.get("facet_q")
    )


def run_search(
    session: Session,
    archive_index: SearchBackend,
    params: SearchParams,
    expand: str | None = None,
    facet_q: str | None = None,
) -> SearchPage:
    results = archive_index.search(params, lambda ids: queries.load_bodies(session, ids=ids))
    ids = [hit.article_id for hit in results.hits]
    articles = queries.list_articles_by_ids(session, ids=ids)
    speakers_of: dict[int, list[Speaker]] = {i: [] for i in ids}
    if ids:
        statement = (
            select(Quote.article_id, Speaker)
            .join(Speaker, Speaker.id == Quote.speaker_id)
            .where(Quote.article_id.in_(ids))
            .distinct()
        )
        for article_id, speaker in session.exec(statement):
            if speaker not in speakers_of[article_id]:
                speakers_of[article_id].append(speaker)
    themes_of = queries.list_themes_by_article(session, ids=ids)
    rows = []
    for hit in results.hits:
        article = articles.get(hit.article_id)
        if article is None:  # the index is ahead of this session's snapshot
            continue
        rows.append(
            ResultRow(
                article,
                hit.snippet,
                speakers_of[hit.article_id],
                themes_of[article.id],
                hit.paragraph,
            )
        )
    return _with_facets(
        session, archive_index, results, rows, FACET_TITLES, expand, "/search", facet_q=facet_q
    )


def run_quote_search(
    session: Session,
    archive_index: SearchBackend,
    params: SearchParams,
    expand: str | None = None,
    facet_q: str | None = None,
    *,
    speaker: str | None = None,
) -> SearchPage:
    """A quote search joined with its rows. With `speaker`, the search of one speaker's
    page: that speaker is fixed (not a facet, not in the links, which point to the page)."""
    if speaker:
        scoped = SearchParams(**{**params.__dict__, "speakers": [speaker]})
        base = f"/speakers/{speaker}"
        titles = {name: title for name, title in QUOTE_FACET_TITLES.items() if name != "speakers"}
    else:
        scoped, base, titles = params, "/quotes", QUOTE_FACET_TITLES
    results = archive_index.search_quotes(
        scoped, lambda ids: queries.load_quote_texts(session, ids=ids)
    )
    rows = quote_rows(session, results)
    return _with_facets(
        session,
        archive_index,
        results,
        rows,
        titles,
        expand,
        base,
        link_params=params,
        facet_q=facet_q,
    )


def list_quote_rows(
    session: Session, archive_index: SearchBackend, params: SearchParams
) -> SearchPage:
    """A page of quotes without facets or labels: for pages that only list a few."""
    results = archive_index.search_quotes(
        params, lambda ids: queries.load_quote_texts(session, ids=ids)
    )
    return SearchPage(results, quote_rows(session, results), {}, {}, {})


def quote_rows(session: Session, results: SearchResults) -> list[QuoteRow]:
    found = queries.list_quotes_by_ids(session, ids=[hit.quote_id for hit in results.hits])
    themes_of = queries.list_themes_by_article(
        session, ids=sorted({article.id for _, _, article in found.values()})
    )
    rows = []
    for hit in results.hits:
        if hit.quote_id not in found:  # the index is ahead of this session's snapshot
            continue
        quote, by, article = found[hit.quote_id]
        rows.append(QuoteRow(quote, by, article, hit.snippet, themes_of[article.id]))
    return rows


def _with_facets(
    session: Session,
    archive_index: SearchBackend,
    results: SearchResults,
    rows: list,
    titles: dict[str, str],
    expand: str | None,
    base: str,
    link_params: SearchParams | None = None,
    facet_q: str | None = None,
) -> SearchPage:
    params = link_params or results.params
    counts = {attribute: results.facets.get(_INDEX_FIELD[attribute], []) for attribute in titles}
    looked_up = (facet_q or "").strip()[:FACET_QUERY_LENGTH] if expand in counts else ""
    if looked_up:
        # Every value of the facet is a candidate, not only the 50 most frequent.
        every = facet_labels(session, results, {expand: counts[expand]})[expand]
        counts[expand] = [
            (value, count)
            for value, count in counts[expand]
            if matches_facet_query(looked_up, every.get(value, value), value)
        ]
    totals = {
        attribute: len(results.facets.get(_INDEX_FIELD[attribute], [])) for attribute in titles
    }
    shown = {
        attribute: shown_counts(params, attribute, values, expand)
        for attribute, values in counts.items()
    }
    labels = facet_labels(session, results, shown)
    facets = {
        attribute: facet_values(params, attribute, shown[attribute], labels[attribute], base)
        for attribute in titles
    }
    base_url = search_url(params, base)
    joiner = "&" if "?" in base_url else "?"
    expand_urls = {attribute: f"{base_url}{joiner}facet={attribute}" for attribute in titles}
    relaxed = None
    if results.total == 0 and base in ("/search", "/quotes"):
        relaxed = most_restrictive(
            archive_index, filter_removals(params, labels), quotes=base == "/quotes", base=base
        )
    chips, clear_url = active_filters(params, labels, base)
    return SearchPage(
        results=results,
        rows=rows,
        facets=facets,
        facet_totals=totals,
        expand_urls=expand_urls,
        relaxed=relaxed,
        filters=chips,
        clear_filters_url=clear_url,
        facet_search=FacetSearch(
            base=base,
            hidden=query_pairs(with_changes(params)),
            facet=expand if expand in counts else None,
            q=looked_up,
            matches=len(counts[expand]) if looked_up else 0,
            clear_url=base_url,
        ),
    )


def most_restrictive(
    archive_index: SearchBackend,
    removals: list[Removal],
    budget_seconds: float = 1.0,
    *,
    quotes: bool = False,
    base: str = "/search",
) -> Relaxed | None:
    """The filter whose removal brings back the most results (None if none does).

    A hint, not an answer: it stops trying filters once its time budget is spent.
    """
    best = None
    deadline = time.monotonic() + budget_seconds
    for removal in removals:
        if time.monotonic() > deadline:
            break
        total = archive_index.count(removal.params, quotes=quotes)
        if total and (best is None or total > best.total):
            best = Relaxed(removal.label, search_url(removal.params, base), total)
    return best
