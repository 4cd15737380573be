"""Index batches written in another process while the writer goes on storing articles.

In a bulk load the one writer process both stores articles in the database and writes
each batch's index segments; at 100,000 articles the segments took 1,312 of its 1,987 s,
while the extraction worker on the other core was idle two thirds of the time
(docs/benchmarks.md). Here a child process writes a batch's segments (one of articles,
one of quotes) while the writer stores the next batch. When the next batch is ready, the
writer commits the finished segments into the index's table of contents, with the
deletions of older versions, as Whoosh's own multiprocess writer does
(`whoosh.multiproc.MpWriter` with `multisegment`).

A built segment is only files until a commit names it. A crash before that leaves files
that the next commit removes (`whoosh.index.clean_files` removes every file no segment
names), and the next run's repair indexes the articles again from the database. For the
same reason at most one batch is out at a time, and no Whoosh writer of the index is
open while it is: that writer's commit would remove the files being built.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from app.child_processes import child_pool


class SegmentBuilder:
    """One child process building one batch at a time, started at the first batch."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._out: Future | None = None

    @property
    def busy(self) -> bool:
        return self._out is not None

    def submit(self, build: Callable[..., Any], *args: Any) -> None:
        """Run the module-level function `build(*args)` in the child."""
        if self._out is not None:
            raise RuntimeError("a batch is still being built")
        if self._pool is None:
            self._pool = child_pool(1)
        self._out = self._pool.submit(build, *args)

    def result(self) -> Any:
        """Wait for the batch out and return what `build` returned, or raise what it
        raised (`BrokenProcessPool` if the child died: the next batch starts another)."""
        future, self._out = self._out, None
        if future is None:
            raise RuntimeError("no batch is being built")
        try:
            return future.result()
        except BrokenProcessPool:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            raise

    def close(self) -> None:
        """Stop the child; a batch still out is dropped, without waiting for it (Ctrl-C
        should not wait a minute): its files are removed by the next commit, its articles
        indexed by the next repair."""
        out, self._out = self._out, None
        if self._pool is None:
            return
        if out is not None and not out.done():
            for process in list(self._pool._processes.values()):  # no public kill (3.11)
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None


def commit_with(writer, segment, mergetype: Callable) -> None:
    """Commit a Whoosh `SegmentWriter` with `segment`, written by another writer that
    did not commit, added after the segments the merge policy keeps (as `MpWriter`)."""
    writer._check_state()
    segments = writer._merge_segments(mergetype, False, True)
    segments.append(segment)
    if writer._added:  # the merge policy merged segments into this writer's own
        segments.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()
