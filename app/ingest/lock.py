"""One writer at a time: ingest, reextract and reindex take an exclusive lock.

The lock is a file beside the index folder; with PostgreSQL it is also an advisory lock in
the database, so writers on different machines sharing one database exclude each other.
"""

import fcntl
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from app.db import is_postgres

# Advisory locks are named by a number, per database: this one means "the archive's writer".
WRITER_LOCK_KEY = 0x5041_5243_4856  # "PARCHV"

_BUSY = (
    "another ingest, reextract or reindex is writing to this archive; "
    "try again when it has finished"
)


class ArchiveBusy(RuntimeError):
    """Another process is writing to the archive."""


@contextmanager
def exclusive_writer(index_dir: Path, database_url: str | None = None) -> Iterator[None]:
    """Hold the writer lock for the block, or raise ArchiveBusy at once if another has it."""
    with ExitStack() as held:
        if database_url and is_postgres(database_url):
            held.enter_context(_database_lock(database_url))
        held.enter_context(_file_lock(index_dir))
        yield


@contextmanager
def _file_lock(index_dir: Path) -> Iterator[None]:
    path = Path(f"{index_dir}.write.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise ArchiveBusy(_BUSY) from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _database_lock(database_url: str) -> Iterator[None]:
    """pg_try_advisory_lock on a connection of its own, held for the block. The server
    releases it when that connection ends, so a killed writer never leaves it behind."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            locked = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": WRITER_LOCK_KEY}
            ).scalar()
            connection.commit()  # the lock is the session's, not the transaction's
            if not locked:
                raise ArchiveBusy(_BUSY)
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": WRITER_LOCK_KEY}
                )
                connection.commit()
    finally:
        engine.dispose()


@contextmanager
def writer_lock_if_free(index_dir: Path) -> Iterator[bool]:
    """The writer lock file if nobody holds it (True), else False at once: for housekeeping
    of this machine's index folder that must not run while a writer works, and need not
    wait for one."""
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
