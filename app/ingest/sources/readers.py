"""Turn sources (files, folders, standard input, URLs, feeds, WARC archives) into RawDocuments."""

from __future__ import annotations

import errno
import mimetypes
import os
import stat
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


def _kind_of(mode: int) -> str | None:
    """A name for what is not a regular file (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _link_problem(path: Path, root: Path | None) -> str | None:
    """Why a symbolic link must not be read (None when it may): broken, a loop, or
    (when `root` is given) pointing outside the folder that was named."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "symbolic link loop"
    except FileNotFoundError:
        return "broken symbolic link"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"unreadable symbolic link: {error.strerror or error}"
    if root is not None and not target.is_relative_to(root):
        return "symbolic link to outside the folder (use --follow-links to allow)"
    return None


def expand_paths(source: str, *, follow_links: bool = False) -> Iterator[Path | SourceError]:
    """A file, or every supported file under a folder (recursively, in a stable order).

    Inside a folder, symbolic links that lead out of it are refused unless `follow_links`:
    a link in an ingested folder must not publish a file from elsewhere on the server.
    """
    path = Path(source)
    if path.is_symlink() and (problem := _link_problem(path, None)):
        yield SourceError(source, problem)
        return
    if path.is_dir():
        yield from _walk_folder(path, follow_links=follow_links)
        return
    if not path.exists():
        yield SourceError(source, "no such file or folder")
        return
    yield path


def _walk_folder(folder: Path, *, follow_links: bool) -> Iterator[Path | SourceError]:
    root = folder.resolve()
    seen = {root}  # folders already walked: a linked folder loop is walked once
    unreadable: list[SourceError] = []

    def note_unreadable(error: OSError) -> None:
        reason = "permission denied" if error.errno == errno.EACCES else error.strerror
        origin = error.filename or str(folder)
        unreadable.append(SourceError(origin, f"unreadable folder: {reason}"))

    for directory, subfolders, files in os.walk(
        folder, onerror=note_unreadable, followlinks=follow_links
    ):
        yield from unreadable
        unreadable.clear()
        here = Path(directory)
        kept = []
        for name in sorted(subfolders):
            child = here / name
            if name.startswith("."):
                continue
            if child.is_symlink():
                problem = _link_problem(child, None if follow_links else root)
                if problem:
                    yield SourceError(str(child), problem)
                    continue
                if not follow_links or child.resolve() in seen:
                    continue  # inside the folder: walked on its own
                seen.add(child.resolve())
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            child = here / name
            if name.startswith(".") or suffix_of(child) not in SUPPORTED_SUFFIXES:
                continue
            if child.is_symlink():
                problem = _link_problem(child, None if follow_links else root)
                if problem:
                    yield SourceError(str(child), problem)
                    continue
            yield child
    yield from unreadable


