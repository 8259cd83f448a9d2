"""Choices of the clf.offensive recipe (1.4.0 on) on two dev sets, never on COLD's test rows.

Dev 1 is COLD's original dev rows; dev 2 ("written") is the held-out fifth of the comments
written for Redline (offensive_authors.py), which holds the kind of comment COLD's dev rows
lack: anti-bias and descriptive comments that name groups. Each candidate is judged by the
mean of its macro-F1 on the two at one shared threshold (the one that maximises that mean),
so that 300 written rows count as much as 2,575 COLD rows: they stand for a part of the test
distribution that dev 1 does not show at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from redline.training.evaluation import macro_f1

F64 = npt.NDArray[np.float64]
# bands [low, high] of n-gram score where the CNN is asked; (1, 0) stands for "never"
BANDS: tuple[tuple[float, float], ...] = ((1.0, 0.0), (0.35, 0.65), (0.3, 0.7), (0.25, 0.75), (0.2, 0.8))


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate's scores on both dev sets."""

    dev: F64
    written: F64


@dataclass(frozen=True, slots=True)
class Judged:
    """The candidate's shared threshold and its macro-F1 on each dev set and their mean."""

    threshold: float
    dev: float
    written: float

    @property
    def mean(self) -> float:
        return (self.dev + self.written) / 2 if not np.isnan(self.written) else self.dev


def judge(scored: Scored, dev_labels: npt.NDArray[np.bool_], written_labels: npt.NDArray[np.bool_]) -> Judged:
    """The threshold (from a fixed grid) maximising the mean macro-F1 of the two dev sets."""
    def at(cut: float) -> Judged:
        written = macro_f1(written_labels, scored.written >= cut) if len(written_labels) else float("nan")
        return Judged(cut, macro_f1(dev_labels, scored.dev >= cut), written)

    cuts = np.round(np.arange(0.05, 0.951, 0.005), 3).tolist()
    best = at(cuts[0])
    for cut in cuts[1:]:
        here = at(cut)
        if here.mean > best.mean + 1e-12:
            best = here  # ties keep the lower threshold: the grid ascends
    return best


def cascade(first: F64, second: F64, band: tuple[float, float]) -> F64:
    """The served score: n-gram outside the band, mean of both inside (offensive_cascade.py)."""
    low, high = band
    inside = (first >= low) & (first <= high)
    out: F64 = np.where(inside, (first + second) / 2, first)
    return out


def band_share(first: F64, band: tuple[float, float]) -> float:
    low, high = band
    return float(np.mean((first >= low) & (first <= high))) if len(first) else 0.0


def describe_band(band: tuple[float, float]) -> str:
    return "none (n-gram alone)" if band[0] > band[1] else f"[{band[0]:g}, {band[1]:g}]"


def pick(candidates: Sequence[tuple[str, Judged]]) -> tuple[str, Judged]:
    """The candidate with the best mean; the first listed wins a tie (list simpler ones first)."""
    best = candidates[0]
    for name, judged in candidates[1:]:
        if judged.mean > best[1].mean + 1e-12:
            best = (name, judged)
    return best
