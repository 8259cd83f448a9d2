"""The canonical bundle's files and columns, as Arrow schemas (the interchange contract).

Inside Redline: money is integer fen (`amount_fen`), times are timezone-aware timestamps
(microseconds, Asia/Shanghai), dates are Arrow dates. Outside (CSV): money is yuan with two
decimals (`amount_yuan`), times are ISO 8601 with offset (default +08:00). Unknown extra
columns of a file are kept as string columns after the canonical ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Final

import pyarrow as pa

from redline import vocab

# China Standard Time, the one definition of +08:00 (Asia/Shanghai has had no DST since 1991,
# so the fixed offset and the zone agree for every date a bundle holds).
TZ: Final = "Asia/Shanghai"
TIMESTAMP: Final = pa.timestamp("us", tz=TZ)
UTC_OFFSET: Final = timedelta(hours=8)
CHINA: Final = timezone(UTC_OFFSET, TZ)
OFFSET_TEXT: Final = "+08:00"  # as an ISO 8601 suffix
OFFSET_US: Final = 8 * 3_600_000_000  # the offset in microseconds, for epoch arithmetic in SQL


@dataclass(frozen=True, slots=True)
class FileSpec:
    """One bundle file: its name, the table it fills, its Arrow schema and natural key."""

    filename: str
    table: str
    schema: pa.Schema
    key: tuple[str, ...]
    required: tuple[str, ...]  # columns that must be present and non-empty


PEOPLE: Final = FileSpec(
    "people.csv", "people",
    pa.schema([
        ("person_id", pa.string()), ("name", pa.string()), ("unit", pa.string()),
        ("post", pa.string()), ("is_official", pa.bool_()), ("external", pa.bool_()),
        ("start_date", pa.date32()), ("end_date", pa.date32()),
    ]),
    key=("person_id",), required=("person_id",),
)
RELATIONS: Final = FileSpec(
    "relations.csv", "relations",
    pa.schema([
        ("person_id", pa.string()), ("other_id", pa.string()), ("relation", pa.string()),
        ("since", pa.date32()), ("until", pa.date32()),
    ]),
    key=("person_id", "other_id", "relation"), required=("person_id", "other_id", "relation"),
)
GROUPS: Final = FileSpec(
    "groups.csv", "groups",
    pa.schema([
        ("group_id", pa.string()), ("name", pa.string()), ("type", pa.string()),
        ("owner_id", pa.string()), ("registered", pa.bool_()), ("classification", pa.string()),
        ("daily_report", pa.bool_()),
    ]),
    key=("group_id",), required=("group_id",),
)
MEMBERSHIPS: Final = FileSpec(
    "memberships.csv", "memberships",
    pa.schema([
        ("group_id", pa.string()), ("person_id", pa.string()), ("display_name", pa.string()),
        ("joined", pa.date32()), ("left", pa.date32()),
    ]),
    key=("group_id", "person_id"), required=("group_id", "person_id"),
)
MESSAGES: Final = FileSpec(
    "messages.jsonl", "messages",
    pa.schema([
        ("id", pa.string()), ("time", TIMESTAMP), ("conversation", pa.string()),
        ("sender", pa.string()), ("type", pa.string()), ("text", pa.string()),
        ("attachment", pa.string()),  # JSON object {"name","size","sha256","path"} or null
    ]),
    key=("id",), required=("id", "time", "conversation"),
)
PAYMENTS: Final = FileSpec(
    "payments.csv", "payments",
    pa.schema([
        ("payment_id", pa.string()), ("time", TIMESTAMP), ("payer", pa.string()),
        ("payee", pa.string()), ("amount_fen", pa.int64()), ("kind", pa.string()),
        ("channel", pa.string()), ("conversation", pa.string()), ("memo", pa.string()),
        ("status", pa.string()), ("packet_id", pa.string()),
    ]),
    key=("payment_id",), required=("payment_id", "time", "payer", "kind"),
)
EVENTS: Final = FileSpec(
    "events.csv", "events",
    pa.schema([
        ("event_id", pa.string()), ("date", pa.date32()), ("kind", pa.string()),
        ("unit", pa.string()), ("person_id", pa.string()), ("other_id", pa.string()),
    ]),
    key=("event_id",), required=("event_id", "date", "kind"),
)

FILES: Final[tuple[FileSpec, ...]] = (PEOPLE, RELATIONS, GROUPS, MEMBERSHIPS, MESSAGES, PAYMENTS, EVENTS)
BY_TABLE: Final = {spec.table: spec for spec in FILES}

# The CSV header of payments.csv names money in yuan; inside it is fen.
PAYMENTS_CSV_COLUMNS: Final = (
    "payment_id", "time", "payer", "payee", "amount_yuan", "kind", "channel",
    "conversation", "memo", "status", "packet_id",
)
QUARANTINE_FILE: Final = "quarantine.jsonl"
IMPORT_REPORT_FILE: Final = "import_report.json"


def empty_table(table: str) -> pa.Table:
    """An empty table with the canonical schema (for files absent from a bundle)."""
    return BY_TABLE[table].schema.empty_table()


def csv_columns(spec: FileSpec) -> tuple[str, ...]:
    """The header of a CSV file of the bundle (money named `amount_yuan` outside)."""
    if spec is PAYMENTS:
        return PAYMENTS_CSV_COLUMNS
    return tuple(spec.schema.names)


# Closed vocabularies per (table, column): a value outside is a bad row (empty means null).
ENUMS: Final[dict[tuple[str, str], frozenset[str]]] = {
    ("relations", "relation"): frozenset(v.value for v in vocab.Relation),
    ("groups", "type"): frozenset(v.value for v in vocab.GroupType),
    ("messages", "type"): frozenset(v.value for v in vocab.MessageType),
    ("payments", "kind"): frozenset(v.value for v in vocab.PaymentKind),
    ("payments", "channel"): frozenset(v.value for v in vocab.Channel),
    ("payments", "status"): frozenset(v.value for v in vocab.PaymentStatus),
    ("events", "kind"): frozenset(v.value for v in vocab.EventKind),
}

# Money bounds in fen: more than 10^9 yuan in one payment is a typing error, not a bribe.
MAX_AMOUNT_FEN: Final = 10**9 * 100
