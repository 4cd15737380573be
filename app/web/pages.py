"""HTML pages: home, search, article, speakers and themes."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app import queries
from app.search import QueryError
from app.web.deps import IndexDep, SessionDep, SettingsDep
from app.web.errors import NotFound
from app.web.params import page_links, search_params_from, search_url, with_changes
from app.web.results import FACET_TITLES, run_search

router = APIRouter()


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: SessionDep) -> HTMLResponse:
    speakers = sorted(queries.list_speakers(session), key=lambda row: -row[2])[:12]
    return render(
        request,
        "home.html",
        latest=queries.list_latest_articles(session, limit=10),
        speakers=speakers,
        themes=[row for row in queries.list_themes(session) if row[1]],
        total=queries.count_articles(session),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
) -> HTMLResponse:
    try:
        params = search_params_from(request.query_params, page_size=settings.page_size)
        page = run_search(session, archive_index, params)
    except QueryError as error:
        return render(
            request,
            "search.html",
            status_code=400,
            error=str(error),
            q=request.query_params.get("q", ""),
            page=None,
        )
    results = page.results
    return render(
        request,
        "search.html",
        q=params.q,
        params=params,
        page=page,
        facet_titles=FACET_TITLES,
        pages=page_links(params, results.pages),
        suggestion_url=search_url(with_changes(params, q=results.suggestion))
        if results.suggestion
        else None,
        error=None,
    )


@router.get("/articles/{slug}", response_class=HTMLResponse)
def article_page(request: Request, slug: str, session: SessionDep):
    article, moved = queries.get_article_by_slug(session, slug=slug)
    if article is None:
        raise NotFound(f"No article has the address “{slug}”.")
    if moved:
        return RedirectResponse(request.url_for("article_page", slug=article.slug), 301)
    quotes = queries.list_article_quotes(session, article_id=article.id)
    speakers: dict[int, dict] = {}
    for quote, speaker in quotes:
        if speaker is not None:
            entry = speakers.setdefault(speaker.id, {"speaker": speaker, "quotes": []})
            entry["role"] = entry.get("role") or quote.role
            entry["affiliation"] = entry.get("affiliation") or quote.affiliation
            entry["quotes"].append(quote)
    themes = [
        (theme, link.score, json.loads(link.evidence))
        for link, theme in queries.list_article_themes(session, article_id=article.id)
    ]
    return render(
        request,
        "article.html",
        article=article,
        blocks=queries.body_paragraphs(article.body),
        speakers=list(speakers.values()),
        unattributed=[quote for quote, speaker in quotes if speaker is None],
        themes=themes,
        snapshots=queries.list_snapshots(session, article_id=article.id),
    )


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, session: SessionDep) -> HTMLResponse:
    rows = sorted(queries.list_speakers(session), key=lambda row: row[0].name.lower())
    return render(request, "speakers.html", speakers=rows)


@router.get("/speakers/{slug}", response_class=HTMLResponse)
def speaker_page(request: Request, slug: str, session: SessionDep) -> HTMLResponse:
    speaker = queries.get_speaker_by_slug(session, slug=slug)
    if speaker is None:
        raise NotFound(f"No speaker has the address “{slug}”.")
    return render(
        request,
        "speaker.html",
        speaker=speaker,
        aliases=queries.speaker_aliases(speaker),
        quotes=queries.list_speaker_quotes(session, speaker_id=speaker.id),
    )


@router.get("/themes", response_class=HTMLResponse)
def themes_page(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "themes.html", themes=queries.list_themes(session))


@router.get("/themes/{slug}", response_class=HTMLResponse)
def theme_page(request: Request, slug: str, session: SessionDep) -> HTMLResponse:
    theme = queries.get_theme_by_slug(session, slug=slug)
    if theme is None:
        raise NotFound(f"No theme has the address “{slug}”.")
    return render(
        request,
        "theme.html",
        theme=theme,
        articles=queries.list_theme_articles(session, theme_id=theme.id),
    )
