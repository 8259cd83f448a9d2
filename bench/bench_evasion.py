"""Precision and recall of the built-in text detectors on the evasion test set.

The set lives in tests/detectors/evasion_cases.py (traditional, full-width, spaced,
symbol-split, emoji-split, zero-width and pinyin variants of real cues, plus near-misses).
"""

from __future__ import annotations

from typing import Any

from tests.detectors.evasion_cases import cases, evaluate


def run() -> dict[str, Any]:
    report = evaluate()
    all_cases = cases()
    tp = sum(round(r["recall"] * sum(1 for c in all_cases if c.detector == k and c.positive)) for k, r in report.items())
    positives = sum(1 for c in all_cases if c.positive)
    false_positives = sum(len(r["false_positives"]) for r in report.values())
    return {
        "cases": len(all_cases),
        "positives": positives,
        "near_misses": len(all_cases) - positives,
        "overall_recall": round(tp / positives, 3),
        "overall_precision": round(tp / (tp + false_positives), 3) if tp + false_positives else 1.0,
        "per_detector": report,
    }
