"""The FastAPI application factory."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from app.config import Settings
from app.db import PROJECT_ROOT, make_engine
from app.ingest.lock import writer_lock_if_free
from app.search.backend import open_search_backend, search_backend_name
from app.web import api, exports, feeds, pages
from app.web.admission import AdmissionMiddleware
from app.web.cache import GenerationCache
from app.web.errors import install_error_handlers
from app.web.routes_by_name import install_url_for
from app.web.security import HeadAsGetMiddleware, SecurityHeadersMiddleware
from app.web.templating import compile_all, make_templates


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if search_backend_name(settings) == "whoosh":  # PostgreSQL keeps nothing on disk
            with writer_lock_if_free(settings.index_dir) as free:
                if free:  # no reindex running: its folder would look like a leftover
                    app.state.index.clean_leftovers()
        # Before this process takes its first request (uvicorn starts serving after the
        # lifespan's start): otherwise a reader waits seconds for it at 100,000 articles.
        app.state.index.warm()
        compile_all(app.state.templates)
        # What is read at start lives as long as the process: keep it out of the cyclic
        # garbage collector, whose full passes over it paused a request by 150 ms at
        # 100,000 articles.
        gc.collect()
        gc.freeze()
        yield
        app.state.index.close()
        app.state.engine.dispose()

    app = FastAPI(
        title=settings.site_name,
        description="Search policy articles by speaker, theme, source and date.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load script from a CDN and run inline script, which the
        # CSP forbids: /docs is a server-rendered page over the same OpenAPI schema.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    # The public server only reads: from the replica when there is one.
    app.state.engine = make_engine(settings, settings.read_database_url or None)
    app.state.index = open_search_backend(settings)
    app.state.cache = GenerationCache()
    app.state.templates = make_templates(reload=settings.reload_templates)
    app.state.templates.env.globals["site_name"] = settings.site_name
    app.state.templates.env.globals["site_url"] = settings.site_url.rstrip("/")
    # Added innermost first: headers wrap everything, then HEAD, Host check, admission.
    app.add_middleware(
        AdmissionMiddleware,
        limit=settings.max_active_requests,
        queue=settings.max_queued_requests,
        wait_seconds=settings.queue_seconds,
    )
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts(), www_redirect=False
    )
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=str(PROJECT_ROOT / "static")), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(exports.router)

    # async: answered on the event loop, never queued behind busy worker threads.
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"status": "ok"}

    install_error_handlers(app)
    install_url_for(app.state.templates.env, app.router)
    return app


def __getattr__(name: str):
    # `uvicorn app.main:app` asks for `app`; build it on first use, not at import.
    if name == "app":
        return create_app()
    raise AttributeError(name)
