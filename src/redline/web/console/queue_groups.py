"""Headings for a queue page grouped by person or by conversation.

Grouping is within the page: the keyset pages stay the queue's own order, and a group's rows
follow the position of its first row. A conversation is a work group by its (masked) name or
a private chat by the two pseudonyms; an alert about payments alone has its own heading, and
one with neither (a person's membership, say) another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.review.pseudonyms import Masker
from redline.store.tables.messages import Message
from redline.store.tables.org import Group
from redline.store.tables.review import Alert, AlertItem
from redline.web.console.labels import N_
from redline.web.console.present import conversation_label

GROUPINGS: Final = ("person", "conversation")
PAYMENTS_ONLY: Final = N_("Payments, no conversation")
NO_CONVERSATION: Final = N_("No conversation")
NO_PERSON: Final = N_("no person")


def _conversation_of(alerts: Sequence[Alert], session: Session) -> dict[int, str | None]:
    """Each alert's main conversation: its own message's, else its group, else the first it
    touches; None for an alert with no conversation at all."""
    ids = [a.id for a in alerts]
    touched: dict[int, list[str]] = {}
    paid: set[int] = set()
    for alert_id, kind, item in session.execute(
            select(AlertItem.alert_id, AlertItem.kind, AlertItem.item_id)
            .where(AlertItem.alert_id.in_(ids), AlertItem.kind.in_(("conversation", "payment")))
            .order_by(AlertItem.alert_id, AlertItem.item_id)):
        if kind == "payment":
            paid.add(alert_id)
        else:
            touched.setdefault(alert_id, []).append(item)
    own = [a.subject_id for a in alerts if a.subject == "message"]
    where = dict(session.execute(select(Message.id, Message.conversation).where(Message.id.in_(own))).tuples().all())
    out: dict[int, str | None] = {}
    for a in alerts:
        mine = touched.get(a.id, [])
        first = where.get(a.subject_id) if a.subject == "message" else (a.subject_id if a.subject == "group" else None)
        if first and (first in mine or not mine):
            out[a.id] = first
        elif mine:
            out[a.id] = mine[0]
        else:
            out[a.id] = "payments:" if a.id in paid else None
    return out


def group_rows(session: Session, alerts: Sequence[Alert], rows: list[dict[str, Any]], how: str,
               masker: Masker, translate: Callable[[str], str]) -> list[dict[str, Any]]:
    """The page's rows grouped (`person` or `conversation`), each with `group_key` and `group_label`."""
    if how == "person":
        for r in rows:
            r["group_key"], r["group_label"] = r["person"] or "", r["person"] or translate(NO_PERSON)
    else:
        convs = _conversation_of(alerts, session)
        groups = {c for c in convs.values() if c and not c.startswith(("dm:", "payments:"))}
        names = dict(session.execute(select(Group.group_id, Group.name).where(Group.group_id.in_(groups))).tuples().all())
        for r in rows:
            conv = convs.get(r["id"])
            r["group_key"] = conv or ""
            r["group_label"] = (translate(NO_CONVERSATION) if conv is None else translate(PAYMENTS_ONLY)
                                if conv == "payments:" else conversation_label(conv, masker, names))
    first_seen: dict[str, int] = {}
    for i, r in enumerate(rows):
        first_seen.setdefault(r["group_key"], i)
    return sorted(rows, key=lambda r: first_seen[r["group_key"]])
