"""The reviewer console: `create_console_app(settings)` builds the FastAPI app explicitly.

Server-rendered pages (Jinja2) that work with plain forms, a JSON API under /api with an
OpenAPI document, every asset served from /static (no CDN: the console runs on intranets).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, create_engine
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline.errors import AccessDenied, RedlineError
from redline.review import audit_log
from redline.review.kept_forms import KEPT_FOR
from redline.settings import Settings
from redline.store.faults import DB_ERRORS, classify
from redline.web.common.errors import problem, status_of
from redline.web.console import pages
from redline.web.console.deps import KEPT_COOKIE, LoginRequiredError, context
from redline.web.console.routes import (
    admin,
    alerts,
    attachments,
    auth,
    cases,
    custody,
    intake,
    kept,
    live,
    people,
    quarantine,
    second_look,
)
from redline.web.console.state import HERE, Console

# no inline scripts or styles, nothing from elsewhere: charts and all come from /static
_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"


class SecurityHeaders:
    """Adds CSP, nosniff, referrer and no-store headers (a plain ASGI middleware: no body copies)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", _CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _after_login(request: Request) -> str:
    """Where to go after logging in: the page asked for, or for a form post (which a GET after
    the login would answer with 405) the page the form was on."""
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc)
    return (referer.path + (f"?{referer.query}" if referer.query else "")) if same_site and referer.path else "/alerts"


def _engine(settings: Settings) -> Engine:
    try:
        from redline.store.db import make_engine
    except ImportError:  # pragma: no cover - only before the store package lands
        return create_engine(settings.db_url)
    engine: Engine = make_engine(settings.db_url)
    return engine


def create_console_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The console app for `settings` (database URL, secret key); the schema must be migrated."""
    app = FastAPI(
        title="Redline console API", version="1", docs_url="/api/docs", redoc_url=None,
        openapi_url="/api/openapi.json",
        description="Alerts, decisions and cases of the Redline (红线) reviewer console. "
        "Log in with POST /api/login, then send the returned csrf_token in X-CSRF-Token.",
    )
    app.state.console = Console.build(settings, engine or _engine(settings))
    audit_log.anchor_to(app.state.console.engine, settings.audit_anchor)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (auth, alerts, cases, admin, intake, attachments, quarantine, live, people, custody, second_look,
                   kept):
        app.include_router(module.router)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RedlineError)
    async def redline_error(request: Request, exc: RedlineError) -> Response:
        api = request.url.path.startswith("/api/")
        if isinstance(exc, LoginRequiredError):
            if api:
                return JSONResponse({**problem(exc), "status": 401}, status_code=401)
            if exc.kept:  # the form just posted is kept: after the login it comes back filled in
                response = RedirectResponse("/login?next=/kept", status_code=303)
                response.set_cookie(KEPT_COOKIE, exc.kept, max_age=int(KEPT_FOR.total_seconds()), httponly=True,
                                    samesite="strict", secure=request.app.state.console.cookie_secure, path="/")
                return response
            return RedirectResponse(f"/login?next={quote(_after_login(request))}", status_code=303)
        code = status_of(exc)
        if isinstance(exc, AccessDenied):
            ctx = context(request)
            who = ctx.actor.username if ctx.actor else "-"
            role = ctx.actor.role if ctx.actor else ""
            audit_log.record(ctx.app.engine, who, role, "access.denied", request.url.path,
                             {"method": request.method, "detail": str(exc)})
        if api:
            return JSONResponse(problem(exc), status_code=code)
        return pages.error_page(context(request), code, str(exc))

    async def database_error(request: Request, exc: Exception) -> Response:
        # a database error no route turned into a RedlineError: classify by kind (5xx or 400), never a bare 500
        return await redline_error(request, classify(exc, f"{request.method} {request.url.path}"))

    for kind in DB_ERRORS:
        app.add_exception_handler(kind, database_error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static"):
            return JSONResponse({"type": "about:blank", "title": "HTTP error", "status": exc.status_code,
                                 "detail": str(exc.detail)}, status_code=exc.status_code)
        return pages.error_page(context(request), exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        body = {"type": "about:blank", "title": "Invalid request", "status": 422,
                "detail": "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())}
        if not request.url.path.startswith("/api/"):
            # a person typed or followed a bad address (/alerts/abc): a page in their language
            return pages.error_page(context(request), 422, body["detail"])
        return JSONResponse(body, status_code=422)

    return app


def app_from_env() -> FastAPI:
    """The console for uvicorn's factory mode (`redline serve --workers N`): settings from REDLINE_*."""
    return create_console_app(Settings.from_env())
