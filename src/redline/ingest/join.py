"""Merging what several sources say about the same rows, and joining chat money to bills.

No chat source gives a complete payment record: a red packet in chat has no amount, a bill
row has no conversation. Where an id links them (the packet's sendid is the bill's
商户单号), the chat row takes the bill's amount and status and the bill row is folded in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from redline.bundle.quarantine import QuarantineRecord
from redline.ingest.result import Row, SourceResult

KEYS: Final[dict[str, tuple[str, ...]]] = {
    "people": ("person_id",), "groups": ("group_id",), "memberships": ("group_id", "person_id"),
    "messages": ("id",), "payments": ("payment_id",), "relations": ("person_id", "other_id", "relation"),
    "events": ("event_id",),
}
# a later notice of the same transfer (received, returned) supersedes "paid"
_STATUS_RANK: Final = {"paid": 0, "received": 1, "expired": 2, "refunded": 3, "returned": 3}


# fields that must agree when two sources give the same natural key
_IDENTITY: Final[dict[str, tuple[str, ...]]] = {
    "messages": ("time", "type", "text", "sender"), "payments": ("amount_fen", "payer", "kind"),
}


@dataclass
class Merged:
    """The bundle's rows after merging, and how many chat payments were completed from bills."""

    tables: dict[str, list[Row]]
    joined: int
    conflicts: list[QuarantineRecord]


def merge(results: Iterable[SourceResult]) -> Merged:
    """Merge rows by natural key: empty fields are filled by later sources, nothing is lost."""
    tables: dict[str, dict[tuple[Any, ...], Row]] = {}
    origin: dict[tuple[str, tuple[Any, ...]], int] = {}
    conflicts: list[QuarantineRecord] = []
    for number, result in enumerate(results):
        for table, rows in result.tables.items():
            keyed = tables.setdefault(table, {})
            key_fields = KEYS[table]
            for row in rows:
                key = tuple(row.get(k) for k in key_fields)
                if key not in keyed:
                    keyed[key] = dict(row)
                    origin[table, key] = number
                    continue
                clash = _clash(table, keyed[key], row)
                if clash and origin[table, key] == number and len(key_fields) == 1:
                    # one export reusing an id for two different records: keep both, apart
                    twin = dict(row)
                    twin[key_fields[0]] = f"{key[0]}#{sum(1 for k in keyed if str(k[0]).startswith(f'{key[0]}#')) + 2}"
                    twin["id_note"] = f"the source reuses id {key[0]!r} for a different record"
                    keyed[(twin[key_fields[0]],)] = twin
                    origin[table, (twin[key_fields[0]],)] = number
                    result.note(f"ids reused for different records were kept apart with a #N suffix ({table})")
                elif clash:
                    conflicts.append(QuarantineRecord(
                        file=str(result.path), line=0, field=clash,
                        reason=f"duplicate {table[:-1]} id {key[0]!r} with a different {clash} (the first one was kept)",
                        raw=repr(row)[:2000]))
                else:
                    _combine(table, keyed[key], row)
    merged = {name: list(rows.values()) for name, rows in tables.items()}
    joined = join_bills(merged.get("payments", []))
    if joined:
        folded = {id(r) for r in merged["payments"] if r.get("_folded")}
        merged["payments"] = [r for r in merged["payments"] if id(r) not in folded]
    return Merged(merged, joined, conflicts)


def _clash(table: str, kept: Row, new: Row) -> str:
    """The first identity field on which two rows with one key disagree ('' when they agree)."""
    for name in _IDENTITY.get(table, ()):
        a, b = kept.get(name), new.get(name)
        if a not in (None, "") and b not in (None, "") and a != b:
            return name
    return ""


def _combine(table: str, kept: Row, new: Row) -> None:
    for name, value in new.items():
        if kept.get(name) in (None, "") and value not in (None, ""):
            kept[name] = value
    if table == "payments" and _STATUS_RANK.get(str(new.get("status")), 0) > _STATUS_RANK.get(str(kept.get("status")), 0):
        kept["status"] = new["status"]


def join_bills(payments: list[Row]) -> int:
    """Complete chat red packets and transfers from bill rows sharing an id; returns the count."""
    chat = {str(p["packet_id"] or p["payment_id"].split(":", 1)[-1]): p for p in payments
            if p.get("channel") == "wechat" and p.get("amount_fen") is None and ":claim:" not in p["payment_id"]}
    joined = 0
    for bill in payments:
        if bill.get("channel") not in ("wechat", "alipay") or "merchant_order" not in bill:
            continue
        target = chat.get(str(bill.get("merchant_order") or "")) or chat.get(bill["payment_id"].split(":", 1)[-1])
        if target is None or target is bill:
            continue
        target["amount_fen"] = bill["amount_fen"]
        if _STATUS_RANK.get(str(bill["status"]), 0) > _STATUS_RANK.get(str(target["status"]), 0):
            target["status"] = bill["status"]
        target["bill_payment_id"] = bill["payment_id"]
        bill["_folded"] = True
        joined += 1
    return joined
