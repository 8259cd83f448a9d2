"""What one importer made of one source file: rows per bundle table, quarantine, notes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.bundle.quarantine import QuarantineRecord

Row = dict[str, Any]


@dataclass
class SourceResult:
    """Rows one source file yields, in the bundle's INTERNAL form (fen, aware datetimes)."""

    path: Path
    format: str
    rows_read: int = 0
    tables: dict[str, list[Row]] = field(default_factory=dict)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason → count (not errors: footers, totals)

    def add(self, table: str, row: Row) -> None:
        """Append a row to a bundle table."""
        self.tables.setdefault(table, []).append(row)

    def reject(self, line: int | None, fld: str | None, reason: str, raw: object) -> None:
        """Quarantine one bad record with where it was and why (line 0: no line, e.g. JSON)."""
        self.quarantined.append(
            QuarantineRecord(file=str(self.path), line=line or 0, field=fld or "", reason=reason, raw=_raw(raw))
        )

    def note(self, text: str) -> None:
        """Something the user should know about this source (shown in the import report)."""
        if text not in self.notes:
            self.notes.append(text)

    def counts(self) -> dict[str, int]:
        """Rows written per table."""
        return {name: len(rows) for name, rows in sorted(self.tables.items())}


def _raw(raw: object) -> str:
    if isinstance(raw, str):
        return raw[:2000]
    if isinstance(raw, list | tuple):
        return ",".join(str(c) for c in raw)[:2000]
    return repr(raw)[:2000]
