"""The JSON twins of the pages, under /api/."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from app import queries
from app.models import Article, Quote, Speaker
from app.search.query import QueryError
from app.web.deps import IndexDep, SessionDep, SettingsDep
from app.web.errors import ERROR_RESPONSES, NotFound
from app.web.params import search_params_from
from app.web.results import SearchPage, run_from_query, run_quote_search, run_search
from app.web.schemas import QuotePageOut, SearchPageOut

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)


def _article_summary(article, request: Request) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "author": article.author,
        "publisher": article.publisher,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "permalink": str(request.url_for("article_page", slug=article.slug)),
    }


def _parameter(name: str, description: str, schema: dict, repeated: bool = False) -> dict:
    if repeated:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **({"style": "form", "explode": True} if repeated else {}),
    }


# The search routes read their parameters from the URL themselves (one parser for the
# page, its JSON twin, feeds and exports); declared here so the OpenAPI document and
# generated clients know them.
SEARCH_PARAMETERS = [
    _parameter(
        "q",
        'Words, "phrases", OR, NOT/-, field:word, prefix*, a NEAR b',
        {"type": "string", "maxLength": 500},
    ),
    _parameter("speaker", "Speaker slug (repeat to require several)", {"type": "string"}, True),
    _parameter("theme", "Theme slug", {"type": "string"}, True),
    _parameter("source", "Publisher slug", {"type": "string"}, True),
    _parameter(
        "year",
        "Year of publication (repeat for any of several)",
        {"type": "string", "pattern": "^[0-9]{4}$"},
        True,
    ),
    _parameter(
        "language",
        "Language of the article, ISO 639-1 (repeat for any of several)",
        {"type": "string", "pattern": "^[A-Za-z]{2,3}$"},
        True,
    ),
    _parameter("from", "Published on or after (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _parameter("to", "Published on or before (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _parameter(
        "sort", "Order of hits", {"type": "string", "enum": ["relevance", "newest", "oldest"]}
    ),
    _parameter("page", "Page number", {"type": "integer", "minimum": 1, "maximum": 1000}),
    _parameter("facet", "A facet to list in full", {"type": "string"}),
    _parameter(
        "facet_q",
        "With facet: only that facet's values whose name contains this (any case or accent)",
        {"type": "string", "maxLength": 100},
    ),
]
QUOTE_PARAMETERS = [
    *SEARCH_PARAMETERS,
    _parameter(
        "kind", "direct or reported", {"type": "string", "enum": ["direct", "reported"]}, True
    ),
]


def _facet_query(page) -> dict | None:
    found = page.facet_search
    if found is None or not found.q:
        return None
    return {"facet": found.facet, "q": found.q, "matches": found.matches}


@router.get(
    "/search", response_model=SearchPageOut, openapi_extra={"parameters": SEARCH_PARAMETERS}
)
def search_api(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
):
    """Search articles: the same parameters as /search; hits, total and facet counts."""
    try:
        page = run_from_query(
            request.query_params, session, archive_index, settings.page_size, run_search
        )
    except QueryError as error:
        return JSONResponse({"detail": str(error)}, status_code=400)
    return _page_json(
        page,
        [
            {
                **_article_summary(row.article, request),
                "snippet_html": row.snippet,
                # The paragraph matching most query words, and a link that lands on it.
                "paragraph": row.paragraph,
                "passage": f"{request.url_for('article_page', slug=row.article.slug)}"
                f"#p{row.paragraph}"
                if row.paragraph
                else None,
                "speakers": [s.slug for s in row.speakers],
                "themes": [t.slug for t in row.themes],
            }
            for row in page.rows
        ],
    )


def _page_json(page: SearchPage, hits: list[dict]) -> dict:
    """What every search answer holds around its hits: totals, timing, facets."""
    results, params = page.results, page.results.params
    return {
        "query": params.q,
        "total": results.total,
        "page": params.page,
        "pages": results.pages,
        "took_ms": round(results.took_ms, 2),
        # True when the search ran out of time: total and facets cover the matches found.
        "partial": results.partial,
        "suggestion": results.suggestion,
        "hits": hits,
        "facets": {
            name: [
                {
                    "value": v.value,
                    "label": v.label,
                    "count": v.count,
                    "selected": v.selected,
                    "url": v.url,  # the HTML page with this value toggled
                }
                for v in values
            ]
            for name, values in page.facets.items()
        },
        # How many values each facet has; ?facet=NAME lists every value of that facet.
        "facet_totals": page.facet_totals,
        # With ?facet=NAME&facet_q=TEXT, that facet lists every value matching TEXT.
        "facet_query": _facet_query(page),
    }


def quote_record(request: Request, quote: Quote, speaker: Speaker | None, article: Article) -> dict:
    """One quote as the API and feeds describe it: role and affiliation as given in that
    article (at the time), and its permalink."""
    permalink = f"{request.url_for('article_page', slug=article.slug)}#q{quote.position}"
    return {
        "id": quote.id,
        "text": quote.text,
        # direct: the speaker's words; reported: a paraphrase, never to be quoted as said.
        "kind": quote.kind,
        "speaker": speaker.slug if speaker else None,
        "speaker_name": speaker.name if speaker else None,
        "source": quote.source,  # how an unnamed source was described
        "role": quote.role,
        "affiliation": quote.affiliation,
        "position": quote.position,
        "paragraph": quote.paragraph,
        "permalink": permalink,
        "article": _article_summary(article, request),
    }


def _quote_page_json(request: Request, page: SearchPage) -> dict:
    return _page_json(
        page,
        [
            {
                **quote_record(request, row.quote, row.speaker, row.article),
                "snippet_html": row.snippet,
                "themes": [t.slug for t in row.themes],
            }
            for row in page.rows
        ],
    )


@router.get("/quotes", response_model=QuotePageOut, openapi_extra={"parameters": QUOTE_PARAMETERS})
def quotes_api(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
):
    """Search quotes: the parameters of /search plus `kind` (direct, reported); each hit
    is one quote with its speaker, role at the time, article and permalink."""
    try:
        page = run_from_query(
            request.query_params, session, archive_index, settings.page_size, run_quote_search
        )
    except QueryError as error:
        return JSONResponse({"detail": str(error)}, status_code=400)
    return _quote_page_json(request, page)


@router.get("/articles")
def articles_api(
    request: Request,
    session: SessionDep,
    # Out of range is a 422 that says so, not a silent clamp (or a 500 from SQLite).
    limit: Annotated[int, Query(ge=1, le=100, description="Articles per page.")] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Articles to skip.")] = 0,
):
    """The latest articles, newest first."""
    articles = queries.list_latest_articles(session, limit=limit, offset=offset)
    return {
        "total": queries.count_articles(session),
        "articles": [_article_summary(a, request) for a in articles],
    }


@router.get("/articles/{slug}")
def article_api(request: Request, slug: str, session: SessionDep):
    """One article with its text, speakers, quotes and themes."""
    article, _ = queries.get_article_by_slug(session, slug=slug)
    if article is None:
        raise NotFound(f"No article has the slug “{slug}”.")
    quotes = queries.list_article_quotes(session, article_id=article.id)
    return {
        **_article_summary(article, request),
        "language": article.language,
        "word_count": article.word_count,
        "paragraphs": [
            {"kind": kind, "text": text} for kind, text in queries.body_paragraphs(article.body)
        ],
        "quotes": [
            {
                "position": quote.position,
                "paragraph": quote.paragraph,
                "text": quote.text,
                "kind": quote.kind,
                "speaker": speaker.slug if speaker else None,
                "speaker_name": speaker.name if speaker else None,
                "role": quote.role,
                "affiliation": quote.affiliation,
                "source": quote.source,
            }
            for quote, speaker in quotes
        ],
        "themes": [
            {
                "slug": theme.slug,
                "name": theme.name,
                "score": link.score,
                "evidence": json.loads(link.evidence),
            }
            for link, theme in queries.list_article_themes(session, article_id=article.id)
        ],
    }


@router.get("/speakers")
def speakers_api(session: SessionDep):
    """Every speaker with article and quote counts."""
    return {
        "speakers": [
            {
                "slug": s.slug,
                "name": s.name,
                "role": s.role,
                "affiliation": s.affiliation,
                "aliases": queries.speaker_aliases(s),
                "articles": articles,
                "quotes": quotes,
            }
            for s, articles, quotes in queries.list_speakers(session)
        ]
    }


@router.get("/speakers/{slug}")
def speaker_api(
    request: Request,
    slug: str,
    session: SessionDep,
    archive_index: IndexDep,
    settings: SettingsDep,
):
    """One speaker and a page of their quotes: the parameters of the speaker page (`q`,
    `theme`, `year`, `kind`, `source`, `from`, `to`, `sort`, `page`), with facet counts."""
    speaker = queries.get_speaker_by_slug(session, slug=slug)
    if speaker is None:
        raise NotFound(f"No speaker has the slug “{slug}”.")
    try:
        params = search_params_from(request.query_params, page_size=settings.page_size)
        page = run_quote_search(
            session,
            archive_index,
            params,
            expand=request.query_params.get("facet"),
            facet_q=request.query_params.get("facet_q"),
            speaker=speaker.slug,
        )
    except QueryError as error:
        return JSONResponse({"detail": str(error)}, status_code=400)
    return {
        "slug": speaker.slug,
        "name": speaker.name,
        "role": speaker.role,
        "affiliation": speaker.affiliation,
        "aliases": queries.speaker_aliases(speaker),
        **_quote_page_json(request, page),
        "quotes": [quote_record(request, r.quote, r.speaker, r.article) for r in page.rows],
    }


@router.get("/themes")
def themes_api(session: SessionDep):
    """Every theme with its article count."""
    return {
        "themes": [
            {"slug": t.slug, "name": t.name, "description": t.description, "articles": count}
            for t, count in queries.list_themes(session)
        ]
    }


@router.get("/themes/{slug}")
def theme_api(request: Request, slug: str, session: SessionDep):
    """One theme with its articles (newest first) and the speakers most quoted on it."""
    theme = queries.get_theme_by_slug(session, slug=slug)
    if theme is None:
        raise NotFound(f"No theme has the slug “{slug}”.")
    return {
        "slug": theme.slug,
        "name": theme.name,
        "description": theme.description,
        "articles": [
            _article_summary(a, request)
            for a in queries.list_theme_articles(session, theme_id=theme.id, limit=200)
        ],
        "speakers": [
            {"slug": s.slug, "name": s.name, "quotes": count}
            for s, count in queries.list_theme_speakers(session, theme_id=theme.id)
        ],
    }
