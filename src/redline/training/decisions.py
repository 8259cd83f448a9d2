"""Reviewers' decisions as labelled examples for `clf.conduct` (issue 20 item 6).

An alert about a message that a reviewer escalated into a case is a confirmed violation of
the categories of its findings; one dismissed (a dismissal always carries a reason: "not a
violation", "notice", …) breaks no rule. Alerts still open, reopened ones, and alerts on
anything but a message are not examples. The message text comes from the store, as written.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert
from redline.training.conduct_data import Rows, make_rows
from redline.vocab import Subject

CONFIRMED = "escalated"
DISMISSED = "dismissed"


def decision_rows(engine: Engine) -> Rows:
    """One row per decided message alert: its text and the confirmed categories (none if dismissed)."""
    message = Subject.MESSAGE.value
    with Session(engine) as session:
        alerts = session.execute(
            select(Alert.subject_id, Alert.status, Message.text)
            .join(Message, Message.id == Alert.subject_id)
            .where(Alert.subject == message, Alert.status.in_((CONFIRMED, DISMISSED)))
            .order_by(Alert.id)
        ).all()
        confirmed_ids = [a.subject_id for a in alerts if a.status == CONFIRMED]
        categories: dict[str, set[str]] = defaultdict(set)
        for chunk in range(0, len(confirmed_ids), 500):
            ids = confirmed_ids[chunk : chunk + 500]
            for subject_id, category in session.execute(
                select(FindingRow.subject_id, FindingRow.category)
                .where(FindingRow.subject == message, FindingRow.subject_id.in_(ids))
            ):
                categories[subject_id].add(category)
    texts = [a.text or "" for a in alerts]
    labels = [sorted(categories[a.subject_id]) if a.status == CONFIRMED else [] for a in alerts]
    rows = make_rows(texts, labels, "decision")
    return rows
