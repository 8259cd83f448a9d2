"""Small statistics of reviewer decisions: Wilson intervals, medians, Cohen's kappa.

Kept apart from the reports that use them so that each formula is tested on its own against
values worked out by hand.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

Z95 = 1.959963984540054  # two-sided 95 %


def precision(confirmed: int, dismissed: int) -> float | None:
    """confirmed / decided, or None when nothing was decided (no evidence is not precision 0)."""
    decided = confirmed + dismissed
    return None if decided == 0 else confirmed / decided


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion; honest for small n, unlike p ± z·se."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at k = 0 (or k = n) the bound is exactly 0 (or 1); floating point leaves 1e-17 over
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def cohen_kappa(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels over the same items; None for no items.

    Where both raters always give one and the same label, agreement by chance is 1 and kappa
    is undefined: we report 1.0 (they agreed on everything), not a division by zero.
    """
    items = list(pairs)
    n = len(items)
    if n == 0:
        return None
    observed = sum(1 for a, b in items if a == b) / n
    first, second = Counter(a for a, _ in items), Counter(b for _, b in items)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    if expected >= 1.0:
        return 1.0
    return (observed - expected) / (1 - expected)
