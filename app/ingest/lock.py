"""One writer at a time: ingest, reextract and reindex take an exclusive lock file."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ArchiveBusy(RuntimeError):
    """Another process is writing to the archive."""


@contextmanager
def exclusive_writer(index_dir: Path) -> Iterator[None]:
    path = Path(f"{index_dir}.write.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise ArchiveBusy(
                "another ingest, reextract or reindex is writing to this archive; "
                "try again when it has finished"
            ) from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def writer_lock_if_free(index_dir: Path) -> Iterator[bool]:
    """The writer lock if nobody holds it (True), else False at once: for housekeeping
    that must not run while a writer works, and need not wait for one."""
    path = Path(f"{index_dir}.write.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
