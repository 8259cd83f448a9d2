"""The attachment behind an alert's evidence (investigators only, audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session

from redline.errors import NotFound
from redline.review import audit_log
from redline.review.accounts import Perm
from redline.review.alerts import findings_of, get_alert
from redline.store.tables.findings import FindingRow
from redline.web.console.deps import CtxDep
from redline.web.console.evidence import file_bytes

router = APIRouter()


@router.get("/alerts/{alert_id}/attachment/{finding_id}", include_in_schema=False)
def attachment(ctx: CtxDep, alert_id: Annotated[int, Path(ge=1, le=2**53)],
               finding_id: Annotated[int, Path(ge=1, le=2**53)]) -> Response:
    actor = ctx.need(Perm.REVEAL)  # a document photo can show anybody's name
    with Session(ctx.app.engine) as session:
        alert = get_alert(session, alert_id)
        finding = session.get(FindingRow, finding_id)
        # only through its own alert: the audit entry below must name the alert the file belongs to
        if finding is None or finding.id not in {f.id for f in findings_of(session, alert)}:
            raise NotFound(f"alert {alert_id} has no finding {finding_id}")
        data, mime = file_bytes(finding)
    audit_log.record(ctx.app.engine, actor.username, actor.role, "evidence.file.view", f"alert:{alert_id}",
                     {"finding": finding_id})
    return Response(data, media_type=mime, headers={"Cache-Control": "no-store"})
