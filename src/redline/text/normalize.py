"""normalize_batch: the evasion-resistant normalised view of a batch of messages.

One pass per batch, vectorised over the batch's UTF-32 code points (PERF-NOTES §6, §9):
1. fold each code point through P (NFKC, full→half width, lower case, 繁→简 via OpenCC t2s,
   whitespace/controls → space), a numpy lookup over the batch;
2. the rare messages with an expanding character (``㎡`` → ``m2``) or one that NFKC composes
   with its neighbour (combining marks, Hangul jamo) take a Python path, spliced back in;
3. drop zero-width characters, and runs of at most `MAX_GAP` separators (spaces, punctuation, symbols, emoji) between two
   汉字, so `绝 密`, `机.密`, `红🧧包` read `绝密`, `机密`, `红包`, or between a 汉字 and a Latin
   letter, so pinyin typed into a word (`机 mi 文件`) reads `机mi文件` (between two letters
   they stay: they separate English words and pinyin syllables).
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
from redline.text.tables import (
    HAN,
    IGN,
    LATIN,
    SEP,
    SPECIAL,
    FoldTables,
    fold_tables,
    pipeline_char,
    pipeline_text,
)

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

    __slots__ = ("_rows", "_texts", "joined")

    def __init__(self, joined: JoinedText) -> None:
        self.joined = joined
        self._texts: list[str] | None = None
        self._rows: dict[int, str] = {}  # rows decoded one by one (several detectors ask)

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
        if isinstance(index, int) and self._texts is None:
            # one row: decode its slice, do not build every string of the batch
            row = index + len(self) if index < 0 else index
            if not 0 <= row < len(self):
                raise IndexError(index)
            text = self._rows.get(row)
            if text is None:
                text = self._rows[row] = self.joined.row_text(row)
            return text
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

    def spans(
        self, rows: npt.NDArray[np.int64], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Vectorised `span` for many (row, start, end) spans with end > start."""
        j = self.texts.joined
        first = j.row_starts[rows] + starts
        last = j.row_starts[rows] + ends - 1
        base = self.orig_starts[rows]
        if self.src_starts is None:
            return first - base, last + 1 - base
        o_end = self.src_starts[last] + 1 if self.src_ends is None else self.src_ends[last]
        return self.src_starts[first] - base, o_end - base

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


