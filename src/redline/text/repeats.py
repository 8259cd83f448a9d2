"""Repeat-collapsed views: 红红包包 read as 红包 for the rows that repeat a 汉字.

Stuttering a character (绝绝密, 不得得外传) breaks literal matching. Collapsing repeats in
the normalised view itself would also turn 牛牛 into 牛 and 谢谢 into 谢, so it is a second,
small view: only rows holding a doubled 汉字, built with numpy from the batch's code points,
with a map from each collapsed character back to the run it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from redline.text.joined import JoinedText
from redline.text.tables import HAN, fold_tables

_I64 = np.int64


@dataclass(frozen=True, slots=True)
class CollapsedRows:
    """The rows of a batch that repeat a 汉字, with every run of one 汉字 collapsed to one."""

    joined: JoinedText  # sub-batch: one row per entry of `rows`
    rows: npt.NDArray[np.int64]  # sub-batch row → batch row
    kept: npt.NDArray[np.int64]  # sub-batch character → its position in the batch's joined text
    source: JoinedText  # the batch it was built from

    def to_batch(
        self, sub_rows: npt.NDArray[np.int64], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Collapsed spans → (batch row, start, end) in the batch's normalised texts.

        The end covers the whole run of the last character (包包 → both).
        """
        base = self.joined.row_starts[sub_rows]
        first = self.kept[base + starts]
        after = self.kept[base + ends]  # the next kept character (or the row's NUL) ends the run
        rows = self.rows[sub_rows]
        row_base = self.source.row_starts[rows]
        return rows, first - row_base, after - row_base


def _member(keys: npt.NDArray[np.int64], table: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    if not len(table):
        return np.zeros(len(keys), dtype=np.bool_)
    where = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.asarray(table[where] == keys)


def collapse_repeats(
    joined: JoinedText, bigrams: npt.NDArray[np.int64] | None = None
) -> CollapsedRows | None:
    """The repeat-collapsed view of the rows that need one (None if no row repeats a 汉字).

    With `bigrams` (sorted keys `(ord(a) << 21) | ord(b)` of the sought terms' character
    pairs), a repeat counts only when the repeated character and a neighbour form one of
    those pairs: 谢谢大家 is left alone when no term holds 谢大, so the second pass sees only
    rows where a stutter can hide a term.
    """
    cps = joined.codepoints
    n = len(cps)
    if n < 2:
        return None
    props = fold_tables().props
    at = np.flatnonzero(cps[1:] == cps[:-1]) + 1  # a character equal to the one before it
    at = at[(props[cps[at]] & HAN) != 0]  # … that is a 汉字 (classes looked up for those only)
    dup = np.zeros(n + 1, dtype=np.bool_)
    dup[at] = True
    if bigrams is not None and len(at):
        here = cps[at].astype(_I64)
        nxt = cps[np.minimum(at + 1, n - 1)].astype(_I64)
        nxt[at + 1 >= n] = 0  # past the end reads as NUL (no copy of the batch with a NUL appended)
        after = (here << 21) | nxt
        before = (cps[np.maximum(at - 2, 0)].astype(_I64) << 21) | here
        at = at[_member(after, bigrams) | _member(before, bigrams)]
    if not len(at):
        return None
    rows = np.unique(np.searchsorted(joined.row_starts, at, side="right") - 1).astype(_I64)
    starts, stops = joined.row_starts[rows], joined.row_ends[rows] + 1  # with each row's NUL
    lengths = stops - starts
    offsets = np.cumsum(lengths) - lengths
    pos = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()), dtype=_I64)
    kept = pos[~dup[pos]]
    # the last row has no NUL of its own: its end (position n) reads as NUL
    take = kept[:-1]
    sub = cps[np.minimum(take, n - 1)]
    sub[take >= n] = 0
    bounds = np.flatnonzero(sub == 0)
    sub_starts = np.concatenate([[0], bounds + 1]).astype(_I64)
    sub_ends = np.concatenate([bounds, [len(sub)]]).astype(_I64)
    return CollapsedRows(JoinedText(sub, sub_starts, sub_ends), rows, kept, joined)
