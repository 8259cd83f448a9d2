"""The quarantine page: bundle rows that loads rejected, kept in the store, masked, every view audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from redline.bundle.schema import FILES
from redline.review import audit_log
from redline.review.accounts import Perm
from redline.review.pseudonyms import mask_rejected
from redline.store.quarantine import list_quarantined, quarantine_sources
from redline.store.tables.quarantine import SOURCE_CHARS, QuarantinedRow
from redline.web.console import present
from redline.web.console.deps import CtxDep
from redline.web.console.pages import render

router = APIRouter()
RAW_CHARS: Final = 300  # as on the import page: enough to see what is wrong with a row
PAGE: Final = 50


def _shown(text: str) -> str:
    # cut after masking: a cut number could slip past the masker's patterns
    return text if len(text) <= RAW_CHARS else text[:RAW_CHARS] + "…"


def _row(row: QuarantinedRow, mask: Callable[[str | None], str]) -> dict[str, Any]:
    return {
        "id": row.id, "source": row.source, "file": row.file, "line": row.line, "field": row.field,
        # a reason quotes the rejected value ("not a valid date: '…'"): masked like the raw row
        "reason": _shown(mask_rejected(mask, row.file, row.reason)),
        "raw": _shown(mask_rejected(mask, row.file, row.raw)),
        "first_seen": present.when(row.first_seen), "last_seen": present.when(row.last_seen),
    }


@router.get("/quarantine", response_class=HTMLResponse, include_in_schema=False)
def quarantine_page(
    ctx: CtxDep, source: Annotated[str | None, Query(max_length=SOURCE_CHARS)] = None,
    file: Annotated[str | None, Query(max_length=128)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE,
) -> Response:
    # whoever may import bundles may see what an import rejected (the rows are evidence-grade raw data)
    actor = ctx.need(Perm.IMPORT)
    with Session(ctx.app.engine) as session:
        page = list_quarantined(session, source=source or None, file=file or None, before=before, limit=limit)
        sources = quarantine_sources(session)
    rows = [_row(r, ctx.masker.mask) for r in page.rows]
    params: dict[str, Any] = {k: v for k, v in {"source": source, "file": file}.items() if v}
    if limit != PAGE:
        params["limit"] = limit
    # raw rows are evidence: every view is audited, with the rows it showed
    audit_log.record(ctx.app.engine, actor.username, actor.role, "quarantine.list", "",
                     {"filter": {**params, **({"before": before} if before else {})},
                      "row_ids": [r["id"] for r in rows]})
    next_url = f"/quarantine?{urlencode({**params, 'before': page.next_before})}" if page.next_before else ""
    return render(ctx, "quarantine.html", rows=rows, total=page.total, sources=sources,
                  files=[spec.filename for spec in FILES], source_filter=source or "", file_filter=file or "",
                  first_url=f"/quarantine?{urlencode(params)}", next_url=next_url)