def _slow_row(
    tables: FoldTables, text: str, base: int,
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """P per character, then NFKC composition across characters, for one rare message.

    Returns code points and batch-global source spans (base = where the message starts).
    Only what needs it goes through Python: the characters whose P is not one character
    (found by the tables' `special` and `ignorable`), and the runs a combining character
    joins; everything else is the table's fold, as on the fast path.
    """
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = tables.fold.take(cps)
    widths = np.where(tables.ignorable.take(cps), 0, 1)
    expanding: dict[int, str] = {}
    for i in np.flatnonzero(tables.special.take(cps)).tolist():
        piece = pipeline_char(text[i])  # cached per character
        if len(piece) != 1:
            expanding[i] = piece
            widths[i] = len(piece)
    out = np.repeat(folded, widths)
    if expanding:
        at = np.cumsum(widths) - widths  # where each character's P starts in `out`
        for i, piece in expanding.items():
            out[at[i] : at[i] + len(piece)] = [ord(ch) for ch in piece]
    starts = base + np.repeat(np.arange(len(cps), dtype=_I64), widths)
    return _compose(tables, out, starts, starts + 1)


def _compose(
    tables: FoldTables, out: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """NFKC composition: each starter with the characters that may combine onto it.

    A run is a character and the combining ones after it; runs of one character stay as
    they are, the few longer ones are composed in Python.
    """
    n = len(out)
    if n == 0:
        return out, starts, ends
    joins = tables.compose.take(out)
    joins[0] = False  # the first character starts a run whatever it is
    run_starts = np.flatnonzero(~joins)
    run_lengths = np.diff(np.append(run_starts, n))
    long_runs = np.flatnonzero(run_lengths > 1)
    if not len(long_runs):
        return out, starts, ends
    pieces_cp: list[npt.NDArray[np.uint32]] = []
    pieces_s: list[npt.NDArray[np.int64]] = []
    pieces_e: list[npt.NDArray[np.int64]] = []
    cursor = 0
    for r in long_runs.tolist():
        i = int(run_starts[r])
        j = i + int(run_lengths[r])
        pieces_cp.append(out[cursor:i])
        pieces_s.append(starts[cursor:i])
        pieces_e.append(ends[cursor:i])
        seg = out[i:j].tobytes().decode("utf-32-le")
        for _ in range(8):  # fixpoint of NFKC + folding, as for single characters
            nxt = pipeline_text(unicodedata.normalize("NFKC", seg))
            if nxt == seg:
                break
            seg = nxt
        lo, hi = int(starts[i]), int(ends[i:j].max())
        pieces_cp.append(np.array([ord(ch) for ch in seg], dtype=np.uint32))
        pieces_s.append(np.full(len(seg), lo, dtype=_I64))
        pieces_e.append(np.full(len(seg), hi, dtype=_I64))
        cursor = j
    pieces_cp.append(out[cursor:])
    pieces_s.append(starts[cursor:])
    pieces_e.append(ends[cursor:])
    return np.concatenate(pieces_cp), np.concatenate(pieces_s), np.concatenate(pieces_e)


def _splice_slow_rows(
    tables: FoldTables, out: npt.NDArray[np.uint32], originals: list[str],
    ostart: npt.NDArray[np.int64], rows: list[int],
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Replace the rows that need expansion or composition by their slow-path result.

    Before splicing, `out` is one-to-one with the joined original, so a row's slice is
    simply its original span.
    """
    pieces_cp: list[npt.NDArray[np.uint32]] = []
    pieces_s: list[npt.NDArray[np.int64]] = []
    pieces_e: list[npt.NDArray[np.int64]] = []
    ident = np.arange(len(out) + 1, dtype=_I64)  # the untouched stretches are views of one range
    cursor = 0
    for row in rows:
        lo = int(ostart[row])
        hi = lo + len(originals[row])
        pieces_cp.append(out[cursor:lo])
        pieces_s.append(ident[cursor:lo])
        pieces_e.append(ident[cursor + 1 : lo + 1])
        c, s, e = _slow_row(tables, originals[row], lo)
        pieces_cp.append(c)
        pieces_s.append(s)
        pieces_e.append(e)
        cursor = hi
    pieces_cp.append(out[cursor:])
    pieces_s.append(ident[cursor : len(out)])
    pieces_e.append(ident[cursor + 1 :])
    return np.concatenate(pieces_cp), np.concatenate(pieces_s), np.concatenate(pieces_e)


def _drop_separators(out: npt.NDArray[np.uint32], props: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_] | None:
    """Keep-mask (None: keep all): False for zero-width characters, and for runs of at most
    MAX_GAP separators between two 汉字 or a 汉字 and a Latin letter (zero-width characters inside a run are not counted,
    so that normalising twice gives the same text).

    Works on the candidate positions only (a tenth of a chat text), run by run.
    """
    n = len(out)
    pos = np.flatnonzero((props & (SEP | IGN)) != 0)  # nonzero on bools: ~3x faster than on uint8
    if not len(pos):
        return None
    kinds = props[pos]
    breaks = np.flatnonzero(np.diff(pos) != 1)
    first_idx = np.concatenate([[0], breaks + 1])
    run_first = pos[first_idx]
    run_last = pos[np.concatenate([breaks, [len(pos) - 1]])]
    seps = np.add.reduceat((kinds & SEP).astype(_I64), first_idx)
    before, after = run_first - 1, run_last + 1
    drop = (before >= 0) & (after < n) & (seps <= MAX_GAP)
    left, right = props[np.clip(before, 0, n - 1)], props[np.clip(after, 0, n - 1)]
    han_l, han_r = (left & HAN) != 0, (right & HAN) != 0
    drop &= (han_l & (han_r | ((right & LATIN) != 0))) | (han_r & ((left & LATIN) != 0))
    dropped = np.repeat(drop, run_last - run_first + 1) | ((kinds & IGN) != 0)
    if not dropped.any():
        return None
    keep = np.ones(n, dtype=np.bool_)
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
    out = tables.fold.take(cps)  # `take` gathers about twice as fast as indexing with an array
    props = tables.folded_props.take(cps)
    boundary = ostart[1:] - 1
    out[boundary] = 0  # message boundaries: NUL, which folding never produces
    props[boundary] = 0
    src_s: npt.NDArray[np.int64] | None = None
    src_e: npt.NDArray[np.int64] | None = None
    special = np.flatnonzero((props & SPECIAL) != 0)
    if len(special):
        rows = np.unique(np.searchsorted(ostart, special, side="right") - 1).tolist()
        out, src_s, src_e = _splice_slow_rows(tables, out, originals, ostart, rows)
        props = tables.props.take(out)
    keep = _drop_separators(out, props)
    if keep is not None:
        kept = np.flatnonzero(keep)  # one pass over the mask, then gathers (cheaper than 3 masks)
        out, props = out.take(kept), props.take(kept)
        src_s = kept if src_s is None else src_s.take(kept)
        src_e = None if src_e is None else src_e.take(kept)
    bounds = np.flatnonzero(out == 0)
    row_starts = np.concatenate([np.zeros(min(n, 1), dtype=_I64), bounds + 1])
    row_ends = np.concatenate([bounds, np.full(min(n, 1), len(out), dtype=_I64)])
    joined = JoinedText(out, row_starts, row_ends, props)
    return NormalizedBatch(originals, NormalizedTexts(joined), ostart, src_s, src_e)
