"""Exact matching of roster names (people.csv `name`) over a whole batch.

Built on the batch matchers' `LiteralMatcher` (one hyperscan pass over the batch's UTF-8
buffer, shared with the other batch matchers when the batch is normalised; offsets mapped
back to rows and characters with numpy). hyperscan is required: without it the matchers
module refuses to load with a clear message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from redline.detectors.matchers import LiteralMatcher
from redline.text.joined import joined_view


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One roster name found in one message; offsets in characters, end exclusive."""

    row: int
    start: int
    end: int
    name: str


class RosterMatcher:
    """Finds every occurrence of any roster name; picklable (the matcher travels as its database)."""

    def __init__(self, names: Iterable[str]) -> None:
        # one-character "names" would match everywhere; NUL separates the batch's messages
        cleaned = {n.strip() for n in names if n and "\x00" not in n}
        self.names: tuple[str, ...] = tuple(sorted(n for n in cleaned if len(n) >= 2))
        self._matcher: LiteralMatcher | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"names": self.names}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.names = state["names"]
        self._matcher = None

    def _literals(self) -> LiteralMatcher:
        if self._matcher is None:  # compiled on first use: a plan may never scan a batch
            self._matcher = LiteralMatcher(self.names)
        return self._matcher

    def find(self, texts: Sequence[str]) -> list[NameMatch]:
        """Every (row, start, end, name) in the batch, sorted by row and start."""
        if not self.names or not texts:
            return []
        found = self._literals().scan(joined_view(texts))
        out = [
            NameMatch(r, s, e, self.names[i])
            for i, r, s, e in zip(found.ids.tolist(), found.rows.tolist(), found.starts.tolist(),
                                  found.ends.tolist(), strict=True)
        ]
        out.sort(key=lambda m: (m.row, m.start, m.end))
        return out
