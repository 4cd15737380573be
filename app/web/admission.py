"""Load shedding: a bounded number of requests at work, a bounded queue, then 503.

Without it every connection got a worker thread that then waited for the index or a
database connection, and a burst left the server unable to answer even /healthz.
"""

from __future__ import annotations

import asyncio

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# Cheap answers that must stay quick under load: they never queue.
EXEMPT_PREFIXES = ("/healthz", "/static/")


class AdmissionMiddleware:
    def __init__(self, app: ASGIApp, *, limit: int, queue: int, wait_seconds: float):
        self.app = app
        self.limit = limit
        self.queue = queue
        self.wait_seconds = wait_seconds
        self._slots = asyncio.Semaphore(limit)
        self._waiting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if self._slots.locked() and self._waiting >= self.queue:
            await self._busy(scope, receive, send)
            return
        self._waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=self.wait_seconds)
        except TimeoutError:
            await self._busy(scope, receive, send)
            return
        finally:
            self._waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()

    @staticmethod
    async def _busy(scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            "The archive is busy; please try again in a few seconds.\n",
            status_code=503,
            headers={"Retry-After": "5"},
        )
        await response(scope, receive, send)
