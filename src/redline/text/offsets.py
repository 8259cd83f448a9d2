"""OffsetMap: where each character of a normalised text came from in the original text.

Offsets are characters (Python `str` indices). Normalisation folds, expands (``…`` →
``...``), composes (``e``+◌́ → ``é``) and deletes (separators between 汉字, zero-width
characters), so each normalised character i has a source span `starts[i]:ends[i]` in the
original. Both arrays are non-decreasing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Normalised character index → original character index, for one message."""

    starts: npt.NDArray[np.int64]  # original index of the first source character
    ends: npt.NDArray[np.int64]  # original index just after the last source character
    original_length: int

    def __len__(self) -> int:
        return len(self.starts)

    def to_original(self, positions: Iterable[int]) -> list[int]:
        """Boundary positions 0..len(normalised) → boundary positions in the original.

        Position len(normalised) maps to len(original). Monotonic non-decreasing.
        """
        n = len(self.starts)
        return [int(self.starts[i]) if i < n else self.original_length for i in positions]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised characters start..end (end exclusive)."""
        n = len(self.starts)
        if end <= start:
            pos = int(self.starts[start]) if start < n else self.original_length
            return pos, pos
        return int(self.starts[start]), int(self.ends[min(end, n) - 1])

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """The map of a text that normalisation left unchanged."""
        idx = np.arange(length, dtype=np.int64)
        return cls(idx, idx + 1, length)
