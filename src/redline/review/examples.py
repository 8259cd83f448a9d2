"""Reviewers' decisions as labelled examples, each keeping the id of the decision it came from.

The same examples feed the conduct classifier's retraining (`redline train conduct
--with-decisions`, `training.decisions`) and the precision figures: a message in an alert a
reviewer escalated is a positive of the categories of its findings, one in a dismissed alert
a hard negative (a dismissal always has a reason). An alert is one incident and may hold
several messages: each message is an example. Open or reopened alerts give none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Engine, select

from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert, AlertFinding, Decision

CONFIRMED: Final = "escalated"
DISMISSED: Final = "dismissed"
_ACTION: Final = {CONFIRMED: "escalate", DISMISSED: "dismiss"}


@dataclass(frozen=True, slots=True)
class Example:
    """One message as a reviewer judged it: positive categories, or none for a dismissal."""

    decision_id: int
    alert_id: int
    message_id: str
    text: str
    categories: tuple[str, ...]  # empty: dismissed, a hard negative


def decision_examples(engine: Engine) -> list[Example]:
    """Every message of every decided alert, by alert and message id."""
    with engine.connect() as conn:
        # list() first: dict() of a Result would call its keys() (the column names)
        status: dict[int, str] = dict(list(conn.execute(
            select(Alert.id, Alert.status).where(Alert.status.in_((CONFIRMED, DISMISSED)))).tuples()))
        if not status:
            return []
        # the decision that put each alert in its present state: the latest of that action
        # (ordered by id, so a later decision overwrites an earlier one in the dict)
        rows = conn.execute(select(Decision.id, Decision.alert_id, Decision.action)
                            .where(Decision.action.in_(tuple(_ACTION.values()))).order_by(Decision.id))
        latest: dict[int, int] = {aid: did for did, aid, action in rows
                                  if aid in status and _ACTION[status[aid]] == action}
        cats: dict[tuple[int, str], set[str]] = defaultdict(set)
        for aid, mid, category in conn.execute(
                select(AlertFinding.alert_id, FindingRow.subject_id, FindingRow.category)
                .join(FindingRow, FindingRow.id == AlertFinding.finding_id)
                .where(FindingRow.subject == "message")):
            if aid in status:
                cats[(aid, mid)].add(category)
        ids = sorted({mid for _, mid in cats})
        texts: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            texts.update((mid, text) for mid, text in conn.execute(
                select(Message.id, Message.text).where(Message.id.in_(ids[start:start + 500]))))
    return [
        Example(latest.get(aid, 0), aid, mid, texts.get(mid) or "",
                tuple(sorted(found)) if status[aid] == CONFIRMED else ())
        for (aid, mid), found in sorted(cats.items()) if mid in texts
    ]
