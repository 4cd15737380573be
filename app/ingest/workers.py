"""Work in other processes, answers in input order: extraction beside the single writer."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from app.child_processes import child_pool

# Jobs handed out ahead of the one being stored, unless the caller says otherwise.
AHEAD = 256


def default_workers() -> int:
    """One worker per core but one: the writer (database and index) keeps a core."""
    return max(1, (os.cpu_count() or 1) - 1)


def in_order(
    jobs: Iterable[tuple[Any, Any]],
    *,
    here: Callable[[Any], Any],
    there: Callable[[Any], Any],
    initializer: Callable[..., None],
    initargs: tuple,
    workers: int,
    start_after: int,
    ahead: int = AHEAD,
) -> Iterator[tuple[Any, Any]]:
    """Yield `(item, answer)` for every job `(item, argument)`, in the order of `jobs`.

    An argument of None needs no work (its answer is None). The first `start_after`
    arguments are answered in this process with `here` (starting processes costs about a
    second, more than a few documents take); the rest by `there` in `workers` processes,
    which `initializer(*initargs)` prepares, at most `ahead` jobs ahead of the one being
    yielded. If a worker dies, the rest is answered here.
    `here` and `there` must answer alike; `there` must be a module-level function.
    """
    pool: ProcessPoolExecutor | None = None
    broken = False
    answered = 0
    pending: deque[tuple[Any, Any, Future | None]] = deque()

    def settle(item: Any, argument: Any, future: Future | None) -> tuple[Any, Any]:
        nonlocal broken
        if future is None:
            return item, None
        try:
            return item, future.result()
        except BrokenProcessPool:
            broken = True
            return item, here(argument)

    try:
        for item, argument in jobs:
            if pool is None and argument is not None and workers >= 1 and answered >= start_after:
                pool = child_pool(workers, initializer, initargs)
            future = None
            if pool is not None and not broken and argument is not None:
                try:
                    future = pool.submit(there, argument)
                except BrokenProcessPool:
                    broken = True
            if pool is None or broken:
                while pending:
                    yield settle(*pending.popleft())
                answered += argument is not None
                yield item, None if argument is None else here(argument)
                continue
            pending.append((item, argument, future))
            while len(pending) > ahead:
                yield settle(*pending.popleft())
        while pending:
            yield settle(*pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
