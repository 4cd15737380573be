"""Friendly error pages (and JSON errors under /api) instead of stack traces."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

# Answers every route may give besides its own; declared so the OpenAPI document is true.
ERROR_RESPONSES: dict[int | str, dict] = {
    400: {"description": "A parameter the archive cannot use; `detail` says why."},
    404: {"description": "Nothing has this address."},
    503: {"description": "The archive is busy; try again after `Retry-After` seconds."},
}


class NotFound(Exception):
    """`link` is (text, path) to the page the reader probably wanted."""

    def __init__(self, message: str, link: tuple[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.link = link


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound):
        if _wants_json(request):
            return JSONResponse({"detail": error.message}, status_code=404)
        return request.app.state.templates.TemplateResponse(
            request,
            "error.html",
            {"title": "Not found", "message": error.message, "link": error.link},
            404,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        headers = dict(error.headers or {})
        if "Allow" in headers and "GET" in headers["Allow"] and "HEAD" not in headers["Allow"]:
            headers["Allow"] += ", HEAD"  # HeadAsGetMiddleware answers HEAD wherever GET is
        if _wants_json(request):
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=headers
            )
        title = "Not found" if error.status_code == 404 else "Something went wrong"
        message = (
            "There is no page at this address." if error.status_code == 404 else str(error.detail)
        )
        return request.app.state.templates.TemplateResponse(
            request,
            "error.html",
            {"title": title, "message": message},
            error.status_code,
            headers=headers,
        )
