"""Feeds: RSS, Atom and RDF documents become entries, and full-text entries become pages."""

import calendar
import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape, unescape

import feedparser

from app.ingest.document import InputError, RawDocument
from app.ingest.sources.canonical import is_web_url

# Below this much text an entry is a teaser; the caller should fetch the linked page.
FULL_TEXT_MIN_CHARS = 500
_SNIFF_BYTES = 2048
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_ROOT_TAG = re.compile(rb"\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_FEED_ROOTS = {b"rss", b"feed", b"rdf"}
_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|li|blockquote|table|section)\b", re.I)


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed; content_html is set only when the feed carries the full text."""

    url: str
    title: str
    published: datetime | None
    author: str | None
    content_html: str | None
    summary: str
    publisher: str | None = None  # the feed's own title


def looks_like_feed(data: bytes) -> bool:
    """Tell from the first bytes whether a document is an RSS, Atom or RDF feed."""
    head = data[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")
    position = 0
    while match := _PROLOG.match(head, position):
        position = match.end()
    root = _ROOT_TAG.match(head, position)
    return bool(root) and root.group(2).lower() in _FEED_ROOTS


def parse_feed(raw: RawDocument) -> list[FeedEntry]:
    """Parse a feed into entries with links; raise InputError when it is not a readable feed."""
    headers = {
        "content-type": raw.media_type + (f"; charset={raw.encoding}" if raw.encoding else "")
    }
    if raw.url:
        headers["content-location"] = raw.url  # lets feedparser resolve relative links
    # A stream, never bytes: feedparser opens bytes that look like a path as a file
    # ("/etc/passwd", "/dev/zero"), and fetches ones that look like a URL.
    parsed = feedparser.parse(io.BytesIO(raw.data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS, Atom or RDF root element"
        raise InputError(f"not a feed: {_one_line(str(reason))}")

    publisher = parsed.feed.get("title") or None
    feed_author = parsed.feed.get("author") or None
    entries = []
    for item in parsed.entries:
        url = item.get("link") or _url_id(item.get("id"))
        if not url:
            continue  # nothing to fetch or to cite
        summary_html = item.get("summary", "")
        entries.append(
            FeedEntry(
                url=url,
                title=_plain_text(item.get("title", "")),
                published=_entry_date(item),
                author=item.get("author") or feed_author,
                content_html=_full_text(item),
                summary=_plain_text(summary_html),
                publisher=publisher,
            )
        )
    return entries


def entry_document(entry: FeedEntry, feed_raw: RawDocument) -> RawDocument | None:
    """Wrap a full-text entry as an HTML page the HTML extractor can read, metadata included."""
    if entry.content_html is None:
        return None
    # A javascript: or broken link is dropped, not the entry's text.
    url = entry.url if is_web_url(entry.url) else None
    meta = [f'<link rel="canonical" href="{escape(url)}">'] if url else []
    if entry.author:
        meta.append(f'<meta name="author" content="{escape(entry.author)}">')
    if entry.published:
        meta.append(
            f'<meta property="article:published_time" content="{entry.published.isoformat()}">'
        )
    if entry.publisher:
        meta.append(f'<meta property="og:site_name" content="{escape(entry.publisher)}">')
    if entry.summary:
        meta.append(f'<meta name="description" content="{escape(entry.summary)}">')
    title = escape(entry.title)
    content = entry.content_html
    if not _BLOCK_TAG.search(content):
        # Many RSS descriptions are bare text: without a paragraph the HTML extractor
        # found "no article text" and the entry was lost.
        content = "".join(f"<p>{part}</p>" for part in content.split("\n") if part.strip())
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<meta property="og:title" content="{title}">'
        + "".join(meta)
        + f"</head><body><article><h1>{title}</h1>\n{content}\n</article></body></html>"
    )
    return RawDocument(
        data=page.encode("utf-8"),
        origin=f"{feed_raw.origin}#{entry.url}",
        media_type="text/html",
        fetched_at=feed_raw.fetched_at,
        url=url,
        encoding="utf-8",
    )


def _full_text(item: feedparser.FeedParserDict) -> str | None:
    """The longest HTML body the entry carries, if it is long enough to be the article."""
    bodies = [c.get("value", "") for c in item.get("content", [])]
    bodies.append(item.get("summary", ""))  # RSS 2.0 feeds often put full text in <description>
    best = max(bodies, key=lambda body: len(_plain_text(body)))
    return best if len(_plain_text(best)) > FULL_TEXT_MIN_CHARS else None


def _entry_date(item: feedparser.FeedParserDict) -> datetime | None:
    # Plain dict lookups: FeedParserDict's own aliasing of these keys warns (DeprecationWarning).
    parsed: time.struct_time | None = dict.get(item, "published_parsed") or dict.get(
        item, "updated_parsed"
    )
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # feedparser gives UTC


def _url_id(value: str | None) -> str | None:
    return value if value and value.startswith(("http://", "https://")) else None


def _plain_text(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]
