"""WARC reading: the HTML pages captured in a web archive become RawDocuments."""

import re
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from app.ingest.document import InputError, RawDocument

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_DRAIN_CHUNK = 64 * 1024
# How far past a broken record we look for the next one before giving up.
_RESYNC_WINDOW = 16 * 1024 * 1024
_WARC_START = re.compile(rb"(?m)^WARC/1\.[01]\r?$")
# Each resync after damage may itself land on garbage; stop trying after this many.
_MAX_RESYNCS = 20
_GZIP_MAGIC = b"\x1f\x8b\x08"


@dataclass
class WarcStats:
    """What one pass over a WARC file saw; fill it by passing it to iter_warc_records."""

    records: int = 0  # every record read, whatever its type
    documents: int = 0  # HTML pages yielded as RawDocuments
    errors: int = 0  # InputErrors yielded
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def iter_warc_records(
    path: Path, *, max_record_bytes: int, stats: WarcStats | None = None
) -> Iterator[RawDocument | InputError]:
    """Yield each HTML page of a WARC file, or an InputError for a record that cannot be read.

    HTML `response` records with status 200 and HTML `resource` records become RawDocuments;
    every other record is skipped and counted in `stats.skipped` by reason. A record whose
    payload exceeds `max_record_bytes` (after decompression) or that is cut short is an
    InputError and reading goes on. When the archive itself breaks, the error is yielded and
    reading resumes at the next record that can be found, or stops.
    """
    stats = stats if stats is not None else WarcStats()
    with path.open("rb") as fh:
        gzipped = fh.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        start: int | None = 0
        resyncs = 0
        while start is not None and resyncs <= _MAX_RESYNCS:
            start = yield from _read_from(fh, path, start, max_record_bytes, stats, gzipped)
            resyncs += 1


def _read_from(
    fh: BinaryIO, path: Path, start: int, max_record_bytes: int, stats: WarcStats, gzipped: bool
) -> Generator[RawDocument | InputError, None, int | None]:
    """Read records from `start`; return where to resume after a break, or None when done."""
    fh.seek(start)
    iterator = ArchiveIterator(fh)
    # warcio prints a multi-line warning to stderr for a record with a wrong length; its
    # error count is checked below and reported on one line instead.
    iterator.INC_RECORD = ""
    offset = start
    try:
        for record in iterator:
            offset = start + iterator.offset
            stats.records += 1
            result = _read_record(record, path, offset, max_record_bytes)
            # Finishing the record here makes warcio check that it ends where its
            # Content-Length says; a mismatch only shows in its warning count.
            warnings = iterator.err_count
            iterator.read_to_end()
            if iterator.err_count > warnings and not isinstance(result, InputError):
                result = InputError(
                    f"{_describe(record, path, offset)}: does not end where its Content-Length "
                    "says (truncated or corrupt)"
                )
            if isinstance(result, str):
                stats.skipped[result] += 1
                continue
            if isinstance(result, InputError):
                stats.errors += 1
            else:
                stats.documents += 1
            yield result
    except Exception as exc:  # noqa: BLE001 -- warcio raises many types for damaged input
        # warcio's offset goes negative inside a gzip member holding several records.
        error_offset = max(start + iterator.offset, offset)
        stats.errors += 1
        yield InputError(f"{path}: broken WARC record at offset {error_offset}: {_reason(exc)}")
        return _find_next_record(fh, error_offset + 1, gzipped)
    return None


def _read_record(
    record: ArcWarcRecord, path: Path, offset: int, max_record_bytes: int
) -> RawDocument | InputError | str:
    """The record's page, its error, or why it was skipped."""
    where = _describe(record, path, offset)
    skip_reason = _skip_reason(record)
    if skip_reason:
        return _check_complete(record, where) or skip_reason

    try:
        payload = record.content_stream().read(max_record_bytes + 1)
    except Exception as exc:  # noqa: BLE001 -- zlib, brotli and chunking errors alike
        return InputError(f"{where}: unreadable payload: {_reason(exc)}")
    if len(payload) > max_record_bytes:
        return InputError(f"{where}: payload larger than {max_record_bytes} bytes")
    incomplete = _check_complete(record, where)
    if incomplete is not None:
        return incomplete
    if not payload.strip():
        return InputError(f"{where}: empty payload")

    content_type = _content_type(record)
    return RawDocument(
        data=payload,
        origin=f"{path}#{offset}",
        media_type=_media_type(content_type),
        fetched_at=_parse_warc_date(record.rec_headers.get_header("WARC-Date")),
        url=record.rec_headers.get_header("WARC-Target-URI"),
        encoding=_charset(content_type),
    )


def _describe(record: ArcWarcRecord, path: Path, offset: int) -> str:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    return f"{path}: {record.rec_type or 'unknown'} record at offset {offset}" + (
        f" ({uri})" if uri else ""
    )


def _skip_reason(record: ArcWarcRecord) -> str | None:
    if record.rec_type not in ("response", "resource"):
        return f"{record.rec_type or 'unknown'} record"
    if record.rec_type == "response":
        if record.http_headers is None:
            return "response without HTTP headers"
        status = record.http_headers.get_statuscode()
        if status != "200":
            return f"HTTP status {status}"
    if _media_type(_content_type(record)) not in _HTML_TYPES:
        return "not HTML"
    return None


def _check_complete(record: ArcWarcRecord, where: str) -> InputError | None:
    """Read what is left of the record; an archive cut short leaves bytes unaccounted for."""
    stream = record.raw_stream
    try:
        while stream.read(_DRAIN_CHUNK):
            pass
    except Exception as exc:  # noqa: BLE001 -- a damaged gzip member fails while draining
        return InputError(f"{where}: unreadable record: {_reason(exc)}")
    missing = getattr(stream, "limit", 0)
    if missing > 0:
        declared = record.rec_headers.get_header("Content-Length")
        return InputError(f"{where}: truncated, {missing} of {declared} bytes missing")
    return None


def _find_next_record(fh: BinaryIO, position: int, gzipped: bool) -> int | None:
    """Find where the next record seems to start after a damaged one, if anywhere."""
    fh.seek(position)
    window = fh.read(_RESYNC_WINDOW)
    if gzipped:
        found = window.find(_GZIP_MAGIC)
    else:
        match = _WARC_START.search(window)
        found = match.start() if match else -1
    return position + found if found >= 0 else None


def _content_type(record: ArcWarcRecord) -> str:
    if record.rec_type == "response" and record.http_headers is not None:
        return record.http_headers.get_header("Content-Type") or ""
    return record.rec_headers.get_header("Content-Type") or ""


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _parse_warc_date(value: str | None) -> datetime:
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.fromtimestamp(0, UTC)


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if text.startswith("Unknown archive format"):
        return "not a WARC record (unknown archive format)"  # warcio quotes the bytes
    return text[:200]
