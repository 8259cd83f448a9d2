"""The three trained detectors are registered under their keys and survive odd batches."""

from __future__ import annotations

import pytest

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.offensive import OffensiveClassifier
from redline.detectors.classifiers.person_name import ROSTER_PARAM, PersonNameFactory
from redline.detectors.classifiers.promotion import PromotionClassifier
from redline.registry import TEXT_DETECTORS
from redline.text.normalize import normalize_batch

KEYS = {"clf.offensive": OffensiveClassifier, "clf.promotion": PromotionClassifier,
        "pii.person_name": PersonNameFactory}
ODD = ["", "🧧🧧🧧", "张三" * 400, "\u200b", "a", "河南人都是骗子" + "！" * 50]


@pytest.mark.parametrize("key", sorted(KEYS), ids=sorted(KEYS))
def test_registered_and_robust(key: str) -> None:
    factory = TEXT_DETECTORS[key]
    assert factory is KEYS[key]
    assert factory.name == key
    detector = factory.build([Trigger("R", "L", factory.Config())], BuildContext(params={ROSTER_PARAM: ("张三",)}))
    assert detector.scan([]) == []
    assert detector.scan(normalize_batch([]).texts) == []
    texts = normalize_batch(ODD).texts
    hits = detector.scan(texts)
    assert all(0 <= h.row < len(ODD) and 0 <= h.start <= h.end <= len(texts[h.row]) for h in hits)
    assert all(h.detector == key and h.label == "L" and 0.0 <= h.score <= 1.0 for h in hits)
