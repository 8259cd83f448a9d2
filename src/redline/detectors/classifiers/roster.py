"""Exact matching of roster names (people.csv `name`) over a whole batch with hyperscan.

The batch is joined once as UTF-8, scanned once, and byte offsets are mapped back to
character offsets and message rows with numpy, as PERF-NOTES.md recommends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import hyperscan
import numpy as np


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One roster name found in one message; offsets in characters, end exclusive."""

    row: int
    start: int
    end: int
    name: str


def _escape(name: str) -> str:
    # hyperscan speaks PCRE: escape every ASCII non-alphanumeric character as \xHH
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 128 and not c.isalnum() else c for c in name)


class RosterMatcher:
    """Finds every occurrence of any roster name; picklable (the database is rebuilt lazily)."""

    def __init__(self, names: Iterable[str]) -> None:
        # one-character "names" would match everywhere; line breaks are our batch separator
        cleaned = {n.strip() for n in names if n and "\n" not in n}
        self.names: tuple[str, ...] = tuple(sorted(n for n in cleaned if len(n) >= 2))
        self._db: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"names": self.names}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.names = state["names"]
        self._db = None

    def _database(self) -> Any:
        if self._db is None:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(
                expressions=[_escape(n).encode("utf-8") for n in self.names],
                ids=list(range(len(self.names))),
                elements=len(self.names),
                flags=hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST,
            )
            self._db = db
        return self._db

    def find(self, texts: Sequence[str]) -> list[NameMatch]:
        """Every (row, start, end, name) in the batch, sorted by row and start."""
        if not self.names or not texts:
            return []
        buffer = "\n".join(texts).encode("utf-8")
        found: list[tuple[int, int, int]] = []

        def on_match(name_id: int, start: int, end: int, flags: int, context: Any) -> None:
            found.append((name_id, start, end))

        self._database().scan(buffer, match_event_handler=on_match)
        if not found:
            return []
        raw = np.frombuffer(buffer, dtype=np.uint8)
        # characters before each byte offset: count of UTF-8 lead bytes
        char_before = np.r_[0, np.cumsum((raw & 0xC0) != 0x80)]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        msg_start = np.r_[0, np.cumsum(lengths + 1)[:-1]]  # +1: the "\n" separator
        ids, b_start, b_end = (np.array(col, dtype=np.int64) for col in zip(*found, strict=True))
        c_start, c_end = char_before[b_start], char_before[b_end]
        rows = np.searchsorted(msg_start, c_start, side="right") - 1
        out = [
            NameMatch(int(r), int(s - msg_start[r]), int(e - msg_start[r]), self.names[i])
            for i, r, s, e in zip(ids.tolist(), rows.tolist(), c_start.tolist(), c_end.tolist(), strict=True)
        ]
        out.sort(key=lambda m: (m.row, m.start, m.end))
        return out
