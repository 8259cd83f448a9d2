"""JoinedText: a batch of texts as ONE UTF-8 buffer for batch matchers (hyperscan, RE2).

Messages are separated by NUL (normalisation folds every NUL inside a message to a space).
A matcher scans `utf8` once and maps byte offsets back to (row, character offsets) with
`locate`, vectorised by `numpy.searchsorted` (PERF-NOTES §2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from redline.text.tables import UTF8_SHIFT, fold_tables

_SEP = "\x00"


def _utf8_lengths(cps: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    return ((cps >= 0x80).astype(np.uint8) + (cps >= 0x800) + (cps >= 0x10000) + 1).astype(np.uint8)


@dataclass(slots=True)
class JoinedText:
    """One batch as code points and UTF-8 bytes, NUL between rows."""

    codepoints: npt.NDArray[np.uint32]
    row_starts: npt.NDArray[np.int64]  # character index of each row's first character
    row_ends: npt.NDArray[np.int64]
    props: npt.NDArray[np.uint8] | None = None  # tables.props per code point, if known
    utf8: bytes = field(init=False, default=b"")
    char_bytes: npt.NDArray[np.int64] = field(init=False)

    def __post_init__(self) -> None:
        self.utf8 = self.codepoints.tobytes().decode("utf-32-le").encode("utf-8")
        if self.props is None:
            lengths = _utf8_lengths(self.codepoints)
        else:
            lengths = np.bitwise_and(self.props >> UTF8_SHIFT, 3, dtype=np.uint8)
            lengths += np.uint8(1)
        # byte offset of each character: an exclusive running sum, written in place
        self.char_bytes = np.empty(len(lengths), dtype=np.int64)
        if len(lengths):
            self.char_bytes[0] = 0
            np.cumsum(lengths[:-1], dtype=np.int64, out=self.char_bytes[1:])

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> JoinedText:
        """Join plain strings (already normalised, no NUL inside) into one buffer."""
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        starts = np.cumsum(lens + 1) - (lens + 1)
        joined = _SEP.join(texts).encode("utf-32-le", "surrogatepass")
        cps = np.frombuffer(joined, dtype=np.uint32).copy()
        cps[(cps >= 0xD800) & (cps <= 0xDFFF)] = 0xFFFD
        return cls(cps, starts, starts + lens)

    def __len__(self) -> int:
        return len(self.row_starts)

    def locate(
        self, byte_starts: npt.ArrayLike, byte_ends: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Byte spans in `utf8` → (row, start, end) in characters of each row's text."""
        bs = np.asarray(byte_starts, dtype=np.int64)
        be = np.asarray(byte_ends, dtype=np.int64)
        cs = np.searchsorted(self.char_bytes, bs, side="left")
        ce = np.searchsorted(self.char_bytes, be, side="left")
        rows = np.searchsorted(self.row_starts, cs, side="right") - 1
        base = self.row_starts[rows]
        return rows, cs - base, ce - base

    def row_counts(self, bit: int) -> npt.NDArray[np.int64]:
        """Per row, how many characters carry a `tables.props` bit (e.g. DIGIT)."""
        props = self.props if self.props is not None else fold_tables().props[self.codepoints]
        if not len(self):
            return np.zeros(0, dtype=np.int64)
        # the flagged characters are few: place them in rows, no running sum over the batch
        at = np.flatnonzero((props & bit) != 0)  # nonzero on bools is ~3x faster than on uint8
        rows = np.searchsorted(self.row_starts, at, side="right") - 1
        at_row = at < self.row_ends[np.maximum(rows, 0)]  # not in the NUL between rows
        return np.bincount(rows[at_row & (rows >= 0)], minlength=len(self)).astype(np.int64)

    def row_text(self, row: int) -> str:
        """The text of one row (a str slice of the code points)."""
        part = self.codepoints[self.row_starts[row] : self.row_ends[row]]
        return part.tobytes().decode("utf-32-le")


def joined_view(texts: Sequence[str]) -> JoinedText:
    """The batch's shared buffer when `texts` carries one (normalised batches), else a new one."""
    joined = getattr(texts, "joined", None)
    if isinstance(joined, JoinedText):
        return joined
    return JoinedText.from_texts(texts)
