"""The public reporting portal (随手拍): a separate app that shares no cookies, sessions, routes
or static files with the console, and writes no IP address, user agent or referrer anywhere.

`create_portal_app(settings)` builds it; `redline portal` serves it with uvicorn's access log
off, in one process or, with `--workers N`, in N processes that each build it with
`app_from_env` (rate limits then count per worker: see `guard`). Pages work without
JavaScript; the optional proof-of-work script is local.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline.errors import AccessDenied, ConfigError, InputError
from redline.intake import receipts, reports
from redline.intake.uploads import Upload, UploadError
from redline.settings import Settings
from redline.store.db import make_engine, migrate
from redline.web.common.i18n import gettext_for
from redline.web.portal.forms import FILE_FIELD, MAX_BODY_BYTES, read_form
from redline.web.portal.guard import Guard, Limits

HERE: Final = Path(__file__).parent
CHINA: Final = timezone(timedelta(hours=8))
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}
CATEGORY_LABELS: Final = {
    "gifts": "收受红包礼金", "vote_buying": "拉票贿选", "gambling": "赌博", "secrets": "泄露秘密",
    "privacy": "泄露他人隐私", "conduct": "作风问题", "factions": "拉帮结派", "rumour": "造谣传谣",
    "vulgar": "低俗内容", "promotion": "违规经商推销", "superstition": "封建迷信", "political": "政治纪律",
    "flattery": "吹捧奉承", "off_topic": "工作群违规", "governance": "工作群管理", "other": "其他",
}


@dataclass(frozen=True, slots=True)
class PortalConfig:
    """What the portal needs beyond Settings: where sealed files go, limits, proof of work."""

    data_dir: Path
    limits: Limits = field(default_factory=Limits)
    pow_bits: int = 0
    pow_key: bytes | None = None  # shared by worker processes so they accept each other's challenges


class _Refused(Exception):  # noqa: N818 - an HTTP answer, not an error of ours
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ReportForm(BaseModel):
    """The report form's fields (the same for the page and `POST /api/reports`)."""

    text: str = ""
    category: str = "other"
    contact: str = ""
    who: str = ""
    where: str = ""
    when: str = ""
    website: str = ""  # the honeypot: people never see it, bots fill it in
    challenge: str = ""  # proof of work, when it is switched on
    work: str = ""


