"""Cases: list, detail (alerts, timeline, counterparty graph, notes), workflow, exports, reveal."""

from __future__ import annotations

import json
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import NotFound
from redline.reports import letter
from redline.reports.casefile import gather
from redline.reports.docx import case_report
from redline.reports.xlsx import evidence_table
from redline.review import audit_log, cases, identity
from redline.review.accounts import Perm
from redline.store.tables.org import Group
from redline.web.console import present
from redline.web.console.deps import CsrfCtx, Ctx, CtxDep
from redline.web.console.pages import render
from redline.web.console.routes.alerts import ERRORS, AlertOut

router = APIRouter()
CaseId = Annotated[int, Path(ge=1, le=2**53)]


DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE: Final = 100  # context rows per page (the evidence above them is never cut)


def _case_dict(ctx: Ctx, case_id: int, kind: str = "all", page: int = 1) -> dict[str, Any]:
    actor = ctx.need(Perm.VIEW_CASES)
    masker = ctx.masker
    if kind not in cases.TIMELINE_KINDS:
        kind = "all"
    page = max(1, min(page, 10_000))
    with Session(ctx.app.engine) as session:
        view = cases.case_view(session, case_id)
        c = view.case
        rows = present.queue_rows(session, view.alerts, masker, ctx.lang)
        proof = cases.case_evidence(session, case_id)
        # one row more than the page says whether there is a next page
        items = cases.timeline(session, c.person_id, PAGE + 1, (page - 1) * PAGE, kind) if c.person_id else []
        more, items = len(items) > PAGE, items[:PAGE]
        edges = cases.counterparty_graph(session, c.person_id) if c.person_id else []
        groups = {i.counterparty for i in items if i.kind == "message" and not i.counterparty.startswith("dm:")}
        groups |= {m.conversation for m in proof.messages if not m.conversation.startswith("dm:")}
        names = dict(session.execute(select(Group.group_id, Group.name).where(Group.group_id.in_(groups))).all())
    audit_log.record(ctx.app.engine, actor.username, actor.role, "case.view", f"case:{case_id}")
    return {
        "id": c.id, "title": masker.mask(c.title), "person": masker.pseudonym(c.person_id), "status": c.status,
        "outcome": c.outcome, "disposition": c.disposition, "owner": c.owner or "",
        "created": present.when(c.created_at), "updated": present.when(c.updated_at),
        "next_statuses": list(cases.TRANSITIONS.get(c.status, ())),
        "alerts": rows,
        "evidence": {
            "messages": [{**present.message_dict(m, masker), "conversation": present.conversation_label(m.conversation, masker, names)}
                         for m in proof.messages],
            "payments": [present.payment_dict(p, masker) for p in proof.payments],
        },
        "context": {"kind": kind, "page": page, "more": more, "kinds": list(cases.TIMELINE_KINDS)},
        "notes": [{"time": present.when(n.created_at), "author": n.author, "text": masker.mask(n.text)} for n in view.notes],
        "decisions": [{"time": present.when(d.created_at), "actor": d.actor, "action": d.action,
                       "value": masker.mask(d.value), "reason": masker.mask(d.reason)} for d in view.decisions],
        "timeline": [{"time": present.when(i.time), "kind": i.kind, "id": masker.mask(i.item_id),
                      "counterparty": masker.pseudonym(i.counterparty) if i.kind == "payment"
                      else present.conversation_label(i.counterparty, masker, names),
                      "amount_yuan": present.yuan(i.amount_fen), "direction": i.direction,
                      "text": masker.mask(i.text)} for i in items],
        "graph": {
            "center": masker.pseudonym(c.person_id),
            "edges": [{"counterparty": masker.pseudonym(e.counterparty), "n_in": e.n_in, "yuan_in": e.fen_in / 100,
                       "n_out": e.n_out, "yuan_out": e.fen_out / 100} for e in edges],
        },
    }


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def cases_page(ctx: CtxDep, status: str | None = None) -> Response:
    ctx.need(Perm.VIEW_CASES)
    with Session(ctx.app.engine) as session:
        rows = [{"id": c.id, "title": ctx.masker.mask(c.title), "person": ctx.masker.pseudonym(c.person_id),
                 "status": c.status, "outcome": c.outcome or "", "disposition": c.disposition or "",
                 "owner": c.owner or "", "updated": present.when(c.updated_at), "n_alerts": n}
                for c, n in cases.list_cases(session, status if status in cases.STATUSES else None)]
    actor = ctx.need(Perm.VIEW_CASES)
    audit_log.record(ctx.app.engine, actor.username, actor.role, "cases.list", "", {"case_ids": [r["id"] for r in rows]})
    return render(ctx, "cases.html", rows=rows, status=status or "")