def read_file(path: Path, *, max_bytes: int) -> RawDocument:
    """A regular file's bytes, refusing devices, pipes and anything over `max_bytes`.

    Opened without blocking and checked on the open descriptor, so a file swapped for
    a pipe between the check and the read cannot hang the batch.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except PermissionError as error:
        raise SourceError(str(path), "unreadable: permission denied") from error
    except OSError as error:
        raise SourceError(str(path), f"unreadable: {error.strerror or error}") from error
    with os.fdopen(descriptor, "rb") as handle:
        try:
            status = os.fstat(handle.fileno())
            if kind := _kind_of(status.st_mode):
                raise SourceError(str(path), f"not a regular file ({kind})")
            if status.st_size > max_bytes:
                raise SourceError(
                    str(path), f"too large ({status.st_size:,} bytes; the limit is {max_bytes:,})"
                )
            data = handle.read(max_bytes + 1)  # the file may have grown since fstat
        except SourceError:
            raise
        except OSError as error:
            raise SourceError(str(path), f"unreadable: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise SourceError(str(path), f"too large (over {max_bytes:,} bytes)")
    return RawDocument(
        data=data,
        origin=str(path.resolve()),
        media_type=media_type_for(path),
        fetched_at=datetime.fromtimestamp(status.st_mtime, UTC),
    )


def read_stdin(*, max_bytes: int) -> RawDocument:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError("-", f"too large (over {max_bytes:,} bytes)")
    return RawDocument(data=data, origin="-", media_type="text/plain", fetched_at=datetime.now(UTC))


def is_feed(raw: RawDocument) -> bool:
    from app.ingest.sources.feeds import looks_like_feed

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
        follow_links: bool = False,
        obey_robots: bool = True,
    ):
        self.max_bytes = max_bytes
        self.follow_links = follow_links
        self.obey_robots = obey_robots
        self.is_archived = is_archived
        self.stats = ReadStats()
        self._fetcher = fetcher

    @property
    def fetcher(self):
        if self._fetcher is None:
            from app.ingest.sources.fetch import Fetcher

            self._fetcher = Fetcher(max_bytes=self.max_bytes, obey_robots=self.obey_robots)
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
                try:
                    yield from self._read_feed(outcome)
                except Exception as error:  # a reader bug on odd input: name it, go on
                    yield SourceError(url, f"could not be read ({type(error).__name__}: {error})")
            else:
                yield outcome

    def _read_path_source(self, source: str) -> Iterator[RawDocument | SourceError]:
        for item in expand_paths(source, follow_links=self.follow_links):
            if isinstance(item, SourceError):
                yield item
                continue
            try:
                yield from self._read_path(item)
            except Exception as error:  # a reader bug on odd input: name it, read the rest
                yield SourceError(str(item), f"could not be read ({type(error).__name__}: {error})")

    def _read_path(self, path: Path) -> Iterator[RawDocument | SourceError]:
        if suffix_of(path) in WARC_SUFFIXES:
            yield from self._read_warc(path)
            return
        try:
            raw = read_file(path, max_bytes=self.max_bytes)
        except SourceError as error:
            yield error
            return
        if suffix_of(path) in FEED_SUFFIXES or (raw.media_type != "text/html" and is_feed(raw)):
            yield from self._read_feed(raw)
        else:
            yield raw

    def _read_warc(self, path: Path) -> Iterator[RawDocument | SourceError]:
        from app.ingest.sources.warc import WarcStats, iter_warc_records

        try:
            kind = _kind_of(path.stat().st_mode)
        except OSError as error:
            yield SourceError(str(path), f"unreadable: {error.strerror or error}")
            return
        if kind:
            yield SourceError(str(path), f"not a regular file ({kind})")
            return
        stats = WarcStats()
        try:
            for item in iter_warc_records(path, max_record_bytes=self.max_bytes, stats=stats):
                if isinstance(item, InputError):
                    yield SourceError(str(path), str(item))
                else:
                    yield item
        except OSError as error:
            yield SourceError(str(path), f"unreadable: {error.strerror or error}")
            return
        if not stats.records and not stats.errors:
            yield SourceError(str(path), "no WARC records (empty or not a WARC file)")
        for reason, count in stats.skipped.items():
            self.stats.skip(f"WARC {reason}", count)

    def _read_feed(self, feed_raw: RawDocument) -> Iterator[RawDocument | SourceError]:
        """Each entry of a feed: its full text when the feed carries it, else the linked page."""
        from app.ingest.sources.canonical import canonical_url, is_valid_url
        from app.ingest.sources.feeds import entry_document, parse_feed

        try:
            entries = parse_feed(feed_raw)
        except InputError as error:
            yield SourceError(feed_raw.origin, str(error))
            return
        if not entries:
            yield SourceError(feed_raw.origin, "a feed with no entries")
            return
        to_fetch = []
        for number, entry in enumerate(entries, start=1):
            if is_valid_url(entry.url) and self.is_archived(canonical_url(entry.url)):
                self.stats.skip("feed entries already archived")
                continue
            document = entry_document(entry, feed_raw)
            if document is not None:
                yield document
            elif is_valid_url(entry.url) and is_url(entry.url):
                to_fetch.append(entry.url)
            else:
                reason = f"entry {number} has no full text and no valid link ({entry.url!r})"
                yield SourceError(feed_raw.origin, reason)
        if to_fetch:
            yield from self.read_urls(to_fetch)


def read_url_list(path: Path) -> list[str]:
    """URLs from a file, one per line; blank lines and # comments are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(str(path), f"unreadable URL list: {error}") from error
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def iter_documents(
    sources: list[str], *, max_bytes: int, follow_links: bool = False
) -> Iterator[RawDocument | SourceError]:
    """Every document named by local sources (no network); a shortcut for tests and tools."""
    reader = Reader(max_bytes=max_bytes, follow_links=follow_links)
    try:
        yield from reader.read(sources)
    finally:
        reader.close()
