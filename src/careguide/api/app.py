"""The FastAPI application: one router per skill, the web pages, errors and limits."""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from careguide import __version__
from careguide.api import errors
from careguide.api.middleware import BodySizeLimit, SecurityHeaders
from careguide.config import Settings, get_settings
from careguide.store.db import Database, get_database

# Routers by module; each module defines ``router``. A skill adds its line here.
ROUTER_MODULES: list[str] = [
    "careguide.api.routers.system",
    "careguide.api.routers.auth",
    "careguide.api.routers.people",
    "careguide.api.routers.notifications",
    "careguide.api.routers.factcheck",
    "careguide.api.routers.reports",
    "careguide.api.routers.triage",
    "careguide.api.routers.records",
    "careguide.api.routers.clinician",
    "careguide.api.routers.agents",
    "careguide.api.routers.chat",
    "careguide.api.routers.booking",
    "careguide.api.routers.voice",
    "careguide.api.routers.privacy",
    "careguide.web.pages",
    "careguide.web.skills",
    "careguide.web.account",
    "careguide.web.docs",
    "careguide.web.records_pages",
    "careguide.web.clinic",
    "careguide.web.chat",
    "careguide.web.booking_pages",
    "careguide.web.voice_page",
]
UPLOAD_PREFIXES: tuple[str, ...] = ("/api/v1/reports", "/api/v1/records/import", "/api/v1/voice", "/api/v1/check/image")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """With the embedded queue, this process also runs background jobs and the periodic schedule."""
    settings: Settings = app.state.settings
    stop = None
    if settings.queue == "inprocess" and settings.run_scheduler:
        from careguide.jobs.inprocess import InProcessBackend, start_scheduler
        from careguide.jobs.queue import set_backend

        backend = InProcessBackend(app.state.database)
        set_backend(backend)
        stop = start_scheduler(app.state.database, backend)
    yield
    if stop is not None:
        stop.set()


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = database or get_database(settings.resolved_database_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = FastAPI(
        lifespan=_lifespan,
        title="careguide",
        version=__version__,
        description="An open, self-hostable AI health manager. Never a diagnosis or a prescription.",
        docs_url=None,  # served by careguide.web.docs from local assets: no CDN, no inline script
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    errors.install(app)
    from careguide.api import resilience

    resilience.install(app)
    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    import fastapi_offline

    from careguide.web import STATIC_DIR

    swagger_assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/static/swagger", StaticFiles(directory=swagger_assets), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        upload_prefixes=UPLOAD_PREFIXES,
    )
    from careguide.api.ratelimit import RateLimit
    from careguide.privacy.ratelimit import Limit, RateLimiter, store_for

    app.add_middleware(RateLimit, limiter=RateLimiter(store_for(settings.queue, settings.redis_url)),
                       per_client=Limit("client", settings.rate_limit_per_client, 60),
                       per_credential=Limit("credential", settings.rate_limit_per_credential, 60),
                       costly=Limit("costly", settings.rate_limit_costly, 60))
    app.add_middleware(SecurityHeaders, hsts=settings.cookie_secure)
    return app
