"""Exact matching of roster names (people.csv `name`) over a whole batch with hyperscan.

The batch's UTF-8 buffer (shared with the other batch matchers when the batch is
normalised) is scanned once; byte offsets map back to rows and characters with numpy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import hyperscan
import numpy as np

from redline.text.joined import joined_view


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
        # one-character "names" would match everywhere; NUL separates the batch's messages
        cleaned = {n.strip() for n in names if n and "\x00" not in n}
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
        joined = joined_view(texts)  # a normalised batch brings its UTF-8 buffer along
        found: list[tuple[int, int, int]] = []

        def on_match(name_id: int, start: int, end: int, flags: int, context: Any) -> None:
            found.append((name_id, start, end))

        self._database().scan(joined.utf8, match_event_handler=on_match)
        if not found:
            return []
        ids, b_start, b_end = (np.array(col, dtype=np.int64) for col in zip(*found, strict=True))
        rows, starts, ends = joined.locate(b_start, b_end)
        out = [
            NameMatch(r, s, e, self.names[i])
            for i, r, s, e in zip(ids.tolist(), rows.tolist(), starts.tolist(), ends.tolist(), strict=True)
        ]
        out.sort(key=lambda m: (m.row, m.start, m.end))
        return out
