"""Aggregates that change only when the archive does, kept per index generation.

Every ingest that changes an article commits the index, so the index generation is a
cheap key for "nothing changed since": counts over all quotes or themes are computed
once per generation instead of on every page view.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class GenerationCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._values: dict[object, object] = {}

    def get(self, generation: int, key: object, compute: Callable[[], T]) -> T:
        with self._lock:
            if generation != self._generation:
                self._generation, self._values = generation, {}
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            if generation == self._generation:
                self._values[key] = value
        return value
