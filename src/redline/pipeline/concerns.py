"""What new rows concern, and the store's rows an incremental re-analysis needs for it.

A red packet that is the 21st from the same grain trader must raise its lead when it arrives,
without rereading a year of payments of everyone. The record analyses are local: a payment
typology looks at the payments of a pair or of a person, a group check at one group's
members and messages. So for new rows we collect the people, pairs and groups they concern
and hand the analyzers every stored row of exactly those (all their history, not just the new
rows), which gives the same findings for them as a full run.

Two analyses are not local and are left to a periodic full run (`GLOBAL_ANALYZERS`): circles
(小圈子) come from communities of the whole interaction graph, and vote buying counts an
electorate (a unit and everyone sharing a group with the candidate).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

import pyarrow as pa
from sqlalchemy import Engine

from redline.contracts import BundleTables
from redline.rules.plan import ScanPlan
from redline.store.columns import TABLE_MAPS
from redline.store.export import read_table

GLOBAL_ANALYZERS: Final = frozenset({"groups.faction", "payments.vote_buying"})
_MAPS: Final = {m.spec.table: m for m in TABLE_MAPS}


@dataclass(frozen=True, slots=True)
class Concerns:
    """People and conversations that new rows touch.

    `talk` holds the conversations that only got new messages: their group statistics
    (daily reports, off-topic share, flattery) move slowly, so the watcher may re-analyse
    them every half minute instead of on every poll; `conversations` changed otherwise
    (members, owner, a red packet in the group) and are re-analysed at once.
    """

    people: frozenset[str] = field(default_factory=frozenset)
    conversations: frozenset[str] = field(default_factory=frozenset)
    talk: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.people or self.conversations or self.talk)

    def __or__(self, other: Concerns) -> Concerns:
        return Concerns(self.people | other.people, self.conversations | other.conversations, self.talk | other.talk)

    def urgent(self) -> Concerns:
        """Without the conversations that only got messages."""
        return Concerns(self.people, self.conversations)

    def all_now(self) -> Concerns:
        """Everything as re-analysed at once (an import: no later run to defer to)."""
        return Concerns(self.people, self.conversations | self.talk)

    @classmethod
    def of_tables(cls, tables: BundleTables) -> Concerns:
        """Who and which conversations the rows of a (just loaded) bundle concern."""
        people: set[str] = set()
        conversations: set[str] = set()
        people |= _values(tables.people, "person_id")
        people |= _values(tables.relations, "person_id", "other_id")
        people |= _values(tables.memberships, "person_id")
        people |= _values(tables.payments, "payer", "payee")
        people |= _values(tables.events, "person_id", "other_id")
        conversations |= _values(tables.groups, "group_id")
        conversations |= _values(tables.memberships, "group_id")
        conversations |= _values(tables.payments, "conversation")
        talk = _values(tables.messages, "conversation") - conversations
        return cls(frozenset(people), frozenset(conversations), frozenset(talk))


def _values(table: pa.Table, *columns: str) -> set[str]:
    out: set[str] = set()
    for name in columns:
        if name in table.column_names:
            out.update(v for v in table.column(name).to_pylist() if v)
    return out


def tables_concerning(engine: Engine, concerns: Concerns) -> BundleTables:
    """The stored rows the local analyses need for `concerns` (see module doc).

    Payments of the people and in the conversations; the conversations' messages, groups and
    memberships; then the people (with their relations and events) that any of those rows
    name, so that a counterparty's post or a member's leaving date is known.
    """
    people, conversations = sorted(concerns.people), sorted(concerns.conversations | concerns.talk)
    payments = read_table(engine, _MAPS["payments"], {"payer": people, "payee": people, "conversation": conversations})
    groups = read_table(engine, _MAPS["groups"], {"group_id": conversations})
    # only group chats' messages: no local analysis reads private chats
    group_ids = sorted(_values(groups, "group_id"))
    messages = read_table(engine, _MAPS["messages"], {"conversation": group_ids})
    memberships = read_table(engine, _MAPS["memberships"], {"group_id": group_ids})
    named = (set(people) | _values(payments, "payer", "payee") | _values(memberships, "person_id")
             | _values(messages, "sender") | _values(groups, "owner_id"))
    relations = read_table(engine, _MAPS["relations"], {"person_id": sorted(named), "other_id": sorted(named)})
    named |= _values(relations, "person_id", "other_id")
    return BundleTables(
        people=read_table(engine, _MAPS["people"], {"person_id": sorted(named)}),
        relations=relations, groups=groups, memberships=memberships, messages=messages, payments=payments,
        # events are few (elections, promotions, weddings) and unit-wide ones name no person
        events=read_table(engine, _MAPS["events"]),
    )


def plan_for(plan: ScanPlan, tables: BundleTables) -> ScanPlan:
    """`plan` without the analyses that have nothing to read: payment typologies when no
    payment is concerned, group checks when no group is (each costs a fixed second or so)."""
    keep = {k: v for k, v in plan.record_triggers.items()
            if not (k.startswith("payments.") and tables.payments.num_rows == 0)
            and not (k.startswith("groups.") and tables.groups.num_rows == 0)}
    return replace(plan, record_triggers=keep)


def local_plan(plan: ScanPlan) -> ScanPlan:
    """`plan` without the analyses that need the whole store."""
    return replace(plan, record_triggers={k: v for k, v in plan.record_triggers.items() if k not in GLOBAL_ANALYZERS})


def global_plan(plan: ScanPlan) -> ScanPlan:
    """Only the analyses that need the whole store (run periodically by the watcher)."""
    return replace(plan, record_triggers={k: v for k, v in plan.record_triggers.items() if k in GLOBAL_ANALYZERS})
