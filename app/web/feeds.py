"""Atom feeds for any search, speaker and theme, built with ElementTree (which escapes)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import queries
from app.config import Settings
from app.models import Article, Quote, Speaker
from app.search import QueryError
from app.web.deps import IndexDep, SessionDep, SettingsDep
from app.web.errors import ERROR_RESPONSES, NotFound
from app.web.links import article_link, site_link
from app.web.params import search_params_from, search_url
from app.web.results import KIND_LABELS

router = APIRouter(tags=["feeds"], responses=ERROR_RESPONSES)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def _timestamp(value: datetime | None) -> str:
    value = value or datetime(1970, 1, 1, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_feed(
    *,
    settings: Settings,
    title: str,
    feed_path: str,
    page_path: str,
    articles: list[Article],
) -> bytes:
    """An Atom document listing articles; every text goes through ElementTree's escaping."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = site_link(settings, feed_path)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{title} · {settings.site_name}"
    updated = max((a.updated_at for a in articles if a.updated_at), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=site_link(settings, feed_path))
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        rel="alternate",
        type="text/html",
        href=site_link(settings, page_path),
    )
    ET.SubElement(feed, f"{{{ATOM}}}author").append(_named(settings.site_name))
    for article in articles:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = article_link(settings, article.slug)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}title", type="text").text = article.title
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(
            article.updated_at or article.published
        )
        if article.published:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(article.published)
        if article.author or article.publisher:
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            author.append(_named(article.author or article.publisher or ""))
        summary = article.summary or queries.body_plain_text(article.body)[:400]
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def build_quote_feed(
    *,
    settings: Settings,
    title: str,
    feed_path: str,
    page_path: str,
    quotes: list[tuple[Quote, Speaker | None, Article]],
) -> bytes:
    """An Atom document with one entry per quote: a direct quote in quotation marks, a
    reported one as a paraphrase ("said that …"), with `kind` as the entry's category."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = site_link(settings, feed_path)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{title} · {settings.site_name}"
    updated = max((a.updated_at for _, _, a in quotes if a.updated_at), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=site_link(settings, feed_path))
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        rel="alternate",
        type="text/html",
        href=site_link(settings, page_path),
    )
    ET.SubElement(feed, f"{{{ATOM}}}author").append(_named(settings.site_name))
    for quote, speaker, article in quotes:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = article_link(settings, article.slug, f"q{quote.position}")
        who = speaker.name if speaker else (quote.source or "Unattributed")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}title", type="text").text = f"{who}: {speech_text(quote)}"[
            :200
        ]
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(
            article.updated_at or article.published
        )
        if article.published:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(article.published)
        ET.SubElement(entry, f"{{{ATOM}}}author").append(_named(who))
        ET.SubElement(entry, f"{{{ATOM}}}category", term=quote.kind, label=KIND_LABELS[quote.kind])
        role = ", ".join(part for part in (quote.role, quote.affiliation) if part)
        where = f"{article.title} ({article.publisher or 'unknown source'}"
        where += f", {article.published:%Y-%m-%d})" if article.published else ")"
        summary = f"{who}{f' ({role})' if role else ''} {speech_text(quote)} In: {where}"
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def speech_text(quote: Quote) -> str:
    """A quote as plain text that cannot be misquoted: direct in quotation marks, reported
    as a paraphrase."""
    if quote.kind == "reported":
        lead = "said that " if quote.text[:1].islower() else "paraphrased: "
        return lead + quote.text
    return f"said: “{quote.text}”"


def _named(name: str) -> ET.Element:
    element = ET.Element(f"{{{ATOM}}}name")
    element.text = name
    return element


# A person who opens a feed sees a page saying what it is and how to subscribe, not raw
# XML: static/feed.xsl turns it into HTML (Chromium 150 still applies XSLT, deprecated),
# and static/feed.css styles the XML itself where a browser no longer does. Feed readers
# ignore both instructions.
STYLESHEETS = (
    b'<?xml-stylesheet type="text/xsl" href="/static/feed.xsl"?>\n'
    b'<?xml-stylesheet type="text/css" href="/static/feed.css"?>\n'
)
# Chromium shows application/atom+xml as plain text when navigated to, ignoring any
# stylesheet; the same Atom document as application/xml is styled. Browsers ask for
# text/html first; feed readers ask for Atom or anything.
BROWSER_MEDIA_TYPE = "application/xml; charset=utf-8"


def _atom(body: bytes, request: Request | None = None) -> Response:
    declaration, _, rest = body.partition(b"\n")
    accept = request.headers.get("accept", "") if request else ""
    media_type = BROWSER_MEDIA_TYPE if "text/html" in accept else MEDIA_TYPE
    return Response(
        declaration + b"\n" + STYLESHEETS + rest,
        media_type=media_type,
        headers={"Vary": "Accept"},
    )


@router.get("/search.atom", response_class=Response)
def search_feed(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
) -> Response:
    """The newest articles matching a search (same parameters as /search)."""
    try:
        params = search_params_from(request.query_params, page_size=settings.page_size)
    except QueryError as error:
        return Response(str(error), status_code=400, media_type="text/plain; charset=utf-8")
    params.sort = "newest" if params.sort == "relevance" else params.sort
    try:
        ids = archive_index.ranked_ids(params, FEED_SIZE)
    except QueryError as error:
        return Response(str(error), status_code=400, media_type="text/plain; charset=utf-8")
    found = queries.list_articles_by_ids(session, ids=ids)
    page_path = search_url(params)
    title = f"Search: {params.q}" if params.q else "Search"
    feed_path = page_path.replace("/search", "/search.atom", 1)
    articles = [found[i] for i in ids if i in found]
    return _atom(
        build_feed(
            settings=settings,
            title=title,
            feed_path=feed_path,
            page_path=page_path,
            articles=articles,
        ),
        request,
    )


def _quotes_feed(
    request: Request,
    session,
    archive_index,
    settings: Settings,
    *,
    speaker: str | None,
    title: str,
    feed_path: str,
    page_path: str,
) -> Response:
    try:
        params = search_params_from(request.query_params, page_size=settings.page_size)
        if speaker:
            params.speakers = [speaker]
        params.sort = "newest" if params.sort == "relevance" else params.sort
        ids = archive_index.ranked_ids(params, FEED_SIZE, quotes=True)
    except QueryError as error:
        return Response(str(error), status_code=400, media_type="text/plain; charset=utf-8")
    found = queries.list_quotes_by_ids(session, ids=ids)
    return _atom(
        build_quote_feed(
            settings=settings,
            title=title,
            feed_path=feed_path,
            page_path=page_path,
            quotes=[found[i] for i in ids if i in found],
        ),
        request,
    )


@router.get("/quotes.atom", response_class=Response)
def quotes_feed(
    request: Request, session: SessionDep, archive_index: IndexDep, settings: SettingsDep
) -> Response:
    """The newest quotes matching a quote search (same parameters as /quotes)."""
    query_string = request.url.query
    return _quotes_feed(
        request,
        session,
        archive_index,
        settings,
        speaker=None,
        title=f"Quotes: {request.query_params.get('q')}"
        if request.query_params.get("q")
        else "Quotes",
        feed_path="/quotes.atom" + (f"?{query_string}" if query_string else ""),
        page_path="/quotes" + (f"?{query_string}" if query_string else ""),
    )


@router.get("/speakers/{slug}/feed", response_class=Response)
def speaker_feed(
    request: Request,
    slug: str,
    session: SessionDep,
    archive_index: IndexDep,
    settings: SettingsDep,
) -> Response:
    """A speaker's newest quotes (the speaker page's filters apply: `q`, `theme`, `kind`…)."""
    speaker = queries.get_speaker_by_slug(session, slug=slug)
    if speaker is None:
        raise NotFound(f"No speaker has the address “{slug}”.")
    query_string = request.url.query
    return _quotes_feed(
        request,
        session,
        archive_index,
        settings,
        speaker=speaker.slug,
        title=f"{speaker.name}: quotes",
        feed_path=f"/speakers/{slug}/feed" + (f"?{query_string}" if query_string else ""),
        page_path=f"/speakers/{slug}" + (f"?{query_string}" if query_string else ""),
    )


@router.get("/themes/{slug}/feed", response_class=Response)
def theme_feed(request: Request, slug: str, session: SessionDep, settings: SettingsDep) -> Response:
    """The newest articles on a theme."""
    theme = queries.get_theme_by_slug(session, slug=slug)
    if theme is None:
        raise NotFound(f"No theme has the address “{slug}”.")
    articles = queries.list_theme_articles(session, theme_id=theme.id, limit=FEED_SIZE)
    return _atom(
        build_feed(
            settings=settings,
            title=theme.name,
            feed_path=f"/themes/{slug}/feed",
            page_path=f"/themes/{slug}",
            articles=articles,
        ),
        request,
    )
