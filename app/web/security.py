"""What the server trusts and shows: security headers, Host checking, relative redirects.

Pure ASGI middleware rather than BaseHTTPMiddleware: an unexpected error still gets a
complete 500 page with the headers, instead of a bare 500 and a reset connection.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("app.web")

HEADERS = {
    # No inline script anywhere: scripts come from /static only.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

ERROR_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Something went wrong</title>"
    "<h1>Something went wrong</h1><p>The archive could not answer this request. "
    "Please try again; if it keeps failing, tell the people who run this archive.</p>"
)


def relative_location(location: str) -> str:
    """A redirect target without scheme and host: never an address the client chose."""
    parts = urlsplit(location)
    # One leading slash only: "//evil.example" and "/\\evil.example" are off-site to browsers.
    target = "/" + parts.path.lstrip("/\\")
    if parts.query:
        target += f"?{parts.query}"
    return f"{target}#{parts.fragment}" if parts.fragment else target


class SecurityHeadersMiddleware:
    """Security headers on every response, relative redirects, and a 500 page for bugs."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if "location" in headers:
                    headers["location"] = relative_location(headers["location"])
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            logger.exception("error answering %s %s", scope.get("method"), scope.get("path"))
            if started:  # the status line is gone: nothing better to do than drop it
                raise
            await HTMLResponse(ERROR_PAGE, status_code=500)(scope, receive, send_secured)


class HeadAsGetMiddleware:
    """HEAD answers like GET without the body (FastAPI's GET routes refuse HEAD)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
