"""Per-category thresholds of `clf.conduct` from one shared false-lead budget.

v1.0.0 gave every category the same tiny share (0.3 %) of the held-out written negatives;
their union flagged 1.9 % of negatives while the target allows 4 %. Categories differ in how
much recall one more false lead buys, so here the budget is spent greedily: at each step the
category whose next lowering gains the most recall per newly flagged negative (a negative
another category already flags costs nothing) takes it, until the union reaches `target`.

Real ordinary text bounds each threshold from below: the categories whose share of leads on
ordinary chat must not grow (gifts, gambling, secrets, vote_buying — issue 20) keep the strict
v1.0.0 budget; the others may flag a little more of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

STRICT_REAL: Final = frozenset({"gifts", "gambling", "secrets", "vote_buying"})
LOOKAHEAD: Final = 30  # how many negatives ahead a step may look past a plateau of no gain


def quantile_threshold(scores: F64, budget: float) -> float:
    """The lowest threshold flagging at most `budget` of these scores."""
    if not scores.size:
        return 0.0
    allowed = int(np.floor(budget * scores.size))
    ranked = np.sort(scores)[::-1]
    return float(np.nextafter(ranked[allowed], np.inf)) if allowed < ranked.size else 0.0


def allocate(scores: F64, labels: B, hard: B, real: B, categories: Sequence[str], *, target: float,
             strict_real: float, loose_real: float, floor: float) -> F64:
    """Thresholds (K,) flagging at most `target` of the `hard` rows in union, recall-greedy."""
    k_count = scores.shape[1]
    neg = scores[hard]
    lower = np.array([max(quantile_threshold(scores[real, k], strict_real if c in STRICT_REAL else loose_real), floor)
                      for k, c in enumerate(categories)])
    ranked = [np.sort(neg[:, k])[::-1] for k in range(k_count)]
    positives = [scores[labels[:, k], k] for k in range(k_count)]

    def threshold(k: int, allowed: int) -> float:
        t = float(np.nextafter(ranked[k][allowed], np.inf)) if allowed < ranked[k].size else 0.0
        return max(t, float(lower[k]))

    def recall(k: int, t: float) -> float:
        return float((positives[k] >= t).mean()) if positives[k].size else 0.0

    allowed = np.zeros(k_count, dtype=np.int64)
    t = np.array([threshold(k, 0) for k in range(k_count)])
    limit = int(np.floor(target * neg.shape[0]))
    while True:
        flagged = int((neg >= t).any(axis=1).sum())
        best: tuple[float, int, int, float] | None = None
        for k in range(k_count):
            others = (np.delete(neg, k, axis=1) >= np.delete(t, k)).any(axis=1)
            before = recall(k, t[k])
            for step in range(1, LOOKAHEAD + 1):
                i = int(allowed[k]) + step
                if i > ranked[k].size:
                    break
                tk = threshold(k, i)
                if tk >= t[k]:
                    continue  # held at its floor or its real-text bound
                union = int((others | (neg[:, k] >= tk)).sum())
                if union > limit:
                    break
                gain = recall(k, tk) - before
                if gain <= 0:
                    continue
                ratio = gain / max(union - flagged, 1e-3)
                if best is None or ratio > best[0]:
                    best = (ratio, k, i, tk)
        if best is None:
            return t
        _, k, i, tk = best
        allowed[k], t[k] = i, tk
