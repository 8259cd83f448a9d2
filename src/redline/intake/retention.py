"""Retention: reports closed longer than the configured period are deleted with their files,
and each deletion is written to the audit log."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from redline.intake.vault import delete_files
from redline.review import audit_log
from redline.store.tables.intake import PublicReport, ReportFile, ReportKey, ReportMessage


def purge(engine: Engine, data_dir: Path, keep_days: int, today: date) -> list[int]:
    """Delete reports closed before `today - keep_days`; returns their ids."""
    cutoff = today - timedelta(days=keep_days)
    with Session(engine) as session, session.begin():
        ids = list(session.scalars(select(PublicReport.id).where(PublicReport.status == "closed",
                                                                 PublicReport.closed_on < cutoff)))
        counts = {report_id: delete_files(session, data_dir, report_id) for report_id in ids}
        for table in (ReportFile, ReportMessage, ReportKey):
            session.execute(delete(table).where(table.report_id.in_(ids)))
        session.execute(delete(PublicReport).where(PublicReport.id.in_(ids)))
    for report_id in ids:
        audit_log.record(engine, "system", "system", "report.purge", f"report:{report_id}",
                         {"files": counts[report_id], "keep_days": keep_days})
    return ids
