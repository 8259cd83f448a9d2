"""A small ledger for payment tests: people, relations and payments in, `BundleTables` out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest

from redline.bundle.schema import BY_TABLE
from redline.contracts import BundleTables, Finding, Trigger
from redline.registry import RECORD_ANALYZERS

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _coerce(value: Any, typ: pa.DataType) -> Any:
    if isinstance(value, str) and pa.types.is_timestamp(typ):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)
    if isinstance(value, str) and pa.types.is_date(typ):
        return date.fromisoformat(value)
    return value


@dataclass
class Ledger:
    """Rows of a tiny bundle; `pay` numbers payments P1, P2, … unless given an id."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {n: [] for n in (
        "people", "relations", "groups", "memberships", "messages", "payments", "events")})

    def person(self, pid: str, name: str, *, official: bool = True, external: bool = False,
               unit: str = "粮食局") -> str:
        self.rows["people"].append({"person_id": pid, "name": name, "unit": unit, "post": "",
                                    "is_official": official, "external": external})
        return pid

    def relate(self, pid: str, other: str, relation: str) -> None:
        self.rows["relations"].append({"person_id": pid, "other_id": other, "relation": relation})

    def pay(self, payer: str, payee: str, yuan: float, when: str, *, kind: str = "red_packet",
            status: str = "paid", pid: str | None = None, conv: str = "", packet: str | None = None,
            channel: str = "wechat", memo: str = "") -> str:
        pid = pid or f"P{len(self.rows['payments']) + 1}"
        self.rows["payments"].append({
            "payment_id": pid, "time": when, "payer": payer, "payee": payee, "amount_fen": round(yuan * 100),
            "kind": kind, "channel": channel, "conversation": conv or f"dm:{payer}|{payee}", "memo": memo,
            "status": status, "packet_id": packet})
        return pid

    def event(self, eid: str, day: str, kind: str, person: str, other: str | None = None, unit: str = "") -> None:
        self.rows["events"].append({"event_id": eid, "date": day, "kind": kind, "unit": unit,
                                    "person_id": person, "other_id": other})

    def say(self, mid: str, conv: str, sender: str, when: str, text: str) -> None:
        self.rows["messages"].append({"id": mid, "time": when, "conversation": conv, "sender": sender,
                                      "type": "text", "text": text})

    def join(self, gid: str, members: Sequence[str], *, name: str = "群", type_: str = "social") -> None:
        self.rows["groups"].append({"group_id": gid, "name": name, "type": type_, "owner_id": members[0]})
        self.rows["memberships"].extend({"group_id": gid, "person_id": m} for m in members)

    def tables(self) -> BundleTables:
        out = {}
        for name, rows in self.rows.items():
            schema = BY_TABLE[name].schema
            out[name] = pa.Table.from_pydict(
                {f.name: [_coerce(r.get(f.name), f.type) for r in rows] for f in schema}, schema=schema)
        return BundleTables(**out)


@pytest.fixture
def ledger() -> Ledger:
    """An empty ledger."""
    return Ledger()


def _run(key: str, tables: BundleTables, **config: Any) -> list[Finding]:
    cls = RECORD_ANALYZERS[key]
    trigger = Trigger(rule_id="T-1", label="T-1#0", config=cls.Config(**config))
    return cls().analyze(tables, [trigger])


@pytest.fixture
def run() -> Callable[..., list[Finding]]:
    """run(key, tables, **config): one registered analyzer with its config from keywords."""
    return _run


def brief(findings: Sequence[Finding]) -> list[tuple[str | None, tuple[str, ...], int]]:
    """(person, payment ids, total fen) per finding, for whole-list assertions."""
    return [(f.person_id, f.related_ids, f.facts["total_fen"]) for f in findings]


@pytest.fixture
def summary() -> Callable[[Sequence[Finding]], list[tuple[str | None, tuple[str, ...], int]]]:
    """summary(findings) → [(person, payment ids, total fen)]."""
    return brief
