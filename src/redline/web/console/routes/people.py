"""People by risk, and one person's timeline with the contributions that make up their score.

Pseudonyms only: the real name is one reason-logged reveal away (the /reveal form), never on
these pages. Viewing a person's timeline is audited like viewing a case.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from redline.cases import holds, risk
from redline.errors import NotFound
from redline.review import audit_log
from redline.review.accounts import Perm
from redline.web.console import present
from redline.web.console.deps import CsrfCtx, Ctx, CtxDep
from redline.web.console.labels import N_
from redline.web.console.pages import render

router = APIRouter()
# values the timeline and the custody page show through _(value)
LABELS = (N_("text"), N_("payments"), N_("groups"), N_("attachments"), N_("portal"), N_("report"), N_("case"),
          N_("alert"), N_("opened"), N_("received"), N_("accepted"), N_("closed"))
Pseudonym = Annotated[str, Path(min_length=3, max_length=40)]


def _person_id(ctx: Ctx, pseudonym: str) -> str:
    person_id = ctx.masker.by_pseudonym.get(pseudonym.strip())
    if person_id is None:
        raise NotFound(f"no person {pseudonym}")
    return person_id


@router.get("/people", response_class=HTMLResponse, include_in_schema=False)
def people_page(ctx: CtxDep) -> Response:
    """The people with findings, highest risk first (the queue sorted by person)."""
    actor = ctx.need(Perm.VIEW_CASES)
    with Session(ctx.app.engine) as session:
        rows = [{"person": ctx.masker.pseudonym(pid), "score": f"{score:.2f}", "findings": n}
                for pid, score, n in risk.ranking(session)]
    audit_log.record(ctx.app.engine, actor.username, actor.role, "people.list", "", {"people": len(rows)})
    return render(ctx, "people.html", rows=rows)


@router.get("/people/{pseudonym}", response_class=HTMLResponse, include_in_schema=False)
def person_page(ctx: CtxDep, pseudonym: Pseudonym) -> Response:
    """One person's findings on a timeline, each with its points; the score is their sum."""
    actor = ctx.need(Perm.VIEW_CASES)
    person_id = _person_id(ctx, pseudonym)
    masker = ctx.masker
    with Session(ctx.app.engine) as session:
        found = risk.person_risk(session, person_id)
        on_hold = holds.active(session, "person", person_id)
    parts = [{"time": present.when(c.time), "source": c.source, "rule": c.rule_id, "severity": c.severity,
              "status": c.status, "weight": f"{c.weight:g}", "age": f"{c.age_days:.0f}", "factor": f"{c.factor:.4f}",
              "points": f"{c.points:.2f}", "reason": masker.mask(c.reason), "alert": c.alert_id, "case": c.case_id}
             for c in found.contributions]
    audit_log.record(ctx.app.engine, actor.username, actor.role, "person.view", f"person:{person_id}",
                     {"score": found.score})
    return render(ctx, "person.html", pseudonym=masker.pseudonym(person_id), score=f"{found.score:.2f}",
                  parts=parts, half_life=f"{risk.HALF_LIFE_DAYS:g}", weights=risk.WEIGHTS,
                  holds=[{"id": h.id, "reason": h.reason, "by": h.placed_by, "at": present.when(h.placed_at)}
                         for h in on_hold])


@router.post("/people/{pseudonym}/holds", include_in_schema=False)
def person_hold(ctx: CsrfCtx, pseudonym: Pseudonym, reason: Annotated[str, Form(max_length=2000)]) -> Response:
    """Put the person on hold (investigators; a reason; audited)."""
    holds.place(ctx.app.engine, ctx.need(Perm.WORK_CASES), "person", _person_id(ctx, pseudonym), reason)
    return RedirectResponse(f"/people/{pseudonym}", status_code=303)
