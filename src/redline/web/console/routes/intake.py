"""Reports from the public, for intake officers (信访举报): the list with its deadlines, reading
a report with the officer's passphrase, replying, opening a case, closing with an outcome.

The passphrase opens the officer's private key for one request and is never kept; every
read, reply, case and closing is in the audit log (the intake functions write it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.bundle.schema import CHINA
from redline.errors import AccessDenied, NotFound
from redline.intake import officers, previews
from redline.review.accounts import Actor, Role
from redline.web.console.deps import CsrfCtx, Ctx, CtxDep, LoginRequiredError
from redline.web.console.pages import render

router = APIRouter()
ReportId = Annotated[int, Path(ge=1, le=2**53)]
Passphrase = Annotated[str, Form(min_length=1, max_length=500)]


def _officer(ctx: Ctx) -> Actor:
    actor = ctx.actor
    if actor is None:
        raise LoginRequiredError("please log in")
    if actor.role != Role.INTAKE:
        raise AccessDenied("only intake officers read reports from the public")
    return actor


def _today() -> date:
    return datetime.now(CHINA).date()


def _summary(summary: officers.ReportSummary) -> dict[str, Any]:
    today = _today()
    due = summary.result_due if summary.status == "closed" else summary.accept_due if summary.status == "received" else None
    return {
        "id": summary.id, "category": summary.category, "status": summary.status, "real_name": summary.real_name,
        "substantive": summary.substantive, "received_on": summary.received_on.isoformat(),
        "accept_due": summary.accept_due.isoformat() if summary.accept_due else "",
        "result_due": summary.result_due.isoformat() if summary.result_due else "",
        "overdue": bool(due and due < today), "case_id": summary.case_id or "",
        "duplicate_of": summary.duplicate_of or "", "messages": summary.messages,
    }


@router.get("/intake", response_class=HTMLResponse, include_in_schema=False)
def intake_list(ctx: CtxDep) -> Response:
    _officer(ctx)
    rows = [_summary(s) for s in officers.list_reports(ctx.app.engine)]
    return render(ctx, "intake_list.html", rows=rows)


@router.get("/intake/{report_id}", response_class=HTMLResponse, include_in_schema=False)
def intake_locked(ctx: CtxDep, report_id: ReportId) -> Response:
    _officer(ctx)
    summary = next((s for s in officers.list_reports(ctx.app.engine) if s.id == report_id), None)
    if summary is None:
        raise NotFound(f"no report {report_id}")
    return render(ctx, "intake_report.html", r=_summary(summary), thread=None)


def _file_view(meta: dict[str, Any], data: bytes | None) -> dict[str, Any]:
    shown = previews.preview(data) if data is not None else None
    mime, extension = previews.sniffed(data) if data is not None else (str(meta.get("mime", "")), "")
    return {**meta, "mime": mime, "extension": extension, "missing": data is None,
            "pictures": shown.pictures if shown else (), "pages": shown.pages if shown else 0}


def _open(ctx: Ctx, report_id: int, passphrase: str, notice: str = "") -> Response:
    actor = _officer(ctx)
    summary, thread, files = officers.read_report_and_files(ctx.app.engine, ctx.app.settings.data_dir,
                                                           actor.username, passphrase, report_id)
    messages = [{"id": m.id, "author": m.author, "sent_on": m.sent_on.isoformat(), "body": m.body,
                 "files": [_file_view(f, files.get(int(f["id"]))) for f in m.files]} for m in thread]
    return render(ctx, "intake_report.html", r=_summary(summary), thread=messages, passphrase=passphrase,
                  notice=notice)


@router.post("/intake/{report_id}/open", response_class=HTMLResponse, include_in_schema=False)
def intake_open(ctx: CsrfCtx, report_id: ReportId, passphrase: Passphrase) -> Response:
    return _open(ctx, report_id, passphrase)


@router.post("/intake/{report_id}/reply", response_class=HTMLResponse, include_in_schema=False)
def intake_reply(ctx: CsrfCtx, report_id: ReportId, passphrase: Passphrase,
                 text: Annotated[str, Form(min_length=1, max_length=20_000)]) -> Response:
    actor = _officer(ctx)
    officers.reply(ctx.app.engine, ctx.app.settings.data_dir, actor.username, passphrase, report_id, text, _today())
    return _open(ctx, report_id, passphrase, notice="reply sent")


@router.post("/intake/{report_id}/close", response_class=HTMLResponse, include_in_schema=False)
def intake_close(ctx: CsrfCtx, report_id: ReportId, passphrase: Passphrase,
                 outcome: Annotated[str, Form(min_length=1, max_length=20_000)]) -> Response:
    actor = _officer(ctx)
    officers.close(ctx.app.engine, ctx.app.settings.data_dir, actor.username, passphrase, report_id, outcome, _today())
    return _open(ctx, report_id, passphrase, notice="closed")


@router.post("/intake/{report_id}/accept", include_in_schema=False)
def intake_accept(ctx: CsrfCtx, report_id: ReportId) -> Response:
    officers.accept(ctx.app.engine, _officer(ctx).username, report_id)
    return RedirectResponse(f"/intake/{report_id}", status_code=303)


@router.post("/intake/{report_id}/case", include_in_schema=False)
def intake_case(ctx: CsrfCtx, report_id: ReportId) -> Response:
    officers.open_case(ctx.app.engine, _officer(ctx).username, report_id)
    return RedirectResponse(f"/intake/{report_id}", status_code=303)


@router.post("/intake/{report_id}/duplicate", include_in_schema=False)
def intake_duplicate(ctx: CsrfCtx, report_id: ReportId,
                     original: Annotated[int, Form(ge=1, le=2**53)]) -> Response:
    officers.link_duplicate(ctx.app.engine, _officer(ctx).username, report_id, original)
    return RedirectResponse(f"/intake/{report_id}", status_code=303)


@router.post("/intake/{report_id}/files/{file_id}", include_in_schema=False)
def intake_file(ctx: CsrfCtx, report_id: ReportId, file_id: Annotated[int, Path(ge=1, le=2**53)],
                passphrase: Passphrase) -> Response:
    actor = _officer(ctx)
    _meta, data = officers.read_attachment(ctx.app.engine, ctx.app.settings.data_dir, actor.username, passphrase,
                                          report_id, file_id)
    # the type sniffed from the content, never the reporter's name, decides the type and the
    # extension the file is saved with (a photo opens as a photo, a PDF in a PDF reader)
    mime, extension = previews.sniffed(data)
    return Response(data, media_type=mime, headers={
        "Content-Disposition": f'attachment; filename="report-{report_id}-file-{file_id}.{extension}"'})
