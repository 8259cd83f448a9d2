"""Live monitoring in the console: the watcher's health (`GET /api/health`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from redline.pipeline.status import health
from redline.review.accounts import Perm
from redline.web.console.deps import CtxDep

router = APIRouter()


@router.get("/api/health", tags=["live"])
def api_health(ctx: CtxDep) -> dict[str, Any]:
    """The watchers' last pulls, lag and errors, the backlog of unscreened messages and the
    oldest one's age. Every role may see it; an error's text (file names) only who imports."""
    actor = ctx.need(Perm.VIEW_DASHBOARD)
    report = health(ctx.app.engine)
    if not actor.can(Perm.IMPORT):
        for watcher in report["watchers"]:
            watcher["last_error"] = "" if not watcher["last_error"] else "(hidden)"
    return report
