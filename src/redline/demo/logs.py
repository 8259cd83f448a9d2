"""Column accumulators for generated messages and payments, turned into canonical Arrow tables.

Rows are appended as plain values (times in microseconds since the epoch, money in fen)
and converted once, in bulk, by `table()`: no per-row Arrow work.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from redline.bundle.schema import MESSAGES, PAYMENTS


def dm(a: str, b: str) -> str:
    """Conversation id of a direct chat: `dm:<a>|<b>` with the two ids sorted."""
    x, y = sorted((a, b))
    return f"dm:{x}|{y}"


def attachment(name: str, size: int, salt: str) -> str:
    """An attachment record as JSON. The demo ships no files, so `path` is null and the
    sha256 is of a stand-in (name and salt): stable, unique, and clearly not a real file's."""
    digest = hashlib.sha256(f"{salt}/{name}".encode()).hexdigest()
    return orjson.dumps({"name": name, "size": size, "sha256": digest, "path": None}).decode()


@dataclass(slots=True)
class MessageLog:
    """messages.jsonl rows; ids are given by the caller (planted) or assigned in time order."""

    ids: list[str | None] = field(default_factory=list)
    time: list[int] = field(default_factory=list)
    conversation: list[str] = field(default_factory=list)
    sender: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    attachment: list[str | None] = field(default_factory=list)
    extra: list[dict[str, str] | None] = field(default_factory=list)  # extra columns (a post's facts, its quote)

    def add(self, time: int, conversation: str, sender: str, text: str, type: str = "text",
            attachment: str | None = None, id: str | None = None, extra: dict[str, str] | None = None) -> None:
        self.ids.append(id)
        self.time.append(time)
        self.conversation.append(conversation)
        self.sender.append(sender)
        self.type.append(type)
        self.text.append(text)
        self.attachment.append(attachment)
        self.extra.append(extra)

    def __len__(self) -> int:
        return len(self.time)

    def extend(self, other: MessageLog) -> None:
        for name in self.__slots__:  # same columns, same order
            getattr(self, name).extend(getattr(other, name))

    def table(self) -> pa.Table:
        """Sorted by (time, conversation, sender), stably; rows without an id get `m0000001`…
        in that order. The sort and the numbering run in Arrow and numpy, not per row."""
        table = pa.table({
            "id": pa.array(self.ids, pa.string()),
            "time": pa.array(self.time, MESSAGES.schema.field("time").type),  # ints are µs since the epoch
            "conversation": pa.array(self.conversation, pa.string()),
            "sender": pa.array(self.sender, pa.string()),
            "type": pa.array(self.type, pa.string()),
            "text": pa.array(self.text, pa.string()),
            "attachment": pa.array(self.attachment, pa.string()),
        }, schema=MESSAGES.schema)
        for name in sorted({k for row in self.extra if row for k in row}):
            table = table.append_column(name, pa.array([row.get(name) if row else None for row in self.extra],
                                                       pa.string()))
        table = table.take(pc.sort_indices(table, [("time", "ascending"), ("conversation", "ascending"),
                                                   ("sender", "ascending")]))
        missing = table.column("id").is_null().to_numpy(zero_copy_only=False)
        numbers = np.cumsum(missing)
        generated = pc.binary_join_element_wise("m", pc.utf8_lpad(pa.array(numbers.astype(str)), 7, "0"), "")
        ids = pc.if_else(pa.array(missing), generated, table.column("id"))
        return table.set_column(0, MESSAGES.schema.field("id"), ids)


@dataclass(slots=True)
class PaymentLog:
    """payments.csv rows (amounts in fen); every row carries its own id."""

    rows: list[tuple[str, int, str, str, int, str, str, str, str, str, str | None]] = field(default_factory=list)

    def add(self, payment_id: str, time: int, payer: str, payee: str, amount_fen: int, kind: str,
            channel: str, conversation: str, memo: str, status: str, packet_id: str | None = None) -> None:
        if amount_fen <= 0:
            raise ValueError(f"payment {payment_id}: amount must be positive")  # a generator bug
        self.rows.append((payment_id, time, payer, payee, amount_fen, kind, channel, conversation, memo,
                          status, packet_id))

    def __len__(self) -> int:
        return len(self.rows)

    def table(self) -> pa.Table:
        rows = sorted(self.rows, key=lambda r: (r[1], r[0]))
        cols: list[tuple[object, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in PAYMENTS.schema]
        arrays = [pa.array(values, f.type) for values, f in zip(cols, PAYMENTS.schema, strict=True)]
        return pa.Table.from_arrays(arrays, schema=PAYMENTS.schema)
