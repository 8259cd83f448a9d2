"""Batch matchers: many literals or patterns over a batch's ONE joined UTF-8 buffer.

Hyperscan (PERF-NOTES §2: one scan per batch, `searchsorted` back to rows), required: a
missing wheel is a clear error at import, never a silent slow path. Matchers are picklable (the compiled database
travels as bytes, for Spark executors) and cache compiled databases on disk by content hash.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from redline.contracts import HitColumns
from redline.text.joined import JoinedText

try:
    import hyperscan
except ImportError as exc:  # pragma: no cover - the wheel is in requirements.lock
    raise ImportError(
        "Redline's text matchers need hyperscan (pinned in requirements.lock: "
        "pip install -r requirements.lock); there is no fallback") from exc

_I64 = np.int64


@dataclass(frozen=True, slots=True)
class Matches:
    """Matches of one scan: pattern id, row, start and end in characters of the row's text."""

    ids: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.ids)


_EMPTY = Matches(*(np.zeros(0, _I64) for _ in range(4)))


class _Database:
    """A compiled hyperscan block database; pickles as its serialised bytes."""

    def __init__(self, expressions: list[bytes], flags: list[int], literal: bool, cache_dir: Path | None) -> None:
        key = hashlib.sha256(repr((expressions, flags, literal, getattr(hyperscan, "__version__", ""))).encode()).hexdigest()
        cached = cache_dir / f"hs-{key[:32]}.db" if cache_dir is not None else None
        if cached is not None and cached.exists():
            self._db = hyperscan.loadb(cached.read_bytes(), hyperscan.HS_MODE_BLOCK)
            self._db.scratch = hyperscan.Scratch(self._db)
            return
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(
            expressions=expressions, ids=list(range(len(expressions))),
            elements=len(expressions), flags=flags, literal=literal,
        )
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            tmp.write_bytes(hyperscan.dumpb(self._db))
            tmp.replace(cached)

    def __getstate__(self) -> bytes:
        return bytes(hyperscan.dumpb(self._db))

    def __setstate__(self, state: bytes) -> None:
        self._db = hyperscan.loadb(state, hyperscan.HS_MODE_BLOCK)
        self._db.scratch = hyperscan.Scratch(self._db)

    def scan(self, data: bytes) -> tuple[list[int], list[int], list[int]]:
        ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []

        def on_match(pid: int, start: int, end: int, _flags: int, _ctx: Any) -> None:
            ids.append(pid)
            starts.append(start)
            ends.append(end)

        # keep `on_match` referenced during the scan (PERF-NOTES §8)
        self._db.scan(data, match_event_handler=on_match)
        return ids, starts, ends


class LiteralMatcher:
    """Every occurrence (overlaps included) of many literal strings in a batch.

    Literals are matched as UTF-8 bytes; UTF-8 is self-synchronising, so a match always
    starts and ends on character boundaries.
    """

    def __init__(self, literals: Sequence[str], cache_dir: Path | None = None) -> None:
        self.literals = tuple(literals)
        self._encoded = [lit.encode("utf-8") for lit in self.literals]
        self._lengths = np.array([len(b) for b in self._encoded], dtype=_I64)
        self._db = _Database(self._encoded, [0] * len(self._encoded), True, cache_dir) if self._encoded else None

    def scan(self, joined: JoinedText) -> Matches:
        """All matches in the batch, as arrays (rows and offsets in characters)."""
        if not self._encoded or not joined.utf8:
            return _EMPTY
        if self._db is None:
            return _EMPTY
        ids_l, _, ends_l = self._db.scan(joined.utf8)
        ids = np.asarray(ids_l, dtype=_I64)
        ends = np.asarray(ends_l, dtype=_I64)
        if not len(ids):
            return _EMPTY
        rows, cs, ce = joined.locate(ends - self._lengths[ids], ends)
        return Matches(ids, rows, cs, ce)


class PatternPrefilter:
    """Which rows MAY match each regex: one hyperscan pass, then exact matching per row.

    Patterns are compiled in hyperscan's prefilter mode (a superset of the real matches),
    so constructs hyperscan cannot run exactly still narrow the rows; a pattern hyperscan
    rejects even so marks every row as a candidate.
    """

    def __init__(self, patterns: Sequence[str], *, caseless: bool = True, cache_dir: Path | None = None) -> None:
        self.patterns = tuple(patterns)
        self._everywhere: list[int] = []
        usable: list[int] = []
        self._db: _Database | None = None
        base = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_PREFILTER
        base |= hyperscan.HS_FLAG_ALLOWEMPTY
        if caseless:
            base |= hyperscan.HS_FLAG_CASELESS
        for pid, pattern in enumerate(self.patterns):
            try:
                _Database([pattern.encode("utf-8")], [base], False, None)
            except hyperscan.error:
                self._everywhere.append(pid)
            else:
                usable.append(pid)
        if usable:
            self._db = _Database(
                [self.patterns[p].encode("utf-8") for p in usable], [base] * len(usable),
                False, cache_dir,
            )
        self._usable = np.asarray(usable, dtype=_I64)

    def candidates(self, joined: JoinedText) -> list[tuple[int, int]]:
        """Sorted unique (pattern id, row) pairs that need an exact check."""
        pairs: set[tuple[int, int]] = set()
        if self._db is not None and joined.utf8:
            ids_l, _, ends_l = self._db.scan(joined.utf8)
            if ids_l:
                ends = np.asarray(ends_l, dtype=_I64)
                rows, _, _ = joined.locate(ends, ends)
                ids = self._usable[np.asarray(ids_l, dtype=_I64)]
                pairs.update(zip(ids.tolist(), rows.tolist(), strict=True))
        for pid in self._everywhere:
            pairs.update((pid, row) for row in range(len(joined)))
        return sorted(pairs)


class HitColumnsBuilder:
    """Hits gathered one by one as plain lists, then one HitColumns (no Hit per hit)."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.labels: list[int] = []
        self.scores: list[float] = []
        self.whys: list[int] = []
        self.why_ids: dict[str, int] = {}

    def add(self, row: int, label: int, start: int, end: int, score: float, why: str) -> None:
        """One hit; `label` indexes the labels given to `build`."""
        self.rows.append(row)
        self.starts.append(start)
        self.ends.append(end)
        self.labels.append(label)
        self.scores.append(score)
        self.whys.append(self.why_ids.setdefault(why, len(self.why_ids)))

    def build(self, detector: str, labels: Sequence[str]) -> HitColumns:
        """The hits added so far, in order."""
        return HitColumns(
            detector, tuple(labels), tuple(self.why_ids), np.asarray(self.rows, dtype=_I64),
            np.asarray(self.starts, dtype=_I64), np.asarray(self.ends, dtype=_I64),
            np.asarray(self.labels, dtype=_I64), np.asarray(self.whys, dtype=_I64),
            np.asarray(self.scores, dtype=np.float64),
        )


def python_pattern(pattern: str) -> re.Pattern[str]:
    """A built-in detector's exact pattern (trusted code, so Python `re` is acceptable here)."""
    return re.compile(pattern)
