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
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.base import LinearTextModel, ModelFiles
from redline.detectors.classifiers.grams import Rows, batch_grams, window_sums
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


def partial_logits(model: LinearTextModel, texts: Sequence[str]) -> tuple[F64, I64]:
    """The partial logit of every message (1–2-grams over all of its n-grams' count) and that
    count (the full model's, so that the rest only adds to the numerator)."""
    head = replace(model.hasher, n_max=SPLIT_N)
    sums, counts = window_sums(head, texts, model.weights)
    lengths = batch_grams(texts, model.hasher).lengths
    for n in range(SPLIT_N + 1, model.hasher.n_max + 1):
        counts = counts + np.maximum(lengths - n + 1, 0)
    out: F64 = model.bias + sums / np.sqrt(np.maximum(counts, 1))
    return out, counts


def gated_logits(model: LinearTextModel, texts: Sequence[str], passes: npt.NDArray[np.bool_] | None,
                 partial: F64, counts: I64) -> F64:
    """Full logits of the rows `passes` marks (every row when None), -inf elsewhere.

    The full logit adds the 3–4-grams of just those rows to the partial sums: the same terms
    as `model.logits`, summed in two parts (equal up to float64 rounding)."""
    rows = np.arange(len(texts), dtype=np.int64) if passes is None else np.flatnonzero(passes)
    out = np.full(len(texts), -np.inf)
    if not rows.size:
        return out
    tail = replace(model.hasher, n_min=SPLIT_N + 1)
    rest, _ = window_sums(tail, Rows(texts, rows), model.weights)
    scale = np.sqrt(np.maximum(counts[rows], 1))
    out[rows] = partial[rows] + rest / scale
    return out


def lead_logits(model: LinearTextModel, gate: GateCurve | None, texts: Sequence[str],
                thresholds: Sequence[float], lift: float = 0.0) -> F64:
    """Logits good for deciding each of `thresholds` (probabilities): the full model's where
    the gate lets a row through for some threshold, -inf where it stops it for all. `lift`:
    the most that is added to the logit afterwards (clf.promotion's cues)."""
    if gate is None or not len(thresholds) or not len(texts):
        return model.logits(texts)
    partial, counts = partial_logits(model, texts)
    cut = min(logit(t) - gate.gap_at(t) for t in thresholds)
    return gated_logits(model, texts, partial + lift >= cut, partial, counts)
