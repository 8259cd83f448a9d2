"""The public reporting portal (随手拍): a separate app that shares no cookies, sessions, routes
or static files with the console, and writes no IP address, user agent or referrer anywhere.

`create_portal_app(settings)` builds it from the route modules in `routes/` (filing a report,
following one up) around the state in `state`; `redline portal` serves it with uvicorn's access log
off, in one process or, with `--workers N`, in N processes that each build it with
`app_from_env` (rate limits then count per worker: see `guard`). Pages work without
JavaScript; the optional proof-of-work script is local.
"""

from __future__ import annotations

import json
import os
from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline.settings import Settings
from redline.store.db import make_engine, migrate
from redline.web.portal.forms import MAX_BODY_BYTES
from redline.web.portal.guard import Guard, Limits
from redline.web.portal.routes import follow, reports
from redline.web.portal.state import CATEGORY_LABELS, HERE, Portal, PortalConfig, Refused, page

__all__ = ["CATEGORY_LABELS", "PortalConfig", "app_from_env", "create_portal_app", "portal_engine", "portal_env"]

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


class PortalHeaders:
    """Security headers on every answer, never a cookie, and no body over the limit (pure ASGI:
    unlike `@app.middleware`, it does not relay the upload through a second task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if "set-cookie" in headers:  # the portal never sets a cookie
                    del headers["set-cookie"]
            await send(message)

        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            await JSONResponse({"error": "request too large"}, status_code=413)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def create_portal_app(settings: Settings, config: PortalConfig, engine: Engine | None = None) -> FastAPI:
    """The portal app over the database in `settings` (migrated on start)."""
    engine = engine or migrate(settings.db_url)
    guard = Guard(config.limits, config.pow_bits, config.pow_key)
    app = FastAPI(title="Redline 随手拍 reporting portal", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.portal = Portal(engine, config, guard, Jinja2Templates(directory=str(HERE / "templates")))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(PortalHeaders)
    for module in (reports, follow):
        app.include_router(module.router)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        return page(request, "error.html", status=exc.status, message=exc.message)

    app.state.engine = engine
    app.state.guard = guard
    return app


# every threadpool thread (anyio's default: 40) may hold a connection while it files a report;
# SQLAlchemy's default (5 + 10 overflow, closed on return) reopened them, PRAGMAs and all
POOL: Final = {"pool_size": 40, "max_overflow": 0}


def portal_engine(url: str) -> Engine:
    """The portal's engine: a pool as large as the threadpool (SQLite in memory keeps its own)."""
    return make_engine(url) if ":memory:" in url else make_engine(url, **POOL)


# what `redline portal --workers N` hands each worker process (uvicorn's factory mode) beyond
# the Settings (database, data folder: `Settings.to_env`): one run's limits and proof-of-work key
ENV_LIMITS: Final = "REDLINE_PORTAL_LIMITS"  # JSON of Limits' fields, as configured for the whole server
ENV_POW_BITS: Final = "REDLINE_PORTAL_POW_BITS"
ENV_POW_KEY: Final = "REDLINE_PORTAL_POW_KEY"  # hex; made by the parent at start, never written to disk
ENV_WORKERS: Final = "REDLINE_PORTAL_WORKERS"


def portal_env(settings: Settings, config: PortalConfig, workers: int) -> dict[str, str]:
    """The environment `app_from_env` rebuilds the portal from in each of `workers` processes."""
    from dataclasses import replace

    return {**replace(settings, data_dir=config.data_dir).to_env(), ENV_WORKERS: str(workers),
            ENV_LIMITS: json.dumps({name: getattr(config.limits, name) for name in Limits.__dataclass_fields__}),
            ENV_POW_BITS: str(config.pow_bits), ENV_POW_KEY: (config.pow_key or b"").hex()}


def app_from_env() -> FastAPI:
    """One worker's portal (uvicorn factory mode): its share of the limits, the shared pow key.

    The parent migrated the schema before starting the workers, so they only connect.
    """
    env = os.environ
    settings = Settings.from_env()
    workers = int(env.get(ENV_WORKERS, "1"))
    config = PortalConfig(data_dir=settings.data_dir,
                          limits=Limits(**json.loads(env.get(ENV_LIMITS, "{}"))).per_worker(workers),
                          pow_bits=int(env.get(ENV_POW_BITS, "0")), pow_key=bytes.fromhex(env.get(ENV_POW_KEY, "")) or None)
    return create_portal_app(settings, config, portal_engine(settings.db_url))
