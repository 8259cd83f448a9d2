"""The quarantine: bundle rows that were rejected, each with file, line, field and reason.

A loader never drops a row silently: every rejected row becomes a `QuarantineRecord` and is
written to `quarantine.jsonl` (one JSON object a line) so a person can fix and re-load it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson

from redline.bundle.schema import QUARANTINE_FILE
from redline.errors import InputError, SourceLocation


@dataclass(frozen=True, slots=True)
class QuarantineRecord:
    """One rejected row: `line` is the 1-based physical line where the row starts."""

    file: str  # bundle file name, e.g. "payments.csv"
    line: int
    field: str  # column name, or "" when the row as a whole is wrong
    reason: str
    raw: str  # the row's original text (its physical lines)

    def to_json(self) -> bytes:
        """One JSON Lines record (UTF-8, no trailing newline)."""
        return orjson.dumps(asdict(self))


def write_quarantine(path: str | Path, records: Iterable[QuarantineRecord]) -> Path:
    """Write records as JSON Lines; `path` is a bundle folder (→ its quarantine.jsonl) or a file.

    Returns the path written. An empty iterable still writes an (empty) file, so that a
    stale quarantine of an earlier load never survives.
    """
    target = Path(path)
    if target.is_dir():
        target = target / QUARANTINE_FILE
    try:
        with target.open("wb") as out:
            for record in records:
                out.write(record.to_json() + b"\n")
    except OSError as exc:
        raise InputError(f"cannot write quarantine: {exc.strerror}", SourceLocation(target)) from exc
    return target


def read_quarantine(path: str | Path) -> list[QuarantineRecord]:
    """Read a quarantine.jsonl written by `write_quarantine`."""
    target = Path(path)
    if target.is_dir():
        target = target / QUARANTINE_FILE
    try:
        lines = target.read_bytes().splitlines()
        return [QuarantineRecord(**orjson.loads(line)) for line in lines if line.strip()]
    except (OSError, orjson.JSONDecodeError, TypeError) as exc:
        raise InputError(f"cannot read quarantine: {exc}", SourceLocation(target)) from exc
