"""A case's holds, the portal reports linked to it with their deadlines, and its signed
evidence package (investigators; intake officers link reports; every act audited)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from redline.cases import holds, report_links
from redline.cases.package import export_package
from redline.cases.signing import load_or_create, public_hex
from redline.review import cases
from redline.review.accounts import Perm
from redline.store.tables.holds import Hold
from redline.web.console import present
from redline.web.console.deps import CsrfCtx, CtxDep
from redline.web.console.pages import render
from redline.web.console.routes.intake import CHINA, _officer as intake_officer

router = APIRouter()
CaseId = Annotated[int, Path(ge=1, le=2**53)]


def _rows(items: list[Hold]) -> list[dict[str, object]]:
    return [{"id": h.id, "scope": h.scope, "reason": h.reason, "by": h.placed_by, "at": present.when(h.placed_at),
             "lifted": present.when(h.lifted_at) if h.lifted_at else "", "lifted_by": h.lifted_by or "",
             "lift_reason": h.lift_reason or ""} for h in items]


@router.get("/cases/{case_id}/custody", response_class=HTMLResponse, include_in_schema=False)
def custody_page(ctx: CtxDep, case_id: CaseId) -> Response:
    """Holds on the case and its person, and the evidence package export."""
    ctx.need(Perm.VIEW_CASES)
    with Session(ctx.app.engine) as session:
        case = cases.case_view(session, case_id).case
        case_holds = holds.history(session, "case", str(case_id))
        person_holds = holds.history(session, "person", case.person_id) if case.person_id else []
        linked = report_links.reports_of_case(session, case_id)
    today = datetime.now(CHINA).date()
    reports = [{"id": r.report_id, "via": r.via, "category": r.category, "status": r.status,
                "received_on": r.received_on.isoformat(), "accept_due": _day(r.accept_due),
                "result_due": _day(r.result_due), "closed_on": _day(r.closed_on), "overdue": r.overdue(today)}
               for r in linked]
    key = load_or_create(ctx.app.settings.signing_key_file) if ctx.actor and ctx.actor.can(Perm.EXPORT) else None
    return render(ctx, "custody.html", case_id=case_id, person=ctx.masker.pseudonym(case.person_id),
                  case_holds=_rows(case_holds), person_holds=_rows(person_holds),
                  public_key=public_hex(key) if key else "", reports=reports)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


@router.post("/intake/{report_id}/link", include_in_schema=False)
def link_report(ctx: CsrfCtx, report_id: Annotated[int, Path(ge=1, le=2**53)],
                kind: Annotated[str, Form(max_length=16)], target: Annotated[str, Form(max_length=300)]) -> Response:
    """An intake officer links the report to a person (pseudonym), an alert or a case."""
    officer = intake_officer(ctx)
    if kind == "person":  # officers see pseudonyms; the link stores the person id
        target = ctx.masker.by_pseudonym.get(target.strip(), target.strip())
    report_links.link(ctx.app.engine, officer.username, report_id, kind, target)
    return RedirectResponse(f"/intake/{report_id}", status_code=303)


@router.post("/cases/{case_id}/holds", include_in_schema=False)
def place_hold(ctx: CsrfCtx, case_id: CaseId, reason: Annotated[str, Form(max_length=2000)]) -> Response:
    holds.place(ctx.app.engine, ctx.need(Perm.WORK_CASES), "case", str(case_id), reason)
    return RedirectResponse(f"/cases/{case_id}/custody", status_code=303)


@router.post("/holds/{hold_id}/lift", include_in_schema=False)
def lift_hold(ctx: CsrfCtx, hold_id: Annotated[int, Path(ge=1, le=2**53)],
              reason: Annotated[str, Form(max_length=2000)],
              back: Annotated[str, Form(max_length=500)] = "/cases") -> Response:
    holds.lift(ctx.app.engine, ctx.need(Perm.WORK_CASES), hold_id, reason)
    return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/cases", status_code=303)


@router.post("/cases/{case_id}/package", include_in_schema=False)
def package(ctx: CsrfCtx, case_id: CaseId, redact: Annotated[str, Form(max_length=8)] = "") -> Response:
    """The signed evidence package (.zip). It holds the originals with real names, so it needs
    both the export and the reveal permission."""
    actor = ctx.need(Perm.EXPORT)
    ctx.need(Perm.REVEAL)
    key = load_or_create(ctx.app.settings.signing_key_file)
    with tempfile.TemporaryDirectory() as folder:
        out = FilePath(folder) / "package.zip"
        export_package(ctx.app.engine, case_id, out, key, ctx.app.pseudonym_key, actor=actor.username,
                       role=actor.role, redact_third_parties=bool(redact))
        body = out.read_bytes()
    name = f"redline-case-{case_id}-evidence.zip"
    return Response(body, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
