"""A first stage for the one-output n-gram models (clf.offensive, clf.promotion), made from
the model itself: its own 1–2-gram weights.

A message's logit is `b + (S1 + S2 + S3 + S4) / sqrt(n-grams)`, Sn the sum of its n-grams'
weights. S1 and S2 are cheap (the 1-grams of chat sit in a few thousand buckets, the batch's
hashes are shared, grams.py); S3 and S4 are the random reads into a 4 MB table that cost most
of these models' time. The partial logit `P = b + (S1 + S2) / sqrt(n-grams)` (plus the most
the selling cues can add, for clf.promotion) predicts the full one well enough that most chat
is plainly far below any threshold: a message is scored in full only when

    P >= logit(threshold) - gap(threshold)

The gap is a property of the model, measured on its own training rows
(`redline.training.ngram_gate`): at each threshold of a grid, how far below it the partial
logit of the rows the full model flags reaches (its 0.2 % quantile). A rule threshold between
two grid points takes the larger gap of the two; beyond the grid, the largest. What the gate
costs (flagged held-out rows it stops, and its share of real chat scored in full) is written
in `gate.json` beside the model, and the gate applies only to the model file it was measured
on (its sha256): a retrained model runs without one until its gate is measured again.

Rows the gate stops score 0: they are below every threshold the plan reads, by the gate's
construction, and are never a lead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.base import LinearTextModel, ModelFiles

# grams' own pieces: the first stage sums exactly as grams.window_sums does
from redline.detectors.classifiers.grams import (
    Windows,
    _pair_of,
    add_grams,
    reduce_windows,
    windows,
)
from redline.errors import ConfigError

GATE_FILE: Final = "gate.json"
SPLIT_N: Final = 2  # the partial logit reads the n-grams up to this length

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def logit(p: float) -> float:
    """log(p / (1 - p)), with 0 and 1 kept finite."""
    p = min(max(p, 1e-12), 1.0 - 1e-12)
    return float(np.log(p / (1.0 - p)))


@dataclass(frozen=True, slots=True)
class GateCurve:
    """The gap by threshold (probabilities ascending), for one model file."""

    thresholds: tuple[float, ...]
    gaps: tuple[float, ...]
    model_sha256: str

    def gap_at(self, threshold: float) -> float:
        """The gap for a rule threshold: the larger of its two grid neighbours' gaps."""
        ts = np.asarray(self.thresholds)
        gs = np.asarray(self.gaps)
        above = int(np.searchsorted(ts, threshold, side="left"))
        if above >= len(ts):
            return float(gs.max())
        below = max(above - 1, 0) if ts[above] != threshold else above
        return float(max(gs[below], gs[above]))


def load_gate(files: ModelFiles) -> GateCurve | None:
    """The gate measured for this model file, or None (no gate.json, or one for another file)."""
    path = files.path / GATE_FILE
    if not path.is_file():
        return None
    spec = json.loads(path.read_text(encoding="utf-8"))
    if spec.get("model_sha256") != files.meta.get("sha256"):
        return None  # measured on another version of the model: score every message
    if int(spec.get("split_n", -1)) != SPLIT_N:
        raise ConfigError(f"{path}: split_n {spec.get('split_n')} is not this version's {SPLIT_N}")
    curve = spec["curve"]
    return GateCurve(tuple(float(c["threshold"]) for c in curve), tuple(float(c["gap"]) for c in curve),
                     str(spec["model_sha256"]))


@dataclass(frozen=True, slots=True)
class Partial:
    """The first stage of a batch: every message's partial logit, and what the second needs."""

    logits: F64  # b + (S1 + S2) / sqrt(n-grams), the count the full model's
    counts: I64  # n-grams of every length, per message
    acc: F64  # per window start: the weights of its 1- and 2-gram, added in that order
    windows: Windows


def partial_logits(model: LinearTextModel, texts: Sequence[str]) -> Partial:
    """The first stage over the whole batch (its 1–2-grams through the batch's shared hashes,
    and the paired table of the two models, grams.py)."""
    hasher, weights = model.hasher, model.weights
    win = windows(hasher, texts)
    size = len(win)
    acc = np.zeros(size)
    lengths = win.seg_lengths
    counts = np.zeros(len(lengths), dtype=np.int64)
    for n in range(hasher.n_min, hasher.n_max + 1):
        counts += np.maximum(lengths - n + 1, 0)
    if size == 0 or not len(lengths):
        return Partial(np.full(len(lengths), model.bias), counts, acc, win)
    paired = _pair_of(weights, hasher.bits) if weights.dtype == np.float32 else None
    add_grams(acc, win, weights, hasher.bits, range(hasher.n_min, min(SPLIT_N, hasher.n_max) + 1), paired)
    out: F64 = model.bias + reduce_windows(acc, win.seg_starts, lengths) / np.sqrt(np.maximum(counts, 1))
    return Partial(out, counts, acc, win)


def gated_logits(model: LinearTextModel, texts: Sequence[str], passes: npt.NDArray[np.bool_] | None,
                 first: Partial) -> F64:
    """Full logits of the rows `passes` marks (every row when None), -inf elsewhere.

    Bit for bit `model.logits` on those rows: each window start's 3- and 4-gram weights are
    added to its 1–2-gram sum in the same order as there, and each message's windows are
    summed by the same reduction.
    """
    hasher, weights = model.hasher, model.weights
    rows = np.arange(len(texts), dtype=np.int64) if passes is None else np.flatnonzero(passes)
    out = np.full(len(texts), -np.inf)
    if not rows.size:
        return out
    if hasher.n_max <= SPLIT_N or not len(first.acc):
        out[rows] = first.logits[rows]
        return out
    win = windows(hasher, texts, rows)
    positions = win.positions if win.positions is not None else np.arange(len(win), dtype=np.int64)
    acc = first.acc.take(positions)
    add_grams(acc, win, weights, hasher.bits, range(max(hasher.n_min, SPLIT_N + 1), hasher.n_max + 1))
    sums = reduce_windows(acc, win.seg_starts, win.seg_lengths)
    out[rows] = model.bias + sums / np.sqrt(np.maximum(first.counts[rows], 1))
    return out


def lead_logits(model: LinearTextModel, gate: GateCurve | None, texts: Sequence[str],
                thresholds: Sequence[float], lift: float = 0.0) -> F64:
    """Logits good for deciding each of `thresholds` (probabilities): the full model's where
    the gate lets a row through for some threshold, -inf where it stops it for all. `lift`:
    the most that is added to the logit afterwards (clf.promotion's cues)."""
    if gate is None or not len(thresholds) or not len(texts):
        return model.logits(texts)
    first = partial_logits(model, texts)
    cut = min(logit(t) - gate.gap_at(t) for t in thresholds)
    return gated_logits(model, texts, first.logits + lift >= cut, first)
