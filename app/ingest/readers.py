"""Turn command-line sources (files, folders, standard input) into RawDocuments."""

from __future__ import annotations

import mimetypes
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from app.ingest.document import InputError, RawDocument

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


class SourceError(InputError):
    """A source that could not be read at all; carries the name of the source."""

    def __init__(self, origin: str, reason: str):
        super().__init__(reason)
        self.origin = origin
        self.reason = reason


def media_type_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "text/html"
    if suffix in TEXT_SUFFIXES:
        return "text/markdown" if suffix in {".md", ".markdown"} else "text/plain"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def expand_paths(source: str) -> Iterator[Path | SourceError]:
    """A file, or every supported file under a folder (recursively, in a stable order)."""
    path = Path(source)
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            hidden = child.name.startswith(".")
            if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
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
    except PermissionError as error:
        raise SourceError(str(path), "unreadable: permission denied") from error
    except OSError as error:
        raise SourceError(str(path), f"unreadable: {error.strerror or error}") from error
    return RawDocument(
        data=data,
        origin=str(path.resolve()),
        media_type=media_type_for(path),
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
    )


def read_stdin(*, max_bytes: int) -> RawDocument:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError("-", f"too large (over {max_bytes:,} bytes)")
    return RawDocument(data=data, origin="-", media_type="text/plain", fetched_at=datetime.now(UTC))


def iter_documents(sources: list[str], *, max_bytes: int) -> Iterator[RawDocument | SourceError]:
    """Every document named by the sources; unreadable ones come out as SourceErrors."""
    for source in sources:
        if source == "-":
            try:
                yield read_stdin(max_bytes=max_bytes)
            except SourceError as error:
                yield error
            continue
        for item in expand_paths(source):
            if isinstance(item, SourceError):
                yield item
                continue
            try:
                yield read_file(item, max_bytes=max_bytes)
            except SourceError as error:
                yield error
