"""Turn sources (files, folders, standard input, URLs, feeds, WARC archives) into RawDocuments."""

from __future__ import annotations

import mimetypes
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.ingest.document import InputError, RawDocument

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | WARC_SUFFIXES
FEED_MEDIA_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}


class SourceError(InputError):
    """A source, or a part of one, that could not be read; names where it came from."""

    def __init__(self, origin: str, reason: str):
        super().__init__(reason)
        self.origin = origin
        self.reason = reason


@dataclass
class ReadStats:
    """What the readers skipped on purpose (not failures): shown in the closing summary."""

    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def media_type_for(path: Path) -> str:
    suffix = suffix_of(path)
    if suffix in HTML_SUFFIXES:
        return "text/html"
    if suffix in {".md", ".markdown"}:
        return "text/markdown"
    if suffix in TEXT_SUFFIXES:
        return "text/plain"
    if suffix in WARC_SUFFIXES:
        return "application/warc"
    if suffix in FEED_SUFFIXES:
        return "application/xml"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def expand_paths(source: str) -> Iterator[Path | SourceError]:
    """A file, or every supported file under a folder (recursively, in a stable order)."""
    path = Path(source)
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            hidden = child.name.startswith(".")
            if child.is_file() and not hidden and suffix_of(child) in SUPPORTED_SUFFIXES:
                yield child
        return
    if not path.exists():
        yield SourceError(source, "no such file or folder")
        return
    yield path


def read_file(path: Path, *, max_bytes: int) -> RawDocument:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(str(path), f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except PermissionError as error:
        raise SourceError(str(path), "unreadable: permission denied") from error
    except OSError as error:
        raise SourceError(str(path), f"unreadable: {error.strerror or error}") from error
    return RawDocument(
        data=data,
        origin=str(path.resolve()),
        media_type=media_type_for(path),
        fetched_at=modified,
    )


def read_stdin(*, max_bytes: int) -> RawDocument:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError("-", f"too large (over {max_bytes:,} bytes)")
    return RawDocument(data=data, origin="-", media_type="text/plain", fetched_at=datetime.now(UTC))


def is_feed(raw: RawDocument) -> bool:
    from app.ingest.feeds import looks_like_feed

    return raw.media_type in FEED_MEDIA_TYPES or (
        raw.media_type not in ("text/html", "text/plain", "text/markdown")
        and looks_like_feed(raw.data)
    )


class Reader:
    """Reads every source of one ingest run; owns the HTTP client when URLs are involved."""

    def __init__(
        self,
        *,
        max_bytes: int,
        is_archived: Callable[[str], bool] = lambda url: False,
        fetcher=None,
    ):
        self.max_bytes = max_bytes
        self.is_archived = is_archived
        self.stats = ReadStats()
        self._fetcher = fetcher

    @property
    def fetcher(self):
        if self._fetcher is None:
            from app.ingest.fetch import Fetcher

            self._fetcher = Fetcher(max_bytes=self.max_bytes)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def read(self, sources: list[str]) -> Iterator[RawDocument | SourceError]:
        urls = [source for source in sources if is_url(source)]
        for source in sources:
            if source == "-":
                try:
                    yield read_stdin(max_bytes=self.max_bytes)
                except SourceError as error:
                    yield error
            elif not is_url(source):
                yield from self._read_path_source(source)
        if urls:
            yield from self.read_urls(urls)

    def read_urls(self, urls: list[str]) -> Iterator[RawDocument | SourceError]:
        for url, outcome in self.fetcher.fetch_many(urls):
            if isinstance(outcome, InputError):
                yield SourceError(url, str(outcome))
            elif is_feed(outcome):
                yield from self._read_feed(outcome)
            else:
                yield outcome

    def _read_path_source(self, source: str) -> Iterator[RawDocument | SourceError]:
        for item in expand_paths(source):
            if isinstance(item, SourceError):
                yield item
            elif suffix_of(item) in WARC_SUFFIXES:
                yield from self._read_warc(item)
            else:
                try:
                    raw = read_file(item, max_bytes=self.max_bytes)
                except SourceError as error:
                    yield error
                    continue
                if suffix_of(item) in FEED_SUFFIXES or (
                    raw.media_type != "text/html" and is_feed(raw)
                ):
                    yield from self._read_feed(raw)
                else:
                    yield raw

    def _read_warc(self, path: Path) -> Iterator[RawDocument | SourceError]:
        from app.ingest.warc import WarcStats, iter_warc_records

        stats = WarcStats()
        for item in iter_warc_records(path, max_record_bytes=self.max_bytes, stats=stats):
            if isinstance(item, InputError):
                yield SourceError(str(path), str(item))
            else:
                yield item
        for reason, count in stats.skipped.items():
            self.stats.skip(f"WARC {reason}", count)

    def _read_feed(self, feed_raw: RawDocument) -> Iterator[RawDocument | SourceError]:
        """Each entry of a feed: its full text when the feed carries it, else the linked page."""
        from app.ingest.canonical import canonical_url
        from app.ingest.feeds import entry_document, parse_feed

        try:
            entries = parse_feed(feed_raw)
        except InputError as error:
            yield SourceError(feed_raw.origin, str(error))
            return
        to_fetch = []
        for entry in entries:
            if self.is_archived(canonical_url(entry.url)):
                self.stats.skip("feed entries already archived")
                continue
            document = entry_document(entry, feed_raw)
            if document is not None:
                yield document
            else:
                to_fetch.append(entry.url)
        if to_fetch:
            yield from self.read_urls(to_fetch)


def read_url_list(path: Path) -> list[str]:
    """URLs from a file, one per line; blank lines and # comments are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(str(path), f"unreadable URL list: {error}") from error
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def iter_documents(sources: list[str], *, max_bytes: int) -> Iterator[RawDocument | SourceError]:
    """Every document named by local sources (no network); a shortcut for tests and tools."""
    reader = Reader(max_bytes=max_bytes)
    try:
        yield from reader.read(sources)
    finally:
        reader.close()
