"""The alert queue and alert detail: pages, bulk actions and the JSON API."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from redline.errors import ConfigError
from redline.review import alerts as queue, audit_log, decisions
from redline.review.accounts import Perm
from redline.web.console import alert_view, present, queue_groups
from redline.web.console.deps import CsrfCtx, Ctx, CtxDep
from redline.web.console.pages import render

router = APIRouter()
AlertId = Annotated[int, Path(ge=1, le=2**53)]
Text = Annotated[str | None, Query(max_length=200)]


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from exc


def _filter(
    pack: str | None, rule_id: str | None, category: str | None, severity: str | None, unit: str | None,
    date_from: str | None, date_to: str | None, status: str | None, assignee: str | None,
) -> queue.QueueFilter:
    # plain HTML forms send empty strings for untouched fields: they mean "any"
    return queue.QueueFilter(
        pack=pack or None, rule_id=rule_id or None, category=category or None,
        severity=severity or None, unit=unit or None, date_from=_day(date_from, "date_from"),
        date_to=_day(date_to, "date_to"), status=None if status in ("", "all") else (status or "new"),
        assignee=assignee or None,
    )


def _page(ctx: Ctx, flt: queue.QueueFilter, sort: str, cursor: str | None, limit: int,
          group: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    actor = ctx.need(Perm.VIEW_ALERTS)
    with Session(ctx.app.engine) as session:
        page = queue.list_alerts(session, flt, sort, cursor, limit)
        rows = present.queue_rows(session, page.alerts, ctx.masker, ctx.lang)
        if group in queue_groups.GROUPINGS:
            rows = queue_groups.group_rows(session, page.alerts, rows, group, ctx.masker, ctx._)
    # the queue shows each alert's reason: a view of leads, so it is audited like the rest
    shown = {k: str(v) for k, v in asdict(flt).items() if v}
    audit_log.record(ctx.app.engine, actor.username, actor.role, "alerts.list", "",
                     {"filter": shown, "alert_ids": [r["id"] for r in rows]})
    return rows, page.next_cursor


@router.get("/", include_in_schema=False)
def home(ctx: CtxDep) -> Response:
    if ctx.actor is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/alerts" if ctx.actor.can(Perm.VIEW_ALERTS) else "/dashboard", status_code=303)


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def queue_page(
    ctx: CtxDep, pack: Text = None, rule_id: Text = None, category: Text = None, severity: Text = None,
    unit: Text = None, date_from: Text = None, date_to: Text = None, status: Text = "new",
    assignee: Text = None, sort: Text = "severity", cursor: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    selected: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    check: Annotated[str | None, Query(max_length=4)] = None,
    group: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    ctx.need(Perm.VIEW_ALERTS)
    flt = _filter(pack, rule_id, category, severity, unit, date_from, date_to, status, assignee)
    group = group if group in queue_groups.GROUPINGS else None
    rows, next_cursor = _page(ctx, flt, sort or "severity", cursor, limit, group)
    with Session(ctx.app.engine) as session:
        total = queue.count_alerts(session, flt)
        users = decisions.assignees(session)
    params = {k: v for k, v in {"pack": pack, "rule_id": rule_id, "category": category, "severity": severity,
                                "unit": unit, "date_from": date_from, "date_to": date_to, "status": status,
                                "assignee": assignee, "sort": sort, "limit": limit, "group": group}.items() if v}
    here = {**params, **({"cursor": cursor} if cursor else {})}
    next_url = f"/alerts?{urlencode({**params, 'cursor': next_cursor})}" if next_cursor else ""
    options = ctx.app.filter_options()
    # list and preview: the selected alert beside the queue (a link per row, so it works without
    # JavaScript; j/k in console.js follow those links)
    ids = [r["id"] for r in rows]
    chosen = selected if selected in ids else None
    preview = _detail(ctx, chosen) if chosen else None
    after = ids[ids.index(chosen) + 1] if chosen and ids.index(chosen) + 1 < len(ids) else None
    return render(ctx, "queue.html", rows=rows, params=params, next_url=next_url,
                  first_url=f"/alerts?{urlencode(params)}", options=options, sorts=queue.SORTS,
                  statuses=queue.STATUSES, back=f"/alerts?{urlencode({**here, **({'selected': after} if after else {})})}",
                  here=f"/alerts?{urlencode(here)}", total=total, cap=queue.COUNT_CAP, preview=preview,
                  selected=chosen, check_all=check == "all", assignees=users, wrong_hit_reasons=WRONG_HIT_REASONS,
                  lang_query=urlencode({**here, **({"selected": chosen} if chosen else {})}))


@router.post("/alerts/bulk", include_in_schema=False)
def bulk(
    ctx: CsrfCtx, action: Annotated[str, Form(max_length=16)],
    alert_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    reason: Annotated[str, Form(max_length=4000)] = "", value: Annotated[str, Form(max_length=64)] = "",
    back: Annotated[str, Form(max_length=2000)] = "/alerts",
) -> Response:
    actor = ctx.need(Perm.DECIDE)
    case_id = decisions.decide(ctx.app.engine, actor, alert_ids, action, reason=reason, value=value)
    if case_id is not None:
        return RedirectResponse(f"/cases/{case_id}", status_code=303)
    return RedirectResponse(back if back.startswith("/alerts") else "/alerts", status_code=303)


def _detail(ctx: Ctx, alert_id: int) -> dict[str, Any]:
    actor = ctx.need(Perm.VIEW_ALERTS)
    with Session(ctx.app.engine) as session:
        alert = queue.get_alert(session, alert_id)
        detail = present.alert_detail(session, alert, ctx.masker, ctx.lang)
        findings = queue.findings_of(session, alert)
        shown = alert_view.evidence(session, alert, findings, ctx.masker)
        detail.update(
            rules=alert_view.rules_folded(findings, ctx.masker, ctx.lang), evidence=shown,
            message_ids=shown["message_ids"], payment_ids=shown["payment_ids"], group_ids=shown["group_ids"],
            related=alert_view.related(session, alert, ctx.masker),
            history=alert_view.history(session, alert_id, ctx.masker),
        )
    # every view of evidence is audited
    audit_log.record(ctx.app.engine, actor.username, actor.role, "alert.view", f"alert:{alert_id}")
    return detail


@router.get("/alerts/{alert_id}", response_class=HTMLResponse, include_in_schema=False)
def alert_page(ctx: CtxDep, alert_id: AlertId, done: Annotated[str | None, Query(max_length=16)] = None) -> Response:
    detail = _detail(ctx, alert_id)
    with Session(ctx.app.engine) as session:
        alert = queue.get_alert(session, alert_id)
        following = queue.next_alert(session, alert)
        users = decisions.assignees(session)
    # after a decision the page confirms it and offers the next undecided alert
    return render(ctx, "alert.html", a=detail, done=done if done in decisions.ACTIONS else None,
                  next_id=following.id if following else None, actions=decisions.actions_for(alert.status),
                  assignees=users)


# why a hit was wrong: recorded with the dismissal (Decision.value "wrong_hit:<why>"), so rule
# tuning and the classifier can read which rules misfire and how
WRONG_HIT_REASONS: Final = ("wording", "context", "returned", "data", "other")


@router.post("/alerts/{alert_id}/decision", include_in_schema=False)
def decide_form(
    ctx: CsrfCtx, alert_id: AlertId, action: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=4000)] = "", value: Annotated[str, Form(max_length=64)] = "",
    case_id: Annotated[str, Form(max_length=20)] = "", wrong_hit: Annotated[str, Form(max_length=16)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    actor = ctx.need(Perm.DECIDE)
    target = int(case_id) if case_id.strip().isdigit() else None
    if wrong_hit:
        if wrong_hit not in WRONG_HIT_REASONS:
            raise ConfigError(f"unknown wrong-hit reason {wrong_hit!r}")
        action, value, reason = "dismiss", f"wrong_hit:{wrong_hit}", reason or wrong_hit
    result = decisions.decide(ctx.app.engine, actor, [alert_id], action, reason=reason, value=value, case_id=target)
    if result:
        return RedirectResponse(f"/cases/{result}", status_code=303)
    if back.startswith("/alerts?") or back == "/alerts":
        return RedirectResponse(back, status_code=303)  # from the queue's preview: on to the next alert
    return RedirectResponse(f"/alerts/{alert_id}?done={action}", status_code=303)


# ---- JSON API ----

class AlertOut(BaseModel):
    """An alert as the caller's role may see it (pseudonyms, masked numbers)."""

    id: int
    subject: str
    subject_id: str
    person: str
    rule_id: str
    pack: str
    category: str
    severity: str
    unit: str
    time: str
    status: str
    assignee: str
    tags: list[str]
    n_findings: int
    case_id: int | None
    reason: str
    risk: float | None = Field(default=None, description="the person's current risk score (their timeline's); "
                                                          "None for an alert about no person")


