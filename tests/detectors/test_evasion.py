"""The evasion set (evasion_cases.py): recall and precision of every built-in detector."""

from __future__ import annotations

import pytest
from tests.detectors.evasion_cases import POSITIVE, cases, evaluate

REPORT = evaluate()
# measured 2026-11: every detector at precision 1.0; pii misses only 3-character gaps
MIN_RECALL = {"pii": 0.9}


@pytest.mark.parametrize("detector", sorted(POSITIVE), ids=sorted(POSITIVE))
def test_precision_and_recall(detector: str) -> None:
    result = REPORT[detector]
    assert result["false_positives"] == []
    assert result["precision"] == 1.0
    assert result["recall"] >= MIN_RECALL.get(detector, 1.0), result["misses"]


def test_every_variant_kind_is_present() -> None:
    variants = {c.variant for c in cases()}
    assert variants == {
        "plain", "traditional", "full_width", "spaced", "symbol_split", "emoji_split", "zero_width", "pinyin",
    }