@router.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(ctx: CtxDep, case_id: CaseId, kind: Annotated[str, Query(max_length=16)] = "all",
              page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    case = _case_dict(ctx, case_id, kind, page)
    return render(ctx, "case.html", c=case, graph_json=json.dumps(case["graph"], ensure_ascii=False),
                  dispositions=cases.DISPOSITIONS, outcomes=cases.OUTCOMES)


@router.post("/cases/{case_id}/status", include_in_schema=False)
def status_form(ctx: CsrfCtx, case_id: CaseId, status: Annotated[str, Form(max_length=16)],
                outcome: Annotated[str, Form(max_length=16)] = "") -> Response:
    cases.set_status(ctx.app.engine, ctx.need(Perm.WORK_CASES), case_id, status, outcome or None)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/disposition", include_in_schema=False)
def disposition_form(ctx: CsrfCtx, case_id: CaseId, disposition: Annotated[str, Form(max_length=16)],
                     reason: Annotated[str, Form(max_length=4000)] = "") -> Response:
    cases.set_disposition(ctx.app.engine, ctx.need(Perm.WORK_CASES), case_id, disposition, reason)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/notes", include_in_schema=False)
def note_form(ctx: CsrfCtx, case_id: CaseId, text: Annotated[str, Form(max_length=10_000)]) -> Response:
    cases.add_note(ctx.app.engine, ctx.need(Perm.WORK_CASES), case_id, text)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def _export(ctx: Ctx, case_id: int, kind: Literal["docx", "xlsx"]) -> Response:
    actor = ctx.need(Perm.EXPORT)
    casefile = gather(ctx.app.engine, case_id, ctx.masker)
    if kind == "docx":
        body, media = case_report(casefile), DOCX
    else:
        body, media = evidence_table(casefile), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_log.record(ctx.app.engine, actor.username, actor.role, f"case.export.{kind}", f"case:{case_id}",
                     {"bytes": len(body), "findings": len(casefile.evidence)})
    name = f"redline-case-{case_id}.{kind}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/cases/{case_id}/report.docx", tags=["cases"], responses={**ERRORS, 200: {"description": "Word case report"}})
def report_docx(ctx: CtxDep, case_id: CaseId) -> Response:
    """The case report (.docx); investigators only; audited."""
    return _export(ctx, case_id, "docx")


@router.get("/cases/{case_id}/evidence.xlsx", tags=["cases"], responses={**ERRORS, 200: {"description": "Excel evidence table"}})
def evidence_xlsx(ctx: CtxDep, case_id: CaseId) -> Response:
    """The evidence table (.xlsx); investigators only; audited."""
    return _export(ctx, case_id, "xlsx")


@router.get("/cases/{case_id}/letter.docx", tags=["cases"],
            responses={**ERRORS, 200: {"description": "谈话函询 letter (.docx), a draft"}})
def letter_docx(ctx: CtxDep, case_id: CaseId) -> Response:
    """A draft 谈话函询 letter from the organisation's template (investigators; audited). It names
    the person only if the caller revealed them with a reason in this case, else the pseudonym."""
    actor = ctx.need(Perm.EXPORT)
    with Session(ctx.app.engine) as session:
        person_id = cases.case_view(session, case_id).case.person_id
    who = letter.revealed_in_case(ctx.app.engine, actor.username, person_id, case_id) if person_id else None
    drafted = letter.draft(ctx.app.engine, case_id, ctx.masker, who, ctx.app.settings.letter_template_path)
    audit_log.record(ctx.app.engine, actor.username, actor.role, "case.export.letter", f"case:{case_id}",
                     {"bytes": len(drafted.body), "named": drafted.named, "template": drafted.template,
                      "rules": drafted.n_rules, "matters": drafted.n_matters})
    return Response(drafted.body, media_type=DOCX, headers={
        "Content-Disposition": f'attachment; filename="redline-case-{case_id}-letter.docx"'})


@router.post("/reveal", response_class=HTMLResponse, include_in_schema=False)
def reveal_form(ctx: CsrfCtx, pseudonym: Annotated[str, Form(max_length=40)],
                reason: Annotated[str, Form(max_length=2000)], back: Annotated[str, Form(max_length=500)] = "/cases",
                case_id: Annotated[int | None, Form(ge=1, le=2**53)] = None) -> Response:
    actor = ctx.need(Perm.REVEAL)
    person_id = ctx.masker.by_pseudonym.get(pseudonym.strip())
    if person_id is None:
        raise NotFound(f"no person {pseudonym}")
    found = identity.reveal(ctx.app.engine, actor, person_id, reason, case_id)
    return render(ctx, "reveal.html", pseudonym=pseudonym, who=found, reason=reason,
                  back=back if back.startswith("/") and not back.startswith("//") else "/cases")


# ---- JSON API ----

class CaseOut(BaseModel):
    """A case with its alerts, notes, decisions, timeline and counterparty graph (masked)."""

    id: int
    title: str
    person: str
    status: str
    outcome: str | None
    disposition: str | None
    owner: str
    created: str
    updated: str
    next_statuses: list[str]
    alerts: list[AlertOut]
    notes: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    evidence: dict[str, Any]
    context: dict[str, Any]
    timeline: list[dict[str, Any]]
    graph: dict[str, Any]


