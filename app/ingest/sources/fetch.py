"""Fetching web pages and feeds over HTTP, politely and within limits, as RawDocuments."""

import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from app.ingest.document import InputError, RawDocument
from app.ingest.sources.feeds import looks_like_feed
from app.ingest.sources.robots import RobotsRules

USER_AGENT = "PolicyArchive/0.1 (+https://github.com/policy-archive)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
# Servers label pages and feeds carelessly; with these types the body decides.
_SNIFFED_TYPES = frozenset({"", "application/octet-stream", "text/plain", "binary/octet-stream"})
_DNS_ERRORS = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "no address associated",
    "getaddrinfo failed",
)


class Fetcher:
    """An HTTP client for ingestion: timeouts, size cap, redirect limit, per-host politeness.

    Use as a context manager, or call close(). Safe to share between threads.
    """

    def __init__(
        self,
        *,
        max_bytes: int = 20_000_000,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        max_redirects: int = 5,
        workers: int = 4,
        per_host: int = 2,
        transport: httpx.BaseTransport | None = None,
        obey_robots: bool = True,
    ) -> None:
        self.max_bytes = max_bytes
        self.workers = workers
        self.per_host = per_host
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=max_redirects,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/atom+xml,"
                "application/rss+xml,application/xml;q=0.9,*/*;q=0.1",
            },
            transport=transport,
        )
        self._robots = RobotsRules(self._client) if obey_robots else None
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> RawDocument:
        """Fetch one HTML page or feed; raise InputError with a one-line reason otherwise."""
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise InputError(f"unsupported URL scheme {scheme or '(none)'!r}: {url}")
        with self._slot(url):
            if self._robots is not None and not self._robots.allows(url):
                raise InputError(
                    f"disallowed by the site's robots.txt (--ignore-robots to fetch it): {url}"
                )
            try:
                return self._get(url)
            except httpx.HTTPError as exc:
                raise InputError(_describe_error(exc, url)) from exc
            except httpx.InvalidURL as exc:
                raise InputError(f"invalid URL ({exc}): {url}") from exc

    def fetch_many(self, urls: Iterable[str]) -> Iterator[tuple[str, RawDocument | InputError]]:
        """Fetch URLs concurrently (a few at a time, at most `per_host` per host), in order."""
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [(url, pool.submit(self._fetch_or_error, url)) for url in urls]
            for url, future in futures:
                yield url, future.result()

    def _fetch_or_error(self, url: str) -> RawDocument | InputError:
        try:
            return self.fetch(url)
        except InputError as exc:
            return exc

    def _get(self, url: str) -> RawDocument:
        with self._client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise InputError(f"HTTP {response.status_code} {response.reason_phrase}: {url}")
            content_type = response.headers.get("Content-Type", "")
            media_type = content_type.split(";", 1)[0].strip().lower()
            if media_type not in HTML_TYPES | FEED_TYPES | _SNIFFED_TYPES:
                raise InputError(f"not HTML or a feed ({media_type}): {url}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise InputError(f"too large ({declared} bytes, limit {self.max_bytes}): {url}")
            data = self._read_capped(response, url)
            if media_type in _SNIFFED_TYPES:
                media_type = _sniff_media_type(data, url)
            return RawDocument(
                data=data,
                origin=url,
                media_type=media_type,
                fetched_at=datetime.now(UTC),
                url=str(response.url),
                encoding=response.charset_encoding,
            )

    def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        # Counted after decompression, so a gzip bomb stops at the cap too.
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise InputError(f"too large (over {self.max_bytes} bytes): {url}")
            chunks.append(chunk)
        return b"".join(chunks)

    def _slot(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            slot = self._host_slots.get(host)
            if slot is None:
                slot = self._host_slots[host] = threading.BoundedSemaphore(self.per_host)
            return slot


def _sniff_media_type(data: bytes, url: str) -> str:
    if looks_like_feed(data):
        return "application/xml"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "text/html"
    raise InputError(f"not HTML or a feed (unlabelled content): {url}")


def _describe_error(exc: httpx.HTTPError, url: str) -> str:
    detail = " ".join(str(exc).split())[:160]
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects: {url}"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timeout connecting: {url}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout reading: {url}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL scheme in redirect: {url}"
    if isinstance(exc, httpx.ConnectError):
        if any(marker in detail.lower() for marker in _DNS_ERRORS):
            host = urlsplit(url).hostname
            return f"DNS failure for {host}: {url}"
        return f"connection failed ({detail}): {url}"
    return f"{type(exc).__name__} ({detail}): {url}"