class AlertPage(BaseModel):
    """A page of the queue; pass `next_cursor` as `cursor` for the next one."""

    alerts: list[AlertOut]
    next_cursor: str | None


class AlertDetail(AlertOut):
    """An alert (one incident) with its findings, each rule once, the ids of its evidence as the
    source names them, related alerts, its decision history, and the context of its main subject."""

    findings: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    evidence: dict[str, Any]
    message_ids: list[str]
    payment_ids: list[str]
    group_ids: list[str]
    related: list[dict[str, Any]]
    history: list[dict[str, Any]]
    context: dict[str, Any]


class DecisionIn(BaseModel):
    """A decision on one alert; `reason` is required to dismiss, and is the text of a note."""

    action: Literal["dismiss", "tag", "assign", "escalate", "reopen", "note"]
    reason: str = Field(default="", max_length=4000)
    value: str = Field(default="", max_length=64)
    case_id: int | None = Field(default=None, ge=1, le=2**53)


class DecisionOut(BaseModel):
    """The alert after the decision, and the case it went into (escalate)."""

    alert: AlertOut
    case_id: int | None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad input"}, 401: {"description": "not logged in"},
    403: {"description": "role may not, or bad CSRF token"}, 404: {"description": "no such alert"},
}


@router.get("/api/alerts", response_model=AlertPage, tags=["alerts"], responses=ERRORS)
def api_alerts(
    ctx: CtxDep, limit: Annotated[int, Query(ge=1, le=500)] = 50, cursor: Text = None,
    sort: Annotated[Literal["severity", "risk", "newest", "oldest"], Query()] = "severity",
    pack: Text = None, rule_id: Text = None, category: Text = None, severity: Text = None,
    unit: Text = None, date_from: Text = None, date_to: Text = None,
    status: Annotated[Literal["new", "dismissed", "escalated", "all"], Query()] = "new",
    assignee: Text = None,
) -> AlertPage:
    """The queue as the logged-in role may see it, most severe first by default; `sort=risk`
    puts the alerts of the person with the highest current risk score first (then severity, id)."""
    ctx.need(Perm.VIEW_ALERTS)
    flt = _filter(pack, rule_id, category, severity, unit, date_from, date_to, status, assignee)
    rows, next_cursor = _page(ctx, flt, sort, cursor, limit)
    return AlertPage(alerts=[AlertOut(**r) for r in rows], next_cursor=next_cursor)


@router.get("/api/alerts/{alert_id}", response_model=AlertDetail, tags=["alerts"], responses=ERRORS)
def api_alert(ctx: CtxDep, alert_id: AlertId) -> AlertDetail:
    """One alert with its findings and context (±20 messages, payments or group details)."""
    return AlertDetail(**_detail(ctx, alert_id))


@router.post("/api/alerts/{alert_id}/decision", response_model=DecisionOut, tags=["alerts"], responses=ERRORS)
def api_decide(ctx: CsrfCtx, alert_id: AlertId, body: DecisionIn) -> DecisionOut:
    """Dismiss (with a reason), tag, assign, escalate into a (new or given) case, or reopen."""
    actor = ctx.need(Perm.DECIDE)
    case_id = decisions.decide(ctx.app.engine, actor, [alert_id], body.action, reason=body.reason,
                               value=body.value, case_id=body.case_id)
    with Session(ctx.app.engine) as session:
        alert = queue.get_alert(session, alert_id)
        row = present.queue_rows(session, [alert], ctx.masker, ctx.lang)[0]
    return DecisionOut(alert=AlertOut(**row), case_id=case_id)
