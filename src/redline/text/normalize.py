"""normalize_batch: the evasion-resistant normalised view of a batch of messages.

One pass per batch, vectorised over the batch's UTF-32 code points (PERF-NOTES §6, §9):
1. fold each code point through P (NFKC, full→half width, lower case, 繁→简 via OpenCC t2s,
   whitespace/controls → space, zero-width characters deleted, rare expansions such as
   ``…`` → ``...``), a numpy lookup;
2. NFKC composition across characters (combining marks, Hangul jamo) for the rare messages
   that need it, in Python;
3. drop runs of at most `MAX_GAP` separators (spaces, punctuation, symbols, emoji) between two
   汉字, so `绝 密`, `机.密`, `红🧧包` read `绝密`, `机密`, `红包`.
Each normalised character keeps the original span it came from (OffsetMap), so evidence is
highlighted where it really is. Invalid surrogates become U+FFFD; nothing raises on content.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final, overload

import numpy as np
import numpy.typing as npt

from redline.text.joined import JoinedText
from redline.text.offsets import OffsetMap
from redline.text.tables import FoldTables, fold_tables, pipeline_text

MAX_GAP: Final = 3  # longest separator run dropped between two 汉字 (longer runs are real breaks)
_I64 = np.int64


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """One normalised message and its map back to the original."""

    text: str
    offsets: OffsetMap
    original: str


class NormalizedTexts(Sequence[str]):
    """The normalised texts of a batch as a `Sequence[str]`, carrying the shared buffer.

    Detectors receive this; batch matchers use `.joined` (one UTF-8 buffer), others index it.
    """

    __slots__ = ("_texts", "joined")

    def __init__(self, joined: JoinedText) -> None:
        self.joined = joined
        self._texts: list[str] | None = None

    def _all(self) -> list[str]:
        if self._texts is None:
            if len(self.joined) == 0:
                self._texts = []
            else:
                self._texts = self.joined.codepoints.tobytes().decode("utf-32-le").split("\x00")
        return self._texts

    def __len__(self) -> int:
        return len(self.joined)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._all()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())


@dataclass(frozen=True, slots=True)
class NormalizedBatch(Sequence[NormalizedText]):
    """A normalised batch: `texts` for detectors, per-message OffsetMaps for the engine.

    Source positions are batch-global (original texts joined with one NUL between them);
    `None` means identity (`src_starts`) or `src_starts + 1` (`src_ends`): the common case
    costs no arrays at all.
    """

    originals: Sequence[str]
    texts: NormalizedTexts
    orig_starts: npt.NDArray[np.int64]  # where each original message starts in the join
    src_starts: npt.NDArray[np.int64] | None
    src_ends: npt.NDArray[np.int64] | None
    _cache: dict[int, OffsetMap] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.originals)

    def offsets(self, row: int) -> OffsetMap:
        """The OffsetMap of message `row` (characters of the original message)."""
        found = self._cache.get(row)
        if found is None:
            j = self.texts.joined
            lo, hi = int(j.row_starts[row]), int(j.row_ends[row])
            base = int(self.orig_starts[row])
            if self.src_starts is None:
                starts = np.arange(lo - base, hi - base, dtype=_I64)
            else:
                starts = self.src_starts[lo:hi] - base
            ends = starts + 1 if self.src_ends is None else self.src_ends[lo:hi] - base
            found = OffsetMap(starts, ends, len(self.originals[row]))
            self._cache[row] = found
        return found

    def span(self, row: int, start: int, end: int) -> tuple[int, int]:
        """Normalised span of message `row` → its span in the original text (characters)."""
        return self.offsets(row).span(start, end)

    @overload
    def __getitem__(self, index: int) -> NormalizedText: ...
    @overload
    def __getitem__(self, index: slice) -> list[NormalizedText]: ...
    def __getitem__(self, index: int | slice) -> NormalizedText | list[NormalizedText]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = index + len(self) if index < 0 else index
        return NormalizedText(self.texts[row], self.offsets(row), self.originals[row])


def normalize_text(text: str) -> str:
    """The normalised form of one string (terms of lexicons are normalised with this)."""
    return normalize_batch([text]).texts[0]


def _expand(
    tables: FoldTables, cps: npt.NDArray[np.uint32], folded: npt.NDArray[np.uint32],
    lens: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Apply deletions and multi-character expansions; returns (code points, source index)."""
    src = np.repeat(np.arange(len(cps), dtype=_I64), lens)
    out = folded[src]
    expanded = tables.out_len[cps[src]] > 1
    if expanded.any():
        first = np.cumsum(lens, dtype=_I64) - lens
        within = np.arange(len(src), dtype=_I64) - first[src]
        rows = tables.expansion_row[cps[src[expanded]]]
        out[expanded] = tables.expansion[rows, within[expanded]]
    return out, src


