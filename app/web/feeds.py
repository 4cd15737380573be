"""Atom feeds for any search, speaker and theme: one list of entries, written as Atom
(ElementTree escapes) for feed readers and as an HTML page (Jinja escapes) for people."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import queries
from app.config import Settings
from app.models import Article, Quote, Speaker
from app.search.query import QueryError
from app.web.deps import IndexDep, SessionDep, SettingsDep
from app.web.errors import ERROR_RESPONSES, NotFound
from app.web.links import article_link, site_link
from app.web.params import search_params_from, search_url
from app.web.results import KIND_LABELS

router = APIRouter(tags=["feeds"], responses=ERROR_RESPONSES)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
# Chromium shows application/atom+xml as plain text, ignoring any stylesheet; the same
# document as application/xml is styled by static/feed.css. Only a browser without
# Sec-Fetch headers (older than 2023) still gets the XML: the others get the HTML page.
BROWSER_MEDIA_TYPE = "application/xml; charset=utf-8"
STYLESHEET = b'<?xml-stylesheet type="text/css" href="/static/feed.css"?>\n'
# Both forms live at one address: a cache must keep them apart by what chose between them.
VARY = "Accept, Sec-Fetch-Dest"


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    updated: datetime | None
    published: datetime | None
    author: str | None
    summary: str
    kind: str | None = None  # a quote's "direct" or "reported"

    @property
    def kind_label(self) -> str | None:
        return KIND_LABELS[self.kind] if self.kind else None


@dataclass(frozen=True)
class Feed:
    """What a feed holds, links already absolute; `title` without the site's name."""

    title: str
    site_name: str
    self_link: str
    page_link: str
    entries: list[FeedEntry]
    updated: datetime | None

    @property
    def full_title(self) -> str:
        return f"{self.title} · {self.site_name}"


def _timestamp(value: datetime | None) -> str:
    value = value or datetime(1970, 1, 1, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_article_feed(
    *,
    settings: Settings,
    title: str,
    feed_path: str,
    page_path: str,
    articles: list[Article],
) -> Feed:
    """A feed with one entry per article, its summary or the start of its text."""
    entries = [
        FeedEntry(
            title=article.title,
            link=article_link(settings, article.slug),
            updated=article.updated_at or article.published,
            published=article.published,
            author=article.author or article.publisher,
            summary=article.summary or queries.body_plain_text(article.body)[:400],
        )
        for article in articles
    ]
    updated = max((a.updated_at for a in articles if a.updated_at), default=None)
    return _feed(settings, title, feed_path, page_path, entries, updated)


def build_quote_feed(
    *,
    settings: Settings,
    title: str,
    feed_path: str,
    page_path: str,
    quotes: list[tuple[Quote, Speaker | None, Article]],
) -> Feed:
    """A feed with one entry per quote: a direct quote in quotation marks, a reported one
    as a paraphrase ("said that …"), with `kind` as the entry's category."""
    entries = []
    for quote, speaker, article in quotes:
        who = speaker.name if speaker else (quote.source or "Unattributed")
        role = ", ".join(part for part in (quote.role, quote.affiliation) if part)
        where = f"{article.title} ({article.publisher or 'unknown source'}"
        where += f", {article.published:%Y-%m-%d})" if article.published else ")"
        entries.append(
            FeedEntry(
                title=f"{who}: {speech_text(quote)}"[:200],
                link=article_link(settings, article.slug, f"q{quote.position}"),
                updated=article.updated_at or article.published,
                published=article.published,
                author=who,
                summary=f"{who}{f' ({role})' if role else ''} {speech_text(quote)} In: {where}",
                kind=quote.kind,
            )
        )
    updated = max((a.updated_at for _, _, a in quotes if a.updated_at), default=None)
    return _feed(settings, title, feed_path, page_path, entries, updated)


def _feed(
    settings: Settings,
    title: str,
    feed_path: str,
    page_path: str,
    entries: list[FeedEntry],
    updated: datetime | None,
) -> Feed:
    return Feed(
        title=title,
        site_name=settings.site_name,
        self_link=site_link(settings, feed_path),
        page_link=site_link(settings, page_path),
        entries=entries,
        updated=updated,
    )


def speech_text(quote: Quote) -> str:
    """A quote as plain text that cannot be misquoted: direct in quotation marks, reported
    as a paraphrase."""
    if quote.kind == "reported":
        lead = "said that " if quote.text[:1].islower() else "paraphrased: "
        return lead + quote.text
    return f"said: “{quote.text}”"


def write_atom(feed: Feed) -> bytes:
    """The feed as an Atom document; every text goes through ElementTree's escaping."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = feed.self_link
    ET.SubElement(root, f"{{{ATOM}}}title").text = feed.full_title
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _timestamp(feed.updated)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=feed.self_link)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=feed.page_link)
    ET.SubElement(root, f"{{{ATOM}}}author").append(_named(feed.site_name))
    for item in feed.entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = item.link
        ET.SubElement(entry, f"{{{ATOM}}}title", type="text").text = item.title
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=item.link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(item.updated)
        if item.published:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(item.published)
        if item.author:
            ET.SubElement(entry, f"{{{ATOM}}}author").append(_named(item.author))
        if item.kind:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=item.kind, label=item.kind_label)
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = item.summary
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _named(name: str) -> ET.Element:
    element = ET.Element(f"{{{ATOM}}}name")
    element.text = name
    return element


def is_navigation(request: Request) -> bool:
    """A browser opening the address in a tab or window. Browsers send Sec-Fetch-Dest on
    every request (a navigation's mode is then always "navigate"); feed readers, scripts
    and crawlers never say "document"."""
    return request.headers.get("sec-fetch-dest", "").lower() == "document"


def feed_response(request: Request, feed: Feed) -> Response:
    """A page for a person who opened the feed in a browser, Atom for everything else.

    The page is rendered here, not by an XSLT stylesheet in the feed: XSLT is leaving the
    browsers, and Chromium 156 already lays a warning banner over an XSLT page, with an
    inline style and handler that the CSP blocks.
    """
    if is_navigation(request):
        query = request.url.query
        response = request.app.state.templates.TemplateResponse(
            request,
            "feed.html",
            {
                "atom": feed,
                "feed": feed.self_link,  # base.html's <link rel="alternate">
                "address": site_link(
                    request.app.state.settings, request.url.path + (f"?{query}" if query else "")
                ),
            },
        )
    else:
        declaration, _, rest = write_atom(feed).partition(b"\n")
        accept = request.headers.get("accept", "")
        response = Response(
            declaration + b"\n" + STYLESHEET + rest,
            media_type=BROWSER_MEDIA_TYPE if "text/html" in accept else MEDIA_TYPE,
        )
    response.headers["Vary"] = VARY
    return response


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
    return feed_response(
        request,
        build_article_feed(
            settings=settings,
            title=title,
            feed_path=feed_path,
            page_path=page_path,
            articles=articles,
        ),
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
    return feed_response(
        request,
        build_quote_feed(
            settings=settings,
            title=title,
            feed_path=feed_path,
            page_path=page_path,
            quotes=[found[i] for i in ids if i in found],
        ),
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
    return feed_response(
        request,
        build_article_feed(
            settings=settings,
            title=theme.name,
            feed_path=f"/themes/{slug}/feed",
            page_path=f"/themes/{slug}",
            articles=articles,
        ),
    )
