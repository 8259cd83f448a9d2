"""Filing a report: the form, the page and API that take it, the proof-of-work challenge."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from redline.errors import ConfigError, InputError, ServerFault
from redline.intake import receipts, reports
from redline.intake.uploads import Upload, UploadError
from redline.web.portal.forms import FILE_FIELD, read_form
from redline.web.portal.state import Refused, client_of, page, portal, refusal, today

router = APIRouter()


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


def multipart(properties: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI request body: form fields plus the `files` uploads (the handlers read it themselves)."""
    files = {FILE_FIELD: {"type": "array", "items": {"type": "string", "format": "binary"}}}
    schema = {"type": "object", "properties": {**properties, **files}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


REPORT_BODY: Final = multipart(ReportForm.model_json_schema()["properties"])


async def form_of(request: Request) -> tuple[dict[str, str], list[Upload]]:
    """The multipart form's fields and files, or a refusal with the upload's status."""
    try:
        return await read_form(request)
    except UploadError as exc:
        raise refusal(exc) from exc


async def _submit(request: Request) -> str | None:
    """The receipt, or None for a honeypot hit (answered like a success, stored nowhere)."""
    state = portal(request)
    fields, uploads = await form_of(request)
    form = ReportForm.model_validate(fields)
    client = state.guard.client(client_of(request))
    if not state.guard.allow_submit(client):
        raise Refused(429, "提交过于频繁，请稍后再试")
    if not state.guard.check_work(form.challenge, form.work):
        raise Refused(400, "校验未通过，请刷新页面后重试")
    if form.website:
        return None
    new = reports.NewReport(text=form.text, category=form.category or "other", contact=form.contact,
                            who=form.who, where=form.where, when=form.when, files=uploads)
    try:
        # re-encoding photos, argon2 and sealing release the GIL: run them off the event loop
        return await run_in_threadpool(reports.submit, state.engine, state.config.data_dir, new, today())
    except InputError as exc:  # UploadError included
        raise refusal(exc) from exc
    except ConfigError as exc:  # no intake officer's key yet: our side, and the message says what is missing
        raise Refused(503, exc.message) from exc
    except ServerFault as exc:  # the database is unreachable: our side, said without its details
        raise Refused(503, "暂时无法受理，请稍后再试") from exc


@router.get("/", response_class=HTMLResponse)
def form(request: Request) -> HTMLResponse:
    return page(request, "form.html")


@router.post("/report", response_class=HTMLResponse, openapi_extra=REPORT_BODY)
async def report_page(request: Request) -> HTMLResponse:
    code = await _submit(request)
    return page(request, "receipt.html", receipt=code or receipts.new_code())


@router.post("/api/reports", openapi_extra=REPORT_BODY, status_code=201)
async def report_api(request: Request) -> JSONResponse:
    code = await _submit(request)
    return JSONResponse({"receipt": code or receipts.new_code()}, status_code=201)


@router.get("/api/pow")
def pow_challenge(request: Request) -> dict[str, object]:
    guard = portal(request).guard
    return {"bits": guard.pow_bits, "challenge": guard.challenge() if guard.pow_bits else ""}
