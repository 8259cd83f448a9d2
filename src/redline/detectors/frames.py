"""The frames detector: an act, its object and its state (or recipient, favour, stake …)
within a window — the act behind the words, as described by the frame data
(`redline.specs.frames`, `frames/*.yaml`).

`- frames: {frames: [leak-unreleased-document]}` raises a hit when every slot of a named
frame has a term in the message, the chosen terms do not overlap, and they fit within the
frame's window; none of the frame's `unless` words is in the message. Two literal passes
per batch (PERF-NOTES §2): the anchors over the whole batch, then every slot term only over
the rows with an anchor. Only those few rows are looked at in Python. A frame quoted by a
notice (严禁…, 提醒…, 系谣言) is no hit (`notices`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Final

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator

from redline.contracts import BuildContext, Hit, HitColumns, Trigger
from redline.detectors.matchers import HitColumnsBuilder, LiteralMatcher, Matches
from redline.detectors.notices import PROHIBITIONS, drop_notice_hits
from redline.errors import PackError
from redline.specs.frames import Frame, shipped_frames
from redline.specs.hints import did_you_mean
from redline.text.joined import JoinedText, joined_view
from redline.text.normalize import normalize_text

PER_SLOT: Final = 6  # occurrences of one slot tried per row (the combinations stay small)
_UNLESS: Final = -1  # slot index of an `unless` word
_UNLESS_BIT: Final = 1 << 40  # its bit in a (row, frame) slot mask
_PROHIBITIONS: Final = tuple(normalize_text(w) for w in PROHIBITIONS)


class FramesConfig(BaseModel):
    """`- frames: leak-unreleased-document` or `- frames: {frames: [a, b], score: 0.8}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    frames: list[str] = Field(min_length=1)
    score: float = Field(default=0.8, ge=0.0, le=1.0)

    @field_validator("frames", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("frames")
    @classmethod
    def _known(cls, names: list[str]) -> list[str]:
        try:
            known = shipped_frames()
        except PackError as exc:  # reported at the pack's line, naming the frame file's
            raise ValueError(f"the frame files do not load: {exc}") from exc
        for name in names:
            if name not in known:
                raise ValueError(f"unknown frame {name!r}{did_you_mean(name, known)}")
        return names


class FramesDetector:
    """Every frames trigger of a plan: one anchor database, one slot database."""

    name: ClassVar[str] = "frames"
    Config: ClassVar[type[BaseModel]] = FramesConfig

    def __init__(self, frames: list[Frame], triggers: list[tuple[str, list[int], float]],
                 cache_dir: Path | None = None) -> None:
        self._frames = frames
        self._triggers = triggers  # (label, frame indices, score)
        self._slot_names = [list(f.slots) for f in frames]
        anchors: dict[str, None] = {}
        entries: dict[str, list[tuple[int, int]]] = defaultdict(list)  # literal → (frame, slot)
        for fi, frame in enumerate(frames):
            for si, (slot, terms) in enumerate(frame.slots.items()):
                for term in terms:
                    literal = normalize_text(term)
                    entries[literal].append((fi, si))
                    if slot == frame.anchor:
                        anchors[literal] = None
            for term in frame.unless:
                entries[normalize_text(term)].append((fi, _UNLESS))
        self._literals = sorted(entries)
        self._entries = [sorted(set(entries[lit])) for lit in self._literals]
        self._latin = [lit.isascii() for lit in self._literals]  # whole words only
        # the entries as flat arrays: which (row, frame) pairs have every slot is found with
        # numpy, and only those rows are looked at in Python
        counts = np.array([len(e) for e in self._entries], dtype=np.int64)
        self._entry_count, self._entry_first = counts, np.cumsum(counts) - counts
        flat = [pair for group in self._entries for pair in group]
        self._entry_frame = np.array([fi for fi, _ in flat], dtype=np.int64)
        self._entry_bit = np.array([_UNLESS_BIT if si == _UNLESS else 1 << si for _, si in flat], dtype=np.int64)
        self._full = np.array([(1 << len(f.slots)) - 1 for f in frames], dtype=np.int64)
        self._anchors = LiteralMatcher(sorted(anchors), cache_dir)
        self._slots = LiteralMatcher(self._literals, cache_dir)

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> FramesDetector:
        """The frames the triggers name, in first-named order."""
        known = shipped_frames()
        order: dict[str, int] = {}
        specs: list[tuple[str, list[int], float]] = []
        for trigger in triggers:
            config = trigger.config
            if not isinstance(config, FramesConfig):
                raise PackError(f"{trigger.label}: frames trigger with a {type(config).__name__}")
            ids = [order.setdefault(name, len(order)) for name in config.frames]
            specs.append((trigger.label, ids, config.score))
        return cls([known[name] for name in order], specs, ctx.cache_dir)

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits per trigger label; offsets in the normalised texts."""
        return self.scan_columns(texts).to_hits()

    def scan_columns(self, texts: Sequence[str]) -> HitColumns:
        """`scan` as columns: anchors over the batch, slots over the anchored rows."""
        out = HitColumnsBuilder()
        labels = [label for label, _, _ in self._triggers]
        joined = joined_view(texts)
        anchored = np.unique(self._anchors.scan(joined).rows) if self._triggers else np.zeros(0, np.int64)
        if not len(anchored):
            return out.build(self.name, labels)
        rows = anchored.tolist()
        found = self._slots.scan(JoinedText.from_texts([texts[r] for r in rows]))
        complete = self._complete_rows(found.ids, found.rows, len(rows))
        if not complete.any():
            return out.build(self.name, labels)
        found = _select(found, complete[found.rows])
        # (row, frame) → slot → spans; frames with an `unless` word in the row are struck
        spans: dict[tuple[int, int], dict[int, list[tuple[int, int, int]]]] = defaultdict(lambda: defaultdict(list))
        struck: set[tuple[int, int]] = set()
        for pid, sub, start, end in zip(found.ids.tolist(), found.rows.tolist(), found.starts.tolist(),
                                        found.ends.tolist(), strict=True):
            if self._latin[pid] and not _whole_word(texts[rows[sub]], start, end):
                continue  # ai inside email, gpt inside a longer name
            for fi, si in self._entries[pid]:
                if si == _UNLESS:
                    struck.add((rows[sub], fi))
                else:
                    spans[(rows[sub], fi)][si].append((start, end, pid))
        shown: dict[tuple[int, int], tuple[int, int, str]] = {}
        for (row, fi), slots in spans.items():
            if (row, fi) not in struck and len(slots) == len(self._slot_names[fi]):
                best = self._best(fi, slots)
                # 请勿向他人透露 / 严禁开公车接孩子: the act is forbidden, not done
                if best is not None and not any(w in texts[row][best[0]:best[1]] for w in _PROHIBITIONS):
                    shown[(row, fi)] = best
        for index, (_, frame_ids, score) in enumerate(self._triggers):
            for (row, fi), best in shown.items():
                if fi in frame_ids:
                    out.add(row, index, best[0], best[1], score, best[2])
        return drop_notice_hits(out.build(self.name, labels), joined)

    def _complete_rows(self, ids: npt.NDArray[np.int64], sub_rows: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.bool_]:
        """Which of the n anchored rows have, for some frame, a term of every slot and no
        `unless` word (whole-word checks of latin terms come later: this is a superset)."""
        complete = np.zeros(n, dtype=np.bool_)
        if not len(ids):
            return complete
        counts = self._entry_count[ids]
        entries = np.repeat(self._entry_first[ids] - (np.cumsum(counts) - counts), counts)
        entries += np.arange(int(counts.sum()), dtype=np.int64)
        frames = self._entry_frame[entries]
        keys, inverse = np.unique(np.repeat(sub_rows, counts) * len(self._frames) + frames, return_inverse=True)
        masks = np.zeros(len(keys), dtype=np.int64)
        np.bitwise_or.at(masks, inverse, self._entry_bit[entries])
        full = self._full[keys % len(self._frames)]
        complete[keys[masks == full] // len(self._frames)] = True
        return complete

    def _best(self, fi: int, slots: dict[int, list[tuple[int, int, int]]]) -> tuple[int, int, str] | None:
        """The tightest choice of one span per slot, no two overlapping, within the window."""
        frame = self._frames[fi]
        choices = [_outermost(slots[si])[:PER_SLOT] for si in range(len(self._slot_names[fi]))]
        best: tuple[int, tuple[tuple[int, int, int], ...]] | None = None
        for combo in itertools.product(*choices):
            lo, hi = min(s for s, _, _ in combo), max(e for _, e, _ in combo)
            if hi - lo > frame.window or (best is not None and hi - lo >= best[0]) or _overlap(combo):
                continue
            best = (hi - lo, combo)
        if best is None:
            return None
        combo = best[1]
        parts = "; ".join(f"{name} {self._literals[pid]}" for name, (_, _, pid) in zip(
            self._slot_names[fi], combo, strict=True))
        return min(s for s, _, _ in combo), max(e for _, e, _ in combo), f"frame {frame.title}; {parts}"


def _select(found: Matches, keep: npt.NDArray[np.bool_]) -> Matches:
    return Matches(found.ids[keep], found.rows[keep], found.starts[keep], found.ends[keep])


def _outermost(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The spans not inside a longer span of the same slot (红头文件 names the object, not 文件)."""
    unique = sorted(set(spans))
    return [a for a in unique if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in unique)]


def _whole_word(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isascii() or not text[start - 1].isalnum()) and (
        end >= len(text) or not text[end].isascii() or not text[end].isalnum())


def _overlap(combo: tuple[tuple[int, int, int], ...]) -> bool:
    ordered = sorted(combo)
    return any(b[0] < a[1] for a, b in itertools.pairwise(ordered))
