"""The form kept across a re-login (review.kept_forms), shown filled in for one click to send."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.review import kept_forms
from redline.web.console.deps import KEPT_COOKIE, CsrfCtx, CtxDep, LoginRequiredError
from redline.web.console.labels import N_
from redline.web.console.pages import render

router = APIRouter()

# fields a person typed, with the label their form gave them; every other field (the action,
# ids) goes back unchanged as a hidden field
TYPED: Final = {
    "reason": N_("Reason"), "text": N_("Your text"), "outcome": N_("Outcome the reporter will read"),
    "value": N_("Value"), "case_id": N_("Into case # (empty: new case)"), "target": N_("Link to"),
    "title": N_("Title"),
}
PROSE: Final = frozenset({"reason", "text", "outcome"})  # shown in a box wide enough to reread
# where a form lived, by the first part of its path, to name it in words
PLACES: Final = {"alerts": N_("Alert"), "cases": N_("Case"), "intake": N_("Report")}


def _place(action: str) -> dict[str, str]:
    parts = action.strip("/").split("/")
    if len(parts) >= 2 and parts[0] in PLACES and parts[1].isdigit():
        return {"label": PLACES[parts[0]], "number": parts[1], "href": f"/{parts[0]}/{parts[1]}"}
    return {"label": "", "number": "", "href": ""}


def _fields(kept: kept_forms.Kept) -> list[dict[str, Any]]:
    return [{"name": name, "value": value, "label": TYPED.get(name, ""),
             "long": name in PROSE or len(value) > 60 or "\n" in value} for name, value in kept.fields]


@router.get("/kept", response_class=HTMLResponse, include_in_schema=False)
def kept_page(ctx: CtxDep) -> Response:
    if ctx.actor is None:
        raise LoginRequiredError("please log in")
    token = ctx.request.cookies.get(KEPT_COOKIE)
    kept = kept_forms.take(ctx.app.engine, token, ctx.actor.username)
    if kept is None:
        response: Response = RedirectResponse("/alerts", status_code=303)
        response.delete_cookie(KEPT_COOKIE, path="/")
        return response
    action = next((v for n, v in kept.fields if n == "action"), "")
    return render(ctx, "kept.html", action=kept.action, what=action, place=_place(kept.action),
                  fields=_fields(kept), secret_fields=kept.secret_fields)


@router.post("/kept/discard", include_in_schema=False)
def kept_discard(ctx: CsrfCtx) -> Response:
    kept_forms.discard(ctx.app.engine, ctx.request.cookies.get(KEPT_COOKIE))
    response = RedirectResponse("/alerts", status_code=303)
    response.delete_cookie(KEPT_COOKIE, path="/")
    return response
