"""复核 (second look) pages: a reviewer appraises decisions drawn for them, blind to the first.

The page shows the alert's rule and its findings' reasons (masked like every page), never the
first decision or who made it; the alert's own page (which holds its history) is not linked.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.review import second_look
from redline.review.accounts import Perm
from redline.store.tables.findings import FindingRow
from redline.store.tables.review import Alert, AlertFinding
from redline.web.console.deps import CsrfCtx, CtxDep
from redline.web.console.pages import render

router = APIRouter()


@router.get("/second-look", response_class=HTMLResponse, include_in_schema=False)
def second_look_page(ctx: CtxDep, drawn: int = -1, agrees: str = "") -> Response:
    actor = ctx.need(Perm.DECIDE)
    ids = second_look.pending(ctx.app.engine, actor.username)
    items = []
    with Session(ctx.app.engine) as session:
        for aid in ids[:50]:
            alert = session.get(Alert, aid)
            if alert is None:
                continue
            reasons = list(session.scalars(select(FindingRow.reason).join(
                AlertFinding, AlertFinding.finding_id == FindingRow.id).where(AlertFinding.alert_id == aid)))
            items.append({"id": aid, "rule": alert.rule_id, "category": alert.category,
                          "reasons": [ctx.masker.mask(r) for r in reasons[:5]]})
    return render(ctx, "second_look.html", items=items, drawn=drawn, agrees=agrees)


@router.post("/second-look/draw", include_in_schema=False)
def draw(ctx: CsrfCtx) -> Response:
    ctx.need(Perm.DECIDE)
    drawn = second_look.assign(ctx.app.engine)
    ctx.app.forget("agreement")
    return RedirectResponse(f"/second-look?drawn={len(drawn)}", status_code=303)


@router.post("/second-look/{alert_id}", include_in_schema=False)
def appraise(ctx: CsrfCtx, alert_id: Annotated[int, Path(ge=1, le=2**53)],
             verdict: Annotated[Literal["confirm", "dismiss"], Form()],
             reason: Annotated[str, Form(max_length=4000)] = "") -> Response:
    actor = ctx.need(Perm.DECIDE)
    agrees = second_look.appraise(ctx.app.engine, actor, alert_id, verdict, reason)
    ctx.app.forget("agreement")
    return RedirectResponse(f"/second-look?agrees={'yes' if agrees else 'no'}", status_code=303)
