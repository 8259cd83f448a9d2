"""Live monitoring in the console: the watcher's health (`GET /api/health`) and the queue's
server-sent events (`GET /events/alerts`), which tell an open queue page that alerts arrived.

The events carry the newest alert's id and the count of new alerts, nothing else: the page
fetches itself again (with the reviewer's own filters and masking) to show them. Without
JavaScript the queue is the ordinary page and a reload shows the same.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any, Final

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine, func, select
from starlette.concurrency import run_in_threadpool

from redline.pipeline.status import health
from redline.review.accounts import Perm
from redline.store.tables.review import Alert
from redline.web.console.deps import CtxDep

router = APIRouter()
CHECK_SECONDS: Final = 2.0
STREAM_SECONDS: Final = 60.0  # then the browser reconnects: no stream outlives a server stop for long
RETRY_MS: Final = 2000


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


def _newest(engine: Engine) -> tuple[int, int]:
    """(newest alert id, count of alerts with status new)."""
    with engine.connect() as conn:
        newest = conn.execute(select(func.max(Alert.id))).scalar() or 0
        fresh = conn.execute(select(func.count()).select_from(Alert).where(Alert.status == "new")).scalar() or 0
    return int(newest), int(fresh)


async def _events(engine: Engine, since: int, check: float, lifetime: float) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    last = since
    loop = asyncio.get_running_loop()
    until = loop.time() + lifetime
    while loop.time() < until:
        newest, fresh = await run_in_threadpool(_newest, engine)
        if newest > last:
            payload = {"newest": newest, "arrived": newest - last if last else 0, "new_alerts": fresh}
            yield f"id: {newest}\nevent: alerts\ndata: {json.dumps(payload)}\n\n"
            last = newest
        else:
            yield ": idle\n\n"  # a comment keeps proxies from closing a quiet stream
        await asyncio.sleep(check)


@router.get("/events/alerts", include_in_schema=False)
async def alert_events(ctx: CtxDep, since: int = 0) -> StreamingResponse:
    """Server-sent events: `alerts` whenever an alert newer than `since` exists."""
    ctx.need(Perm.VIEW_ALERTS)
    last_id = ctx.request.headers.get("last-event-id", "")
    start = int(last_id) if last_id.isdigit() else since
    if start <= 0:
        start = (await run_in_threadpool(_newest, ctx.app.engine))[0]
    return StreamingResponse(_events(ctx.app.engine, start, CHECK_SECONDS, STREAM_SECONDS),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
