"""Helper processes of one command (extraction workers, an index segment builder): they
are started with `spawn` and die with the process that started them."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def _start_child(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    # Killed with its parent: a child must not outlive a killed command (it would wait
    # for work forever). Ctrl-C is the parent's to handle.
    with contextlib.suppress(OSError, AttributeError):  # not Linux: shutdown still applies
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def child_pool(
    processes: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A pool of `processes` children, each prepared by `initializer(*initargs)`."""
    return ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_child,
        initargs=(os.getpid(), initializer, initargs),
    )
