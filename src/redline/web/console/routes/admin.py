"""Pages for auditors and administrators: audit log, dashboard, packs, import, accounts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path as PathParam, Query, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.bundle import read_bundle
from redline.errors import ConfigError, RedlineError, TooLarge
from redline.pipeline.concerns import Concerns
from redline.pipeline.process import after_load
from redline.review import accounts, audit_log, second_look
from redline.review.accounts import Perm
from redline.review.dashboard import dashboard
from redline.review.precision import precision_stats
from redline.review.pseudonyms import mask_rejected
from redline.review.workload import workload
from redline.rules.load import load_packs, shipped_pack_paths
from redline.rules.plan import ScanPlan
from redline.store.load import load_bundle
from redline.store.tables.audit import AuditEntry
from redline.store.tables.findings import FindingRow
from redline.web.console import present, trial
from redline.web.console.deps import CsrfCtx, CtxDep
from redline.web.console.pages import render
from redline.web.console.routes.alerts import ERRORS

router = APIRouter()
MAX_UPLOAD = 512 * 1024 * 1024


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    ctx: CtxDep, actor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=48)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**53)] = None, verify: bool = False,
) -> Response:
    who = ctx.need(Perm.VIEW_AUDIT)
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(100)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if before:
        query = query.where(AuditEntry.seq < before)
    with Session(ctx.app.engine) as session:
        entries = [{"seq": e.seq, "at": present.when(e.at), "actor": e.actor, "role": e.role, "action": e.action,
                    "target": e.target, "detail": ctx.masker.mask(json.dumps(e.detail, ensure_ascii=False)),
                    "hash": e.hash[:12]} for e in session.scalars(query)]
    result = audit_log.verify(ctx.app.engine, ctx.app.settings.audit_anchor) if verify else None
    if verify:
        audit_log.record(ctx.app.engine, who.username, who.role, "audit.verify", "",
                         {"ok": result.ok if result else None})
    older = f"/audit?before={entries[-1]['seq']}" if len(entries) == 100 else ""
    return render(ctx, "audit.html", entries=entries, result=result, older=older,
                  actor_filter=actor or "", action_filter=action or "")


class VerifyOut(BaseModel):
    """The chain check: ok, how many entries were checked, the first broken entry."""

    ok: bool
    checked: int
    broken_seq: int | None
    problem: str


@router.get("/api/audit/verify", response_model=VerifyOut, tags=["audit"], responses=ERRORS)
def api_verify(ctx: CtxDep) -> VerifyOut:
    """Verify the whole audit chain (auditors and administrators)."""
    ctx.need(Perm.VIEW_AUDIT)
    result = audit_log.verify(ctx.app.engine, ctx.app.settings.audit_anchor)
    return VerifyOut(ok=result.ok, checked=result.checked, broken_seq=result.broken_seq, problem=result.problem)


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(ctx: CtxDep) -> Response:
    ctx.need(Perm.VIEW_DASHBOARD)
    board = ctx.app.cached("dashboard", 60.0, lambda: dashboard(ctx.app.engine))
    charts = {
        "category": [[ctx._(k), v] for k, v in board.by_category], "rule": board.by_rule,
        "unit": board.by_unit, "week": board.by_week,
    }
    precision = ctx.app.cached("precision", 60.0, lambda: precision_stats(ctx.app.engine))
    # dismissal reasons are reviewers' free text: they may name people, so they are masked
    reasons = {id(r): ctx.masker.mask(r["top_dismissal_reasons"][0]["reason"]) if r["top_dismissal_reasons"] else ""
               for r in precision["rules"]}
    precision = {**precision, "rules": [{**r, "top_reason": reasons[id(r)]} for r in precision["rules"]]}
    figures = ctx.app.cached("agreement", 60.0, lambda: second_look.agreement(ctx.app.engine))
    # rows for the template (which sees dicts as objects): overall, per rule, per first reviewer
    agreement = [{"key": "overall", "label": ctx._("All"), **figures["overall"]}] + [
        {"key": f"{kind}:{k}", "label": k, **a} for kind in ("rule", "reviewer")
        for k, a in figures[f"by_{kind}"].items()]
    load = ctx.app.cached("workload", 60.0, lambda: workload(ctx.app.engine))
    return render(ctx, "dashboard.html", board=board, charts_json=json.dumps(charts, ensure_ascii=False),
                  coverage=_cached_coverage(ctx), precision=precision, agreement=agreement, load=load)


def _coverage(app: Any) -> dict[str, Any]:
    """Packs and rules with their findings; rules that cannot fire are 'not covered'."""
    result = load_packs(shipped_pack_paths(), overrides=app.settings.overrides_path)
    with Session(app.engine) as session:
        counts = dict(session.execute(select(FindingRow.rule_id, func.count()).group_by(FindingRow.rule_id)).all())
    packs: list[dict[str, Any]] = []
    for pack in result.packs.packs:
        rules = []
        for lr in result.packs.rules:
            if lr.pack.pack != pack.pack:
                continue
            dead = not lr.triggers or all(bool(t.empty_lexicons) for t in lr.triggers)
            rules.append({"id": lr.rule.id, "title": lr.rule.title, "text": lr.rule.text,
                          "category": str(lr.rule.category), "severity": str(lr.rule.severity),
                          "enabled": lr.enabled, "covered": lr.enabled and not dead,
                          "findings": int(counts.get(lr.rule.id, 0))})
        covered = sum(1 for r in rules if r["covered"])
        packs.append({"pack": pack.pack, "title": pack.title, "issued_by": pack.issued_by, "year": pack.year,
                      "version": pack.version, "rules": rules, "covered": covered})
    return {"packs": packs, "errors": [str(e) for e in result.errors]}


def _cached_coverage(ctx: CtxDep) -> dict[str, Any]:
    # loading every pack takes seconds: once per five minutes, or after the overrides change
    return ctx.app.cached("coverage", 300.0, lambda: _coverage(ctx.app))


def _plan(ctx: CtxDep) -> ScanPlan:
    """The plan imports are screened with: compiling every pack takes seconds, so once an hour
    or after the overrides change."""
    from redline.rules.build import build_plan

    return ctx.app.cached("plan", 3600.0, lambda: build_plan("all", ctx.app.settings.overrides_path).plan)


@router.get("/packs", response_class=HTMLResponse, include_in_schema=False)
def packs_page(ctx: CtxDep, errors: str = "") -> Response:
    ctx.need(Perm.VIEW_PACKS)
    path = ctx.app.settings.overrides_path
    current = path.read_text(encoding="utf-8") if path and path.exists() else ""
    return render(ctx, "packs.html", coverage=_cached_coverage(ctx), overrides=current,
                  overrides_path=str(path or ""), errors=[], saved=False, trial=None, trial_rules=[])


@router.post("/packs/backtest", response_class=HTMLResponse, include_in_schema=False)
def trial_overrides(ctx: CsrfCtx, text: Annotated[str, Form(max_length=1_000_000)]) -> Response:
    """试运行: what the text in the box would add to and remove from the queue; nothing saved."""
    ctx.need(Perm.EDIT_PACKS)
    path = ctx.app.settings.overrides_path
    if path is None:
        raise ConfigError("no overrides file configured: start the console with REDLINE_OVERRIDES=PATH")
    result = trial.run_trial(ctx.app, text, path)
    return render(ctx, "packs.html", status_code=400 if result.errors else 200, coverage=_cached_coverage(ctx),
                  overrides=text, overrides_path=str(path), errors=result.errors, saved=False, trial=result.report,
                  trial_rules=trial.touched(result.report))


@router.post("/packs/overrides", response_class=HTMLResponse, include_in_schema=False)
def save_overrides(ctx: CsrfCtx, text: Annotated[str, Form(max_length=1_000_000)]) -> Response:
    actor = ctx.need(Perm.EDIT_PACKS)
    path = ctx.app.settings.overrides_path
    if path is None:
        raise ConfigError("no overrides file configured: start the console with REDLINE_OVERRIDES=PATH")
    # validate with the real loader against a copy next to the real file (relative term-list paths work)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=path.parent, delete=False, encoding="utf-8") as tmp:
        tmp.write(text)
    candidate = Path(tmp.name)
    result = load_packs(shipped_pack_paths(), overrides=candidate)
    if result.errors:
        errors = [str(e).replace(str(candidate), path.name) for e in result.errors]
        candidate.unlink()
        return render(ctx, "packs.html", status_code=400, coverage=_cached_coverage(ctx), overrides=text,
                      overrides_path=str(path), errors=errors, saved=False, trial=None, trial_rules=[])
    # the trial run's report (cached when the reviewer ran 试运行 first) goes into the audit entry
    report = trial.run_trial(ctx.app, text, path).report
    candidate.replace(path)  # atomic: the scanner never reads half a file
    ctx.app.forget("coverage")
    ctx.app.forget("plan")
    audit_log.record(ctx.app.engine, actor.username, actor.role, "packs.overrides", str(path),
                     {"chars": len(text), "backtest": trial.audit_summary(report) if report else None})
    return render(ctx, "packs.html", coverage=_cached_coverage(ctx), overrides=text, overrides_path=str(path),
                  errors=[], saved=True, trial=report,
                  trial_rules=trial.touched(report))


@router.get("/import", response_class=HTMLResponse, include_in_schema=False)
def import_page(ctx: CtxDep) -> Response:
    ctx.need(Perm.IMPORT)
    return render(ctx, "import.html", report=None)


@router.post("/import", response_class=HTMLResponse, include_in_schema=False)
def import_bundle(ctx: CsrfCtx, bundle: Annotated[UploadFile, File()]) -> Response:
    actor = ctx.need(Perm.IMPORT)
    name = Path(bundle.filename or "bundle.zip").name
    if not name.endswith(".zip"):
        raise ConfigError("upload a bundle as a .zip file")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / name
        size = 0
        with target.open("wb") as out:
            while chunk := bundle.file.read(1 << 20):
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise TooLarge(f"upload larger than {MAX_UPLOAD // 2**20} MB")
                out.write(chunk)
        try:
            read = read_bundle(target)
            # the upload's own name, not the temporary path: a re-upload then resolves its fixed rows
            report = load_bundle(ctx.app.engine, read, name=name)
        except RedlineError:
            audit_log.record(ctx.app.engine, actor.username, actor.role, "import.failed", name, {"bytes": size})
            raise
    # screened like any other load: its messages, and the record analyses of whom it concerns
    processed = after_load(ctx.app.engine, _plan(ctx), Concerns.of_tables(read.tables).all_now())
    new_alerts = processed.new_alerts
    ctx.app.refresh_masker()
    audit_log.record(ctx.app.engine, actor.username, actor.role, "import", name,
                     {"bytes": size, "rows": report.rows_loaded, "quarantined": len(report.quarantined),
                      "quarantine_fixed": report.stored_quarantine.resolved if report.stored_quarantine else 0})
    mask = ctx.masker.mask
    quarantine = [{"file": q.file, "line": q.line, "field": q.field,
                   "reason": mask_rejected(mask, q.file, q.reason),
                   "raw": mask_rejected(mask, q.file, str(q.raw))[:300]} for q in report.quarantined[:500]]
    return render(ctx, "import.html", report=report, quarantine=quarantine, new_alerts=new_alerts)


@router.get("/accounts", response_class=HTMLResponse, include_in_schema=False)
def accounts_page(ctx: CtxDep, added: str = "") -> Response:
    ctx.need(Perm.MANAGE_ACCOUNTS)
    return render(ctx, "accounts.html", rows=accounts.list_accounts(ctx.app.engine), roles=list(accounts.Role),
                  added=added)


@router.post("/accounts", include_in_schema=False)
def add_account(ctx: CsrfCtx, username: Annotated[str, Form(max_length=64)], role: Annotated[str, Form(max_length=16)],
                password: Annotated[str, Form(max_length=200)]) -> Response:
    actor = ctx.need(Perm.MANAGE_ACCOUNTS)
    accounts.add_account(ctx.app.engine, username, role, password)
    audit_log.record(ctx.app.engine, actor.username, actor.role, "account.add", f"account:{username}", {"role": role})
    return RedirectResponse(f"/accounts?added={username}", status_code=303)


@router.post("/accounts/{username}/active", include_in_schema=False)
def set_account_active(ctx: CsrfCtx, username: Annotated[str, PathParam(max_length=64)],
                       active: Annotated[str, Form(pattern="^[01]$")]) -> Response:
    """Disable (active=0) or enable (1) an account; disabling ends its sessions at once."""
    actor = ctx.need(Perm.MANAGE_ACCOUNTS)
    if username == actor.username and active == "0":
        raise ConfigError("you cannot disable your own account")
    accounts.set_active(ctx.app.engine, username, active == "1")
    audit_log.record(ctx.app.engine, actor.username, actor.role,
                     "account.enable" if active == "1" else "account.disable", f"account:{username}", {})
    return RedirectResponse("/accounts", status_code=303)