class StatusIn(BaseModel):
    """Move the case along open → investigating → concluded (with an outcome)."""

    status: Literal["investigating", "concluded"]
    outcome: Literal["violation", "no_violation"] | None = None


class DispositionIn(BaseModel):
    """One of 谈话函询, 初步核实, 暂存待查, 予以了结, 审查调查."""

    disposition: Literal["谈话函询", "初步核实", "暂存待查", "予以了结", "审查调查"]
    reason: str = Field(default="", max_length=4000)


class NoteIn(BaseModel):
    """A note on a case."""

    text: str = Field(min_length=1, max_length=10_000)


class RevealIn(BaseModel):
    """Reveal who a pseudonym is: investigators only, with a written reason (audited)."""

    pseudonym: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=4, max_length=2000)
    case_id: int | None = Field(default=None, ge=1, le=2**53, description="the case the reveal is for (its letter may then name the person)")


class RevealOut(BaseModel):
    """The revealed identity."""

    pseudonym: str
    name: str
    unit: str
    post: str


class CaseSummary(BaseModel):
    """A row of the case list."""

    id: int
    title: str
    person: str
    status: str
    outcome: str | None
    disposition: str | None
    n_alerts: int


@router.get("/api/cases", response_model=list[CaseSummary], tags=["cases"], responses=ERRORS)
def api_cases(ctx: CtxDep, status: Literal["open", "investigating", "concluded"] | None = None) -> list[CaseSummary]:
    """Cases, newest first."""
    actor = ctx.need(Perm.VIEW_CASES)
    with Session(ctx.app.engine) as session:
        rows = [CaseSummary(id=c.id, title=ctx.masker.mask(c.title), person=ctx.masker.pseudonym(c.person_id),
                            status=c.status, outcome=c.outcome, disposition=c.disposition, n_alerts=n)
                for c, n in cases.list_cases(session, status)]
    audit_log.record(ctx.app.engine, actor.username, actor.role, "cases.list", "", {"case_ids": [r.id for r in rows]})
    return rows


@router.get("/api/cases/{case_id}", response_model=CaseOut, tags=["cases"], responses=ERRORS)
def api_case(ctx: CtxDep, case_id: CaseId, kind: Literal["all", "message", "payment", "group"] = "all",
             page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> CaseOut:
    """One case: every message and payment its alerts cite (`evidence`, never cut), then one
    page of the person's other messages and payments (`timeline`, 100 a page, `kind` filters)."""
    return CaseOut(**_case_dict(ctx, case_id, kind, page))


@router.post("/api/cases/{case_id}/status", response_model=CaseSummary, tags=["cases"], responses=ERRORS)
def api_status(ctx: CsrfCtx, case_id: CaseId, body: StatusIn) -> CaseSummary:
    """Change the case's status."""
    cases.set_status(ctx.app.engine, ctx.need(Perm.WORK_CASES), case_id, body.status, body.outcome)
    return _summary(ctx, case_id)


@router.post("/api/cases/{case_id}/disposition", response_model=CaseSummary, tags=["cases"], responses=ERRORS)
def api_disposition(ctx: CsrfCtx, case_id: CaseId, body: DispositionIn) -> CaseSummary:
    """Record the disposition people chose."""
    cases.set_disposition(ctx.app.engine, ctx.need(Perm.WORK_CASES), case_id, body.disposition, body.reason)
    return _summary(ctx, case_id)


@router.post("/api/cases/{case_id}/notes", response_model=CaseSummary, tags=["cases"], responses=ERRORS)
def api_note(ctx: CsrfCtx, case_id: CaseId, body: NoteIn) -> CaseSummary:
    """Add a note."""
    cases.add_note(ctx.app.engine, ctx.need(Perm.WORK_CASES), case_id, body.text)
    return _summary(ctx, case_id)


@router.post("/api/reveal", response_model=RevealOut, tags=["cases"], responses=ERRORS)
def api_reveal(ctx: CsrfCtx, body: RevealIn) -> RevealOut:
    """Reveal the identity behind a pseudonym."""
    actor = ctx.need(Perm.REVEAL)
    person_id = ctx.masker.by_pseudonym.get(body.pseudonym.strip())
    if person_id is None:
        raise NotFound(f"no person {body.pseudonym}")
    found = identity.reveal(ctx.app.engine, actor, person_id, body.reason, body.case_id)
    return RevealOut(pseudonym=body.pseudonym, name=found.name, unit=found.unit, post=found.post)


def _summary(ctx: Ctx, case_id: int) -> CaseSummary:
    with Session(ctx.app.engine) as session:
        for c, n in cases.list_cases(session, None, limit=10_000):
            if c.id == case_id:
                return CaseSummary(id=c.id, title=ctx.masker.mask(c.title), person=ctx.masker.pseudonym(c.person_id),
                                   status=c.status, outcome=c.outcome, disposition=c.disposition, n_alerts=n)
    raise NotFound(f"no case {case_id}")