def _multipart(properties: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI request body: form fields plus the `files` uploads (the handlers read it themselves)."""
    files = {FILE_FIELD: {"type": "array", "items": {"type": "string", "format": "binary"}}}
    schema = {"type": "object", "properties": {**properties, **files}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


REPORT_BODY: Final = _multipart(ReportForm.model_json_schema()["properties"])
ANSWER_BODY: Final = _multipart({"receipt": {"type": "string"}, "text": {"type": "string"}})


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


def _refusal(exc: InputError) -> _Refused:
    """An input error as the HTTP answer: uploads carry their own status (413, 415)."""
    return _Refused(exc.status if isinstance(exc, UploadError) else 400, exc.message)


def _today() -> date:
    return datetime.now(CHINA).date()


def create_portal_app(settings: Settings, config: PortalConfig, engine: Engine | None = None) -> FastAPI:
    """The portal app over the database in `settings` (migrated on start)."""
    engine = engine or migrate(settings.db_url)
    guard = Guard(config.limits, config.pow_bits, config.pow_key)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app = FastAPI(title="Redline 随手拍 reporting portal", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    locale_dir = HERE / "locales"

    app.add_middleware(PortalHeaders)

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = "en" if request.query_params.get("lang") == "en" else "zh_CN"
        _ = gettext_for(locale_dir, lang)
        return templates.TemplateResponse(
            request, name, {"_": _, "lang": lang, "categories": CATEGORY_LABELS, "pow_bits": guard.pow_bits,
                            "challenge": guard.challenge() if guard.pow_bits else "", **context},
            status_code=status)

    async def _form(request: Request) -> tuple[dict[str, str], list[Upload]]:
        try:
            return await read_form(request)
        except UploadError as exc:
            raise _refusal(exc) from exc

    async def _submit(request: Request) -> str | None:
        """The receipt, or None for a honeypot hit (answered like a success, stored nowhere)."""
        fields, uploads = await _form(request)
        form = ReportForm.model_validate(fields)
        client = guard.client(request.client.host if request.client else None)
        if not guard.allow_submit(client):
            raise _Refused(429, "提交过于频繁，请稍后再试")
        if not guard.check_work(form.challenge, form.work):
            raise _Refused(400, "校验未通过，请刷新页面后重试")
        if form.website:
            return None
        new = reports.NewReport(text=form.text, category=form.category or "other", contact=form.contact,
                                who=form.who, where=form.where, when=form.when, files=uploads)
        try:
            # re-encoding photos, argon2 and sealing release the GIL: run them off the event loop
            return await run_in_threadpool(reports.submit, engine, config.data_dir, new, _today())
        except InputError as exc:  # UploadError included
            raise _refusal(exc) from exc
        except ConfigError as exc:
            raise _Refused(503, exc.message) from exc

    @app.exception_handler(_Refused)
    async def refused(request: Request, exc: _Refused) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        return page(request, "error.html", status=exc.status, message=exc.message)

    @app.get("/", response_class=HTMLResponse)
    def form(request: Request) -> HTMLResponse:
        return page(request, "form.html")

    @app.post("/report", response_class=HTMLResponse, openapi_extra=REPORT_BODY)
    async def report_page(request: Request) -> HTMLResponse:
        code = await _submit(request)
        return page(request, "receipt.html", receipt=code or receipts.new_code())

    @app.post("/api/reports", openapi_extra=REPORT_BODY, status_code=201)
    async def report_api(request: Request) -> JSONResponse:
        code = await _submit(request)
        return JSONResponse({"receipt": code or receipts.new_code()}, status_code=201)

    @app.get("/api/pow")
    def pow_challenge() -> dict[str, object]:
        return {"bits": guard.pow_bits, "challenge": guard.challenge() if guard.pow_bits else ""}

    def _follow(request: Request, code: str) -> reports.FollowUp:
        client = guard.client(request.client.host if request.client else None)
        canonical = receipts.normalise(code) or code
        lookup = receipts.lookup_of(canonical)
        if guard.guessing_blocked(client, lookup):
            raise _Refused(429, "回执码错误次数过多，请一小时后再试")
        try:
            return reports.follow_up(engine, code)
        except AccessDenied as exc:
            guard.failed_guess(client, lookup)
            raise _Refused(404, "回执码不正确，没有找到对应的反映") from exc

    @app.get("/follow", response_class=HTMLResponse)
    def follow_form(request: Request) -> HTMLResponse:
        return page(request, "follow.html")

    @app.post("/follow", response_class=HTMLResponse)
    def follow_page(request: Request, receipt: Annotated[str, Form()] = "") -> HTMLResponse:
        found = _follow(request, receipt)
        return page(request, "thread.html", report=found, receipt=receipts.normalise(receipt), labels=CATEGORY_LABELS)

    @app.post("/follow/answer", response_class=HTMLResponse, openapi_extra=ANSWER_BODY)
    async def answer_page(request: Request) -> HTMLResponse:
        fields, uploads = await _form(request)
        receipt, text = fields.get("receipt", ""), fields.get("text", "")
        _follow(request, receipt)
        try:
            reports.answer(engine, config.data_dir, receipt, text, uploads, _today())
        except InputError as exc:
            raise _refusal(exc) from exc
        return page(request, "thread.html", report=reports.follow_up(engine, receipt),
                    receipt=receipts.normalise(receipt), labels=CATEGORY_LABELS, answered=True)

    @app.post("/api/follow")
    def follow_api(request: Request, receipt: Annotated[str, Form()] = "") -> dict[str, object]:
        found = _follow(request, receipt)
        return {"status": found.status, "category": found.category, "received_on": found.received_on.isoformat(),
                "messages": [{"author": m.author, "sent_on": m.sent_on.isoformat(), "text": m.body.get("text", ""),
                              "files": [f["name"] for f in m.files]} for m in found.messages]}

    app.state.engine = engine
    app.state.guard = guard
    return app


# every threadpool thread (anyio's default: 40) may hold a connection while it files a report;
# SQLAlchemy's default (5 + 10 overflow, closed on return) reopened them, PRAGMAs and all
POOL: Final = {"pool_size": 40, "max_overflow": 0}


def portal_engine(url: str) -> Engine:
    """The portal's engine: a pool as large as the threadpool (SQLite in memory keeps its own)."""
    return make_engine(url) if ":memory:" in url else make_engine(url, **POOL)


# what `redline portal --workers N` hands each worker process (uvicorn's factory mode)
ENV_DATA: Final = "REDLINE_PORTAL_DATA"
ENV_LIMITS: Final = "REDLINE_PORTAL_LIMITS"  # JSON of Limits' fields, as configured for the whole server
ENV_POW_BITS: Final = "REDLINE_PORTAL_POW_BITS"
ENV_POW_KEY: Final = "REDLINE_PORTAL_POW_KEY"  # hex; made by the parent at start, never written to disk
ENV_WORKERS: Final = "REDLINE_PORTAL_WORKERS"


def portal_env(settings: Settings, config: PortalConfig, workers: int) -> dict[str, str]:
    """The environment `app_from_env` rebuilds the portal from in each of `workers` processes."""
    return {"REDLINE_DB": settings.db_url, ENV_DATA: str(config.data_dir), ENV_WORKERS: str(workers),
            ENV_LIMITS: json.dumps({name: getattr(config.limits, name) for name in Limits.__dataclass_fields__}),
            ENV_POW_BITS: str(config.pow_bits), ENV_POW_KEY: (config.pow_key or b"").hex()}


def app_from_env() -> FastAPI:
    """One worker's portal (uvicorn factory mode): its share of the limits, the shared pow key.

    The parent migrated the schema before starting the workers, so they only connect.
    """
    env = os.environ
    settings = Settings.from_env()
    workers = int(env.get(ENV_WORKERS, "1"))
    config = PortalConfig(data_dir=Path(env[ENV_DATA]),
                          limits=Limits(**json.loads(env.get(ENV_LIMITS, "{}"))).per_worker(workers),
                          pow_bits=int(env.get(ENV_POW_BITS, "0")), pow_key=bytes.fromhex(env.get(ENV_POW_KEY, "")) or None)
    return create_portal_app(settings, config, portal_engine(settings.db_url))
