"""Downloads and crawler files: CSV of a search, citations, sitemap.xml and robots.txt."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from app import queries
from app.search.query import QueryError
from app.web import citations
from app.web.deps import IndexDep, SessionDep, SettingsDep
from app.web.errors import ERROR_RESPONSES, NotFound
from app.web.links import article_link, site_link
from app.web.params import export_name, search_params_from

router = APIRouter(tags=["exports"], responses=ERROR_RESPONSES)

CSV_LIMIT = 10_000
CSV_COLUMNS = [
    "title",
    "publisher",
    "author",
    "published",
    "speakers",
    "themes",
    "permalink",
    "original_url",
    "slug",
]
QUOTE_CSV_COLUMNS = [
    "speaker",
    "role",
    "affiliation",
    "kind",
    "quote",
    "article",
    "publisher",
    "published",
    "permalink",
    "speaker_slug",
    "source",
]
# Several names or themes in one cell, in a form spreadsheets split easily.
JOINER = "; "
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_response(out: io.StringIO, filename: str) -> Response:
    # A byte-order mark: spreadsheet programs then read UTF-8 (curly quotes, accents)
    # instead of guessing a legacy encoding.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


@router.get("/search.csv", response_class=Response)
def search_csv(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
) -> Response:
    """Every hit of a search (up to 10,000) as CSV, in the search's order."""
    try:
        params = search_params_from(request.query_params, page_size=settings.page_size)
        ids = archive_index.ranked_ids(params, CSV_LIMIT)
    except QueryError as error:
        return PlainTextResponse(str(error), status_code=400)
    found = queries.list_articles_by_ids(session, ids=ids)
    speakers = queries.list_speaker_names_by_article(session, ids=ids)
    themes = queries.list_themes_by_article(session, ids=ids)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for article_id in ids:
        article = found.get(article_id)
        if article is None:
            continue
        row = [
            article.title,
            article.publisher or "",
            article.author or "",
            article.published.strftime("%Y-%m-%d") if article.published else "",
            JOINER.join(speakers.get(article_id, [])),
            JOINER.join(theme.name for theme in themes.get(article_id, [])),
            article_link(settings, article.slug),
            article.url or "",
            article.slug,
        ]
        writer.writerow([_csv_cell(cell) for cell in row])
    return _csv_response(out, export_name("articles", params, _today()))


@router.get("/quotes.csv", response_class=Response)
def quotes_csv(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
) -> Response:
    """Every quote of a quote search (up to 10,000) as CSV, in the search's order."""
    try:
        params = search_params_from(request.query_params, page_size=settings.page_size)
        ids = archive_index.ranked_ids(params, CSV_LIMIT, quotes=True)
    except QueryError as error:
        return PlainTextResponse(str(error), status_code=400)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(QUOTE_CSV_COLUMNS)
    found: dict = {}
    for start in range(0, len(ids), 500):  # SQLite limits the parameters of one query
        found.update(queries.list_quotes_by_ids(session, ids=ids[start : start + 500]))
    for quote_id in ids:
        if quote_id not in found:
            continue
        quote, speaker, article = found[quote_id]
        row = [
            speaker.name if speaker else "",
            quote.role or "",
            quote.affiliation or "",
            quote.kind,
            quote.text,
            article.title,
            article.publisher or "",
            article.published.strftime("%Y-%m-%d") if article.published else "",
            article_link(settings, article.slug, f"q{quote.position}"),
            speaker.slug if speaker else "",
            quote.source or "",
        ]
        writer.writerow([_csv_cell(cell) for cell in row])
    return _csv_response(out, export_name("quotes", params, _today()))


@router.get("/articles/{slug}/cite.{fmt}", response_class=Response)
def article_citation(
    request: Request, slug: str, fmt: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The article's citation as BibTeX (bib), RIS (ris), CSL-JSON (json) or text (txt)."""
    if fmt not in citations.FORMATS:
        raise NotFound(f"Citations come as {', '.join(citations.FORMATS)}, not “{fmt}”.")
    article, moved = queries.get_article_by_slug(session, slug=slug)
    if article is None:
        raise NotFound(f"No article has the address “{slug}”.")
    if moved:
        return RedirectResponse(
            request.url_for("article_citation", slug=article.slug, fmt=fmt), 301
        )
    media_type, render = citations.FORMATS[fmt]
    work = citations.work_of(
        article,
        article_link(settings, article.slug),
        datetime.now(UTC).date(),
        settings.site_name,
    )
    return Response(
        render(work),
        media_type=media_type,
        headers={"Content-Disposition": f'inline; filename="{article.slug}.{fmt}"'},
    )


@router.get("/sitemap.xml", response_class=Response, include_in_schema=False)
def sitemap(session: SessionDep, settings: SettingsDep) -> Response:
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    entries = queries.list_sitemap_entries(session)
    for kind, rows in entries.items():
        for slug, changed in rows:
            url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site_link(settings, f"/{kind}/{slug}")
            if changed:
                ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = changed.strftime("%Y-%m-%d")
    body = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/xml")


@router.get("/robots.txt", response_class=PlainTextResponse, include_in_schema=False)
def robots(settings: SettingsDep) -> str:
    # Facet combinations are endless: crawlers get the permalinks through the sitemap.
    return (
        "User-agent: *\n"
        "Disallow: /search\n"
        "Disallow: /quotes\n"
        "Disallow: /api/\n"
        "Allow: /\n"
        f"Sitemap: {site_link(settings, '/sitemap.xml')}\n"
    )