def _compose(
    tables: FoldTables, out: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
) -> tuple[list[int], list[int], list[int]]:
    """NFKC composition over one message's folded characters (slow path, rare)."""
    res_cp: list[int] = []
    res_s: list[int] = []
    res_e: list[int] = []
    i, n = 0, len(out)
    while i < n:
        j = i + 1
        while j < n and tables.compose[out[j]]:
            j += 1
        if j - i == 1:
            res_cp.append(int(out[i]))
            res_s.append(int(starts[i]))
            res_e.append(int(ends[i]))
        else:
            seg = out[i:j].tobytes().decode("utf-32-le")
            for _ in range(8):  # fixpoint of NFKC + folding, as for single characters
                nxt = pipeline_text(unicodedata.normalize("NFKC", seg))
                if nxt == seg:
                    break
                seg = nxt
            lo, hi = int(starts[i]), int(ends[i:j].max())
            for ch in seg:
                res_cp.append(ord(ch))
                res_s.append(lo)
                res_e.append(hi)
        i = j
    return res_cp, res_s, res_e


def _drop_separators(tables: FoldTables, out: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_] | None:
    """Keep-mask, False for runs of ≤ MAX_GAP separators between two 汉字 (None: keep all).

    Works on the separator positions only (a tenth of a chat text), run by run.
    """
    n = len(out)
    pos = np.flatnonzero(tables.separator[out])
    if not len(pos):
        return None
    breaks = np.flatnonzero(np.diff(pos) != 1)
    run_first = pos[np.concatenate([[0], breaks + 1])]
    run_last = pos[np.concatenate([breaks, [len(pos) - 1]])]
    before, after = run_first - 1, run_last + 1
    drop = (before >= 0) & (after < n) & (run_last - run_first < MAX_GAP)
    drop &= tables.han[out[np.clip(before, 0, n - 1)]] & tables.han[out[np.clip(after, 0, n - 1)]]
    if not drop.any():
        return None
    keep = np.ones(n, dtype=np.bool_)
    lengths = run_last - run_first + 1
    dropped = np.repeat(drop, lengths)
    keep[pos[dropped]] = False
    return keep


def normalize_batch(texts: Sequence[str]) -> NormalizedBatch:
    """Normalise a batch once: per-message normalised text and offset map to the original.

    Offsets are characters. Never raises on message content (empty, huge, control
    characters, lone surrogates): a bad message is normalised like any other.
    """
    tables = fold_tables()
    originals = list(texts)
    n = len(originals)
    lens = np.fromiter(map(len, originals), dtype=_I64, count=n)
    ostart = np.cumsum(lens + 1, dtype=_I64) - (lens + 1)
    raw = "\x00".join(originals).encode("utf-32-le", "surrogatepass")
    cps = np.frombuffer(raw, dtype=np.uint32)
    boundary = ostart[1:] - 1
    out = tables.fold[cps]
    out[boundary] = 0
    special = tables.special[cps]
    special[boundary] = 0
    src_s: npt.NDArray[np.int64] | None = None
    src_e: npt.NDArray[np.int64] | None = None
    if special.any():
        out_len = tables.out_len[cps]
        out_len[boundary] = 1
        out, src_s = _expand(tables, cps, out, out_len)
        need = np.flatnonzero(special & 2)
        if len(need):
            rows = np.unique(np.searchsorted(ostart, need, side="right") - 1)
            out, src_s, src_e = _compose_rows(tables, out, src_s, src_s + 1, ostart, lens, rows)
    keep = _drop_separators(tables, out)
    if keep is not None:
        out = out[keep]
        src_s = np.flatnonzero(keep) if src_s is None else src_s[keep]
        src_e = None if src_e is None else src_e[keep]
    bounds = np.flatnonzero(out == 0)
    row_starts = np.concatenate([np.zeros(min(n, 1), dtype=_I64), bounds + 1])
    row_ends = np.concatenate([bounds, np.full(min(n, 1), len(out), dtype=_I64)])
    joined = JoinedText(np.ascontiguousarray(out, dtype=np.uint32), row_starts, row_ends)
    return NormalizedBatch(originals, NormalizedTexts(joined), ostart, src_s, src_e)


def _compose_rows(
    tables: FoldTables, out: npt.NDArray[np.uint32], src_s: npt.NDArray[np.int64],
    src_e: npt.NDArray[np.int64], ostart: npt.NDArray[np.int64], lens: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Run the composition slow path on the given rows and splice the results in."""
    pieces_cp: list[npt.NDArray[np.uint32]] = []
    pieces_s: list[npt.NDArray[np.int64]] = []
    pieces_e: list[npt.NDArray[np.int64]] = []
    cursor = 0
    for row in rows.tolist():
        lo = int(np.searchsorted(src_s, ostart[row], side="left"))
        hi = int(np.searchsorted(src_s, ostart[row] + lens[row], side="left"))
        pieces_cp.append(out[cursor:lo])
        pieces_s.append(src_s[cursor:lo])
        pieces_e.append(src_e[cursor:lo])
        c, s, e = _compose(tables, out[lo:hi], src_s[lo:hi], src_e[lo:hi])
        pieces_cp.append(np.asarray(c, dtype=np.uint32))
        pieces_s.append(np.asarray(s, dtype=_I64))
        pieces_e.append(np.asarray(e, dtype=_I64))
        cursor = hi
    pieces_cp.append(out[cursor:])
    pieces_s.append(src_s[cursor:])
    pieces_e.append(src_e[cursor:])
    return np.concatenate(pieces_cp), np.concatenate(pieces_s), np.concatenate(pieces_e)
