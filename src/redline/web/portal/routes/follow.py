"""Following a report up with its receipt: read the thread, answer the officer (guessing throttled)."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from redline.errors import AccessDenied, InputError
from redline.intake import receipts, reports
from redline.web.portal.routes.reports import form_of, multipart
from redline.web.portal.state import (
    CATEGORY_LABELS,
    Refused,
    client_of,
    page,
    portal,
    refusal,
    today,
)

router = APIRouter()
ANSWER_BODY: Final = multipart({"receipt": {"type": "string"}, "text": {"type": "string"}})


def _follow(request: Request, code: str) -> reports.FollowUp:
    state = portal(request)
    client = state.guard.client(client_of(request))
    canonical = receipts.normalise(code) or code
    lookup = receipts.lookup_of(canonical)
    if state.guard.guessing_blocked(client, lookup):
        raise Refused(429, "回执码错误次数过多，请一小时后再试")
    try:
        return reports.follow_up(state.engine, code)
    except AccessDenied as exc:
        state.guard.failed_guess(client, lookup)
        raise Refused(404, "回执码不正确，没有找到对应的反映") from exc


@router.get("/follow", response_class=HTMLResponse)
def follow_form(request: Request) -> HTMLResponse:
    return page(request, "follow.html")


@router.post("/follow", response_class=HTMLResponse)
def follow_page(request: Request, receipt: Annotated[str, Form()] = "") -> HTMLResponse:
    found = _follow(request, receipt)
    return page(request, "thread.html", report=found, receipt=receipts.normalise(receipt), labels=CATEGORY_LABELS)


@router.post("/follow/answer", response_class=HTMLResponse, openapi_extra=ANSWER_BODY)
async def answer_page(request: Request) -> HTMLResponse:
    state = portal(request)
    fields, uploads = await form_of(request)
    receipt, text = fields.get("receipt", ""), fields.get("text", "")
    _follow(request, receipt)
    try:
        reports.answer(state.engine, state.config.data_dir, receipt, text, uploads, today())
    except InputError as exc:
        raise refusal(exc) from exc
    return page(request, "thread.html", report=reports.follow_up(state.engine, receipt),
                receipt=receipts.normalise(receipt), labels=CATEGORY_LABELS, answered=True)


@router.post("/api/follow")
def follow_api(request: Request, receipt: Annotated[str, Form()] = "") -> dict[str, object]:
    found = _follow(request, receipt)
    return {"status": found.status, "category": found.category, "received_on": found.received_on.isoformat(),
            "messages": [{"author": m.author, "sent_on": m.sent_on.isoformat(), "text": m.body.get("text", ""),
                          "files": [f["name"] for f in m.files]} for m in found.messages]}
