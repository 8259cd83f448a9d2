"""Holds (保全): an investigator freezes a case, a person or a group, with a written reason.

Under hold, retention deletes nothing and a re-import changes nothing that is already stored:
- a case: the case, its notes and decisions, its alerts and their findings, and the messages
  and payments those findings name (as in its evidence package);
- a person: every message they sent, every payment to or from them, findings and alerts
  about them, and their cases;
- a group: its messages and payments, and the findings and alerts about the group.
New rows still load (a hold keeps what was collected; it does not stop collecting). Lifting
needs a reason too; a hold is never deleted, so its history stays. Both acts are audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import ConfigError, NotFound
from redline.review import audit_log
from redline.review.accounts import Actor, Perm
from redline.store.holds import Held, active, held, held_keys
from redline.store.tables.holds import Hold
from redline.store.tables.org import Group, Person
from redline.store.tables.review import Case

SCOPES: Final = ("case", "person", "group")
MIN_REASON: Final = 4


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ConfigError("a hold, and lifting one, needs a written reason (at least 4 characters)")
    return reason


def place(engine: Engine, actor: Actor, scope: str, target: str, reason: str) -> int:
    """Put a case, person or group on hold; returns the hold's number."""
    actor.require(Perm.WORK_CASES)
    reason, target = _reason(reason), target.strip()
    if scope not in SCOPES:
        raise ConfigError(f"a hold is on one of {', '.join(SCOPES)}, not {scope!r}")
    with Session(engine) as session, session.begin():
        exists = {
            "case": lambda: target.isdigit() and session.get(Case, int(target)) is not None,
            "person": lambda: session.get(Person, target) is not None,
            "group": lambda: session.get(Group, target) is not None,
        }[scope]()
        if not exists:
            raise NotFound(f"no {scope} {target}")
        hold = Hold(scope=scope, target=target, reason=reason, placed_by=actor.username,
                    placed_at=datetime.now(UTC))
        session.add(hold)
        session.flush()
        hold_id = hold.id
    audit_log.record(engine, actor.username, actor.role, "hold.place", f"{scope}:{target}",
                     {"hold": hold_id, "reason": reason})
    return hold_id


def lift(engine: Engine, actor: Actor, hold_id: int, reason: str) -> None:
    """Lift a hold; the hold stays on record with who lifted it, when and why."""
    actor.require(Perm.WORK_CASES)
    reason = _reason(reason)
    with Session(engine) as session, session.begin():
        hold = session.get(Hold, hold_id)
        if hold is None:
            raise NotFound(f"no hold {hold_id}")
        if hold.lifted_at is not None:
            raise ConfigError(f"hold {hold_id} was already lifted")
        hold.lifted_by, hold.lifted_at, hold.lift_reason = actor.username, datetime.now(UTC), reason
        scope, target = hold.scope, hold.target
    audit_log.record(engine, actor.username, actor.role, "hold.lift", f"{scope}:{target}",
                     {"hold": hold_id, "reason": reason})


def history(session: Session, scope: str, target: str) -> list[Hold]:
    """Every hold ever placed on one case, person or group (lifted ones too)."""
    return list(session.scalars(select(Hold).where(Hold.scope == scope, Hold.target == target).order_by(Hold.id)))


__all__ = ["SCOPES", "Held", "active", "held", "held_keys", "history", "lift", "place"]
