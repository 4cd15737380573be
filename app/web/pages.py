"""HTML pages: home, search, article, speakers, themes and the API reference."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app import queries
from app.models import Article
from app.search.query import QueryError
from app.search.results import SearchParams
from app.web import citations
from app.web.charts import Bucket, bucket_dates, build_chart
from app.web.deps import CachedDep, IndexDep, SessionDep, SettingsDep
from app.web.errors import NotFound
from app.web.feeds import speech_text
from app.web.links import article_link, site_link
from app.web.names import surname_initial, surname_key
from app.web.params import (
    csv_url,
    feed_url,
    numbered_links,
    page_links,
    quotes_csv_url,
    quotes_feed_url,
    quotes_url,
    search_params_from,
    search_url,
    with_changes,
)
from app.web.results import (
    FACET_TITLES,
    KIND_LABELS,
    QUOTE_FACET_TITLES,
    list_quote_rows,
    run_from_query,
    run_quote_search,
    run_search,
)

# HTML pages are for people; the OpenAPI document describes the API, feeds and exports.
router = APIRouter(include_in_schema=False)

SPEAKERS_PER_PAGE = 100
RELATED_LIMIT = 5  # articles on the related-articles page
SPEAKER_SORTS = {
    "name": ("surname", lambda row: (surname_key(row[0].name), row[0].name.lower())),
    "quotes": ("most quoted", lambda row: (-row[2], row[0].name.lower())),
    "articles": ("most articles", lambda row: (-row[1], row[0].name.lower())),
}


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: SessionDep, cached: CachedDep) -> HTMLResponse:
    speakers = cached(
        "top-speakers",
        lambda: sorted(queries.list_speakers(session), key=lambda row: -row[2])[:12],
    )
    themes = cached("themes", lambda: queries.list_themes(session))
    return render(
        request,
        "home.html",
        latest=queries.list_latest_articles(session, limit=10),
        speakers=speakers,
        themes=[row for row in themes if row[1]],
        total=queries.count_articles(session),
        feed=feed_url(SearchParams()),
    )


@dataclass(frozen=True)
class _Listing:
    """What differs between the two search pages: articles, and quotes."""

    template: str
    run: Callable[..., object]  # run_search or run_quote_search
    url: Callable[[SearchParams], str]
    feed: Callable[[SearchParams], str]
    csv: Callable[[SearchParams], str]
    base: str
    facet_titles: dict[str, str]
    links: Callable[[SearchParams], dict]  # to the other page, and labels of its own


_ARTICLES = _Listing(
    template="search.html",
    run=run_search,
    url=search_url,
    feed=feed_url,
    csv=csv_url,
    base="/search",
    facet_titles=FACET_TITLES,
    links=lambda params: {"quotes_search": quotes_url(with_changes(params))},
)
_QUOTES = _Listing(
    template="quotes.html",
    run=run_quote_search,
    url=quotes_url,
    feed=quotes_feed_url,
    csv=quotes_csv_url,
    base="/quotes",
    facet_titles=QUOTE_FACET_TITLES,
    links=lambda params: {
        "kind_labels": KIND_LABELS,
        "articles_url": search_url(with_changes(params, kinds=[])),
    },
)


def _listing_page(request: Request, session, archive_index, settings, listing: _Listing):
    try:
        page = run_from_query(
            request.query_params, session, archive_index, settings.page_size, listing.run
        )
    except QueryError as error:
        return render(
            request,
            listing.template,
            status_code=400,
            error=str(error),
            q=request.query_params.get("q", ""),
            params=None,
            page=None,
        )
    results, params = page.results, page.results.params
    suggestion = results.suggestion
    return render(
        request,
        listing.template,
        q=params.q,
        params=params,
        page=page,
        facet_titles=listing.facet_titles,
        pages=page_links(params, results.pages, base=listing.base),
        suggestion_url=listing.url(with_changes(params, q=suggestion)) if suggestion else None,
        feed=listing.feed(params),
        csv=listing.csv(params),
        sorts=[
            (name, listing.url(with_changes(params, sort=name)), name == params.sort)
            for name in ("relevance", "newest", "oldest")
        ],
        first=(params.page - 1) * params.page_size + 1,
        last_page_url=listing.url(with_changes(params, page=results.pages)),
        error=None,
        **listing.links(params),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
) -> HTMLResponse:
    return _listing_page(request, session, archive_index, settings, _ARTICLES)


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
) -> HTMLResponse:
    """Quote search: every hit is one thing someone said, linked to its place."""
    return _listing_page(request, session, archive_index, settings, _QUOTES)


def json_ld_article(article: Article, permalink: str, speakers: list[dict], settings) -> dict:
    """schema.org NewsArticle, for link previews and citation managers."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": permalink,
        "mainEntityOfPage": permalink,
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
    }
    if article.published:
        data["datePublished"] = article.published.isoformat()
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    if article.publisher:
        data["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.language:
        data["inLanguage"] = article.language
    if article.url:
        data["isBasedOn"] = article.url
    if article.summary:
        data["description"] = article.summary
    if speakers:
        data["mentions"] = [{"@type": "Person", "name": e["speaker"].name} for e in speakers]
    return data


@router.get("/articles/{slug}", response_class=HTMLResponse)
def article_page(
    request: Request,
    slug: str,
    session: SessionDep,
    archive_index: IndexDep,
    settings: SettingsDep,
):
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
    blocks = queries.body_paragraphs(article.body)
    permalink = article_link(settings, article.slug)
    work = citations.work_of(article, permalink, datetime.now(UTC).date(), settings.site_name)
    quoted_paragraphs = {quote.paragraph: quote.position for quote, _ in quotes}
    marks = _matched_passages(archive_index, request.query_params.get("q", ""), blocks, quotes)
    return render(
        request,
        "article.html",
        article=article,
        blocks=blocks,
        quoted_paragraphs=quoted_paragraphs,
        speakers=list(speakers.values()),
        unattributed=[quote for quote, speaker in quotes if speaker is None],
        themes=themes,
        snapshots=queries.list_snapshots(session, article_id=article.id),
        permalink=permalink,
        description=article.summary or queries.body_plain_text(article.body)[:280],
        json_ld=json_ld_article(article, permalink, list(speakers.values()), settings),
        citation_text=citations.plain(work),
        citation_bibtex=citations.bibtex(work),
        **marks,
    )


@router.get("/articles/{slug}/related", response_class=HTMLResponse)
def related_page(request: Request, slug: str, session: SessionDep, archive_index: IndexDep):
    """The articles that share an article's distinctive words. Its own page rather than
    part of the article's: on a first view it is the one part that reads the search index
    (a few hundred milliseconds when the index is on disk, against ~10 ms for the rest),
    so the article page shows its text at once and its script fetches this list after."""
    article, moved = queries.get_article_by_slug(session, slug=slug)
    if article is None:
        raise NotFound(f"No article has the address “{slug}”.")
    if moved:
        return RedirectResponse(request.url_for("related_page", slug=article.slug), 301)
    related_ids = archive_index.more_like_this(
        article.id, queries.body_plain_text(article.body), limit=RELATED_LIMIT
    )
    found = queries.list_articles_by_ids(session, ids=related_ids)
    return render(
        request,
        "related.html",
        article=article,
        related=[found[i] for i in related_ids if i in found],
    )


PASSAGE_KINDS = {"p": "paragraph", "q": "quote"}


@router.get("/articles/{slug}/{kind}/{number}", response_class=HTMLResponse)
def passage_page(
    request: Request, slug: str, kind: str, number: str, session: SessionDep, settings: SettingsDep
):
    """One paragraph (`/p/13`) or quote (`/q/9`) at its own address, so that a shared link
    previews that passage; the page shows it and leads to its place in the article."""
    if kind not in PASSAGE_KINDS:
        raise NotFound("There is no page at this address.")
    article, moved = queries.get_article_by_slug(session, slug=slug)
    if article is None:
        raise NotFound(f"No article has the address “{slug}”.")
    if moved:
        return RedirectResponse(f"/articles/{article.slug}/{kind}/{number}", 301)
    blocks = queries.body_paragraphs(article.body)
    quotes = queries.list_article_quotes(session, article_id=article.id)
    index = int(number) if number.isascii() and number.isdigit() else 0
    article_url = request.url_for("article_page", slug=article.slug).path
    quote, speaker, text = None, None, ""
    if kind == "p" and 1 <= index <= len(blocks):
        text = blocks[index - 1][1]
    elif kind == "q":
        quote, speaker = next(((q, s) for q, s in quotes if q.position == index), (None, None))
    if not text and quote is None:
        count = len(blocks) if kind == "p" else len(quotes)
        raise NotFound(
            f"“{article.title}” has no {PASSAGE_KINDS[kind]} {number}: it has {count}"
            f" {PASSAGE_KINDS[kind]}{'' if count == 1 else 's'}.",
            link=(f"Read “{article.title}”", article_url),
        )
    if quote is not None:
        who = speaker.name if speaker else (quote.source or "An unnamed source")
        title = f"{who}, in “{article.title}”"
        description = f"{who} {speech_text(quote)}"
    else:
        quoted = [s.name for q, s in quotes if s is not None and q.paragraph == index]
        who = ", ".join(dict.fromkeys(quoted)) or article.author or article.publisher
        title = f"{article.title}, ¶{index}" + (f" ({who})" if who else "")
        description = text
    return render(
        request,
        "passage.html",
        article=article,
        kind=kind,
        number=index,
        text=text,
        quote=quote,
        speaker=speaker,
        passage_title=title,
        description=description[:500],
        permalink=site_link(settings, f"/articles/{article.slug}/{kind}/{index}"),
        article_permalink=article_link(settings, article.slug),
        target=f"{article_url}#{kind}{index}",
    )


def _matched_passages(archive_index, q: str, blocks, quotes) -> dict:
    """For an article opened from a search (`?q=`): its paragraphs and quotes with the
    matched words marked, and where the first match is. A query that cannot be run marks
    nothing and says why."""
    q = q.strip()
    empty = {
        "q": q,
        "block_marks": [],
        "quote_marks": {},
        "first_match": None,
        "match_count": 0,
        "q_error": None,
    }
    if not q:
        return empty
    texts = [text for _, text in blocks] + [quote.text for quote, _ in quotes]
    try:
        marked = archive_index.highlight_passages(q, texts)
    except QueryError as error:
        return {**empty, "q_error": str(error)}
    block_marks = marked[: len(blocks)]
    quote_marks = {
        quote.id: html
        for (quote, _), html in zip(quotes, marked[len(blocks) :], strict=True)
        if html
    }
    first = next((i + 1 for i, html in enumerate(block_marks) if html), None)
    return {
        **empty,
        "block_marks": block_marks,
        "quote_marks": quote_marks,
        "first_match": first,
        "match_count": sum(1 for html in block_marks if html),
    }


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(
    request: Request,
    session: SessionDep,
    cached: CachedDep,
    sort: str = "name",
    q: str = "",
    letter: str = "",
    page: str = "1",
) -> HTMLResponse:
    """Every speaker: by surname, most quoted or most articles; a name filter, A–Z, pages."""
    if sort not in SPEAKER_SORTS:
        sort = "name"
    every = cached("speakers", lambda: queries.list_speakers(session))
    letters = sorted({surname_initial(row[0].name) for row in every} - {""})
    letter = letter.upper()[:1] if letter.upper()[:1] in letters else ""
    needle = q.strip().lower()
    rows = [
        row
        for row in every
        if (not letter or surname_initial(row[0].name) == letter)
        and (
            not needle
            or needle in row[0].name.lower()
            or any(needle in alias.lower() for alias in queries.speaker_aliases(row[0]))
        )
    ]
    rows.sort(key=SPEAKER_SORTS[sort][1])
    pages = max(1, -(-len(rows) // SPEAKERS_PER_PAGE))
    number = min(int(page), pages) if page.isascii() and page.isdigit() and int(page) else 1

    def url_of(**changes) -> str:
        state = {"sort": sort, "q": q, "letter": letter, "page": 1, **changes}
        defaults = {"sort": "name", "page": 1}  # left out: one address per listing state
        pairs = {k: v for k, v in state.items() if v and defaults.get(k) != v}
        return "/speakers" + (f"?{urlencode(pairs)}" if pairs else "")

    start = (number - 1) * SPEAKERS_PER_PAGE
    return render(
        request,
        "speakers.html",
        speakers=rows[start : start + SPEAKERS_PER_PAGE],
        total=len(rows),
        first=start + 1,
        sort=sort,
        q=q,
        letter=letter,
        sort_links=[
            (name, label, url_of(sort=name), name == sort)
            for name, (label, _) in SPEAKER_SORTS.items()
        ],
        letter_links=[(initial, url_of(letter=initial), initial == letter) for initial in letters],
        all_letters_url=url_of(letter=""),
        pages=numbered_links(number, pages, lambda n: url_of(page=n)),
    )


def _chart_link(params: SearchParams, base: str):
    def link(bucket: Bucket) -> str:
        if bucket.year:
            return search_url(with_changes(params, years=[bucket.year]), base)
        start = datetime(bucket.start.year, bucket.start.month, bucket.start.day, tzinfo=UTC)
        end = datetime(bucket.end.year, bucket.end.month, bucket.end.day, tzinfo=UTC)
        return search_url(with_changes(params, date_from=start, date_to=end), base)

    return link


def _time_chart(
    dates: list[datetime], params: SearchParams, base: str = "/search", noun: str = "article"
):
    return build_chart(bucket_dates(dates), _chart_link(params, base), noun=noun)


# A chart by month needs every matching quote's date; it is drawn by month only when they
# all fall in one year, and a speaker has hundreds of quotes a year, not millions.
CHART_QUOTES = 10_000


def _quote_chart(session, archive_index, results, params: SearchParams, speaker: str):
    """The speaker page's chart of its matching quotes: by year from the search's own year
    counts (so the chart and the facets agree), by month from their dates within one year."""
    page_path = f"/speakers/{speaker}"
    by_year = {int(year): count for year, count in results.facets.get("year", []) if count}
    if len(by_year) > 1:
        buckets = [
            Bucket(str(y), date(y, 1, 1), date(y, 12, 31), str(y), by_year.get(y, 0))
            for y in range(min(by_year), max(by_year) + 1)
        ]
        link = _chart_link(params, page_path)
        return build_chart(buckets, link, noun="quote")
    scoped = with_changes(params, speakers=[speaker])
    ids = archive_index.ranked_ids(scoped, CHART_QUOTES, quotes=True)
    dates = queries.list_quote_dates(session, ids=ids)
    return _time_chart(dates, params, base=page_path, noun="quote")


@router.get("/speakers/{slug}", response_class=HTMLResponse)
def speaker_page(
    request: Request,
    slug: str,
    session: SessionDep,
    archive_index: IndexDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """What a speaker said: their quotes searchable and filtered by theme, year, kind,
    source and date, a page at a time, with a chart of the same quotes over time."""
    speaker = queries.get_speaker_by_slug(session, slug=slug)
    if speaker is None:
        raise NotFound(f"No speaker has the address “{slug}”.")
    page_path = f"/speakers/{speaker.slug}"
    quote_count, article_count = queries.count_speaker_quotes(session, speaker_id=speaker.id)
    error, page, chart = None, None, None
    try:
        params = search_params_from(request.query_params, page_size=settings.page_size)
        params.speakers = []  # the page's speaker is fixed
        page = run_quote_search(
            session,
            archive_index,
            params,
            expand=request.query_params.get("facet"),
            facet_q=request.query_params.get("facet_q"),
            speaker=speaker.slug,
        )
        chart = _quote_chart(session, archive_index, page.results, params, speaker.slug)
    except QueryError as message:
        params, error = SearchParams(), str(message)
    filtered = bool(
        params.q
        or params.themes
        or params.sources
        or params.years
        or params.languages
        or params.kinds
        or params.date_from
        or params.date_to
    )
    return render(
        request,
        "speaker.html",
        status_code=400 if error else 200,
        error=error,
        speaker=speaker,
        aliases=queries.speaker_aliases(speaker),
        quote_count=quote_count,
        article_count=article_count,
        roles=queries.list_speaker_roles(session, speaker_id=speaker.id),
        params=params,
        page=page,
        q=params.q,
        filtered=filtered,
        facet_titles=QUOTE_FACET_TITLES,
        pages=page_links(params, page.results.pages, base=page_path) if page else [],
        first=(params.page - 1) * params.page_size + 1,
        chart=chart,
        page_path=page_path,
        search=search_url(SearchParams(speakers=[speaker.slug])),
        quotes_search=quotes_url(with_changes(params, speakers=[speaker.slug])),
        csv=quotes_csv_url(with_changes(params, speakers=[speaker.slug])),
        # Without words the page is newest first; "relevance" then means the same.
        sorts=[
            (name, search_url(with_changes(params, sort=name), page_path), name == params.sort)
            for name in (("relevance", "newest", "oldest") if params.q else ("newest", "oldest"))
        ],
        # A theme tag on a quote filters the page by that theme, like its facet link.
        theme_links={value.value: value.url for value in page.facets["themes"]} if page else {},
        feed=search_url(with_changes(params, sort="relevance"), f"{page_path}/feed"),
        api=search_url(params, f"/api/speakers/{speaker.slug}"),
    )


@router.get("/themes", response_class=HTMLResponse)
def themes_page(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "themes.html", themes=queries.list_themes(session))


# Quotes shown on a theme page; the rest are a link to /quotes?theme=…
THEME_QUOTES = 5


@router.get("/themes/{slug}", response_class=HTMLResponse)
def theme_page(
    request: Request,
    slug: str,
    session: SessionDep,
    cached: CachedDep,
    archive_index: IndexDep,
) -> HTMLResponse:
    theme = queries.get_theme_by_slug(session, slug=slug)
    if theme is None:
        raise NotFound(f"No theme has the address “{slug}”.")
    base = SearchParams(themes=[theme.slug])
    # Newest first means sorting every quote of a broad theme: once per index generation.
    quotes = cached(
        ("theme-quotes", theme.id),
        lambda: list_quote_rows(
            session, archive_index, SearchParams(themes=[theme.slug], page_size=THEME_QUOTES)
        ),
    )
    dates = cached(
        ("theme-dates", theme.id),
        lambda: queries.list_theme_article_dates(session, theme_id=theme.id),
    )
    return render(
        request,
        "theme.html",
        theme=theme,
        articles=queries.list_theme_articles(session, theme_id=theme.id),
        article_count=cached(
            ("theme-count", theme.id),
            lambda: queries.count_theme_articles(session, theme_id=theme.id),
        ),
        speakers=cached(
            ("theme-speakers", theme.id),
            lambda: queries.list_theme_speakers(session, theme_id=theme.id),
        ),
        chart=_time_chart(dates, base),
        search=search_url(base),
        quotes=quotes,
        quotes_search=quotes_url(base),
        feed=f"/themes/{theme.slug}/feed",
    )


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The API reference, rendered from the OpenAPI schema (no CDN script, strict CSP)."""
    schema = request.app.openapi()
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        (p["name"], p.get("in", ""), p.get("required", False))
                        for p in operation.get("parameters", [])
                    ],
                    "tag": (operation.get("tags") or ["other"])[0],
                }
            )
    return render(
        request, "docs.html", endpoints=endpoints, base=site_link(settings, "/"), schema=schema
    )
