"""Chain of custody: who viewed, revealed, decided and exported a case, as the audit log has it.

The entries are copied with their sequence number and hash, so anyone holding the database
can check that each one is the entry of that number in a chain that still verifies.
Not included: the queue's list views (`alerts.list`), which name alerts only inside their
detail; reading them would mean reading every list view ever logged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from redline.store.tables.audit import AuditEntry


def targets(case_id: int, alert_ids: list[int], person_id: str | None) -> list[str]:
    """The audit targets that concern one case: the case, its alerts, its person."""
    found = [f"case:{case_id}", *(f"alert:{a}" for a in alert_ids)]
    if person_id:
        found.append(f"person:{person_id}")
    return found


def custody(engine: Engine, case_id: int, alert_ids: list[int], person_id: str | None) -> list[dict[str, Any]]:
    """Every audit entry about the case, its alerts or its person, oldest first."""
    wanted = targets(case_id, alert_ids, person_id)
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditEntry).where(or_(*(AuditEntry.target.in_(wanted[i:i + 500])
                                          for i in range(0, len(wanted), 500))))
            .order_by(AuditEntry.seq)
        )
        return [{"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "role": e.role, "action": e.action,
                 "target": e.target, "detail": e.detail, "hash": e.hash} for e in rows]


def chain_head(engine: Engine) -> dict[str, Any]:
    """The last entry of the audit chain when the package was made (seq and hash)."""
    with Session(engine) as session:
        last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return {"seq": last[0], "hash": last[1]} if last else {"seq": 0, "hash": ""}
