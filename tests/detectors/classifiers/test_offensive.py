"""clf.offensive: the shipped COLD model loads, matches its card, and keeps its validation F1."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from tests.detectors.classifiers.conftest import assert_card_checksum

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import ClassifierConfig, shipped_model
from redline.detectors.classifiers.offensive import OffensiveClassifier
from redline.text.normalize import normalize_batch
from redline.training import offensive as recipe
from redline.training.evaluation import figures


def test_model_matches_its_card_checksum() -> None:
    assert_card_checksum("offensive")


def test_validation_f1_is_at_least_the_card_s(data_dir) -> None:  # type: ignore[no-untyped-def]
    card_f1 = assert_card_checksum("offensive")
    files = shipped_model("offensive")
    val = recipe.validation_set(data_dir)
    # scored as served: the detector's scores include a second stage where the card has one
    detector = OffensiveClassifier.build([Trigger("R", "L", OffensiveClassifier.Config())], BuildContext())
    scores = detector.scores(val.texts)
    got = figures(val.labels, scores, files.threshold)
    assert got.n > 4000  # COLD's original test rows in our copy: never fitted or tuned on
    # the card's figure is the shipped model's on these very rows (weights stored as float16)
    assert abs(got.f1 - card_f1) < 0.01
    assert got.macro_f1 >= 0.78


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("河南人都是骗子，滚出去", True),
        ("黑鬼滚回非洲去", True),
        ("广东人什么都吃，真恶心", True),
        ("女人就该待在家里生孩子，出来工作就是添乱", True),
        ("明天上午九点在三楼会议室开会，请准时参加", False),
        ("我们单位女同志很多，工作都很出色", False),
        ("新疆的朋友寄来了葡萄干", False),
        ("材料已经报送，请王处长审阅", False),
    ],
    ids=["region-attack", "race-slur", "region-disgust", "gender-attack", "meeting", "women-colleagues",
         "xinjiang-friend", "report"],
)
def test_examples_and_counter_examples(detect, text: str, flagged: bool) -> None:  # type: ignore[no-untyped-def]
    found = detect(OffensiveClassifier, text)
    assert [evidence for evidence, _ in found] == ([text] if flagged else [])


@pytest.mark.parametrize("text", ["黑人就是低等的，别来我们这里"], ids=["race-attack"])
def test_milder_attacks_at_the_card_threshold_but_not_a_strict_one(detect, text: str) -> None:  # type: ignore[no-untyped-def]
    # 1.1.0's precision-oriented threshold (0.613) missed these; 1.2.0's macro-F1 threshold
    # finds them, and a rule that wants only sure leads still drops them.
    assert [e for e, _ in detect(OffensiveClassifier, text)] == [text]
    assert detect(OffensiveClassifier, text, {"threshold": 0.9}) == []


def test_why_names_model_version_and_threshold(detect) -> None:  # type: ignore[no-untyped-def]
    [(_, why)] = detect(OffensiveClassifier, "河南人都是骗子，滚出去")
    version = shipped_model("offensive").version
    assert why.startswith(f"model clf.offensive v{version}: score ")
    assert f"threshold {shipped_model('offensive').threshold:.3f}" in why


def test_threshold_override_per_trigger() -> None:
    config = OffensiveClassifier.Config
    detector = OffensiveClassifier.build(
        [Trigger("R1", "strict", config(threshold=0.999999)), Trigger("R2", "card", config())],
        BuildContext(),
    )
    hits = detector.scan(["河南人都是骗子滚出去", "开会"])
    assert {h.label for h in hits} <= {"strict", "card"}
    assert [(h.row, h.label) for h in hits if h.label == "card"] == [(0, "card")]
    assert all(h.score >= 0.999999 for h in hits if h.label == "strict")


def test_detector_pickles_and_scores_the_same() -> None:
    detector = OffensiveClassifier.build([Trigger("R", "L", OffensiveClassifier.Config())], BuildContext())
    clone = pickle.loads(pickle.dumps(detector))
    texts = ["河南人都是骗子", "", "开会"]
    assert np.array_equal(clone.scores(texts), detector.scores(texts))


def test_config_rejects_unknown_fields_and_bad_thresholds() -> None:
    with pytest.raises(ValueError, match="extra"):
        OffensiveClassifier.Config.model_validate({"treshold": 0.5})
    with pytest.raises(ValueError, match="less than or equal"):
        OffensiveClassifier.Config.model_validate({"threshold": 1.5})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="你个傻逼垃圾滚蛋好的收到谢谢领导加微信优惠 ！。", max_size=20), max_size=8))
def test_columns_are_the_hits_of_the_message_by_message_definition(texts: list[str]) -> None:
    """One hit per (message, trigger) at or above the trigger's threshold, sorted by (row,
    label), covering the message; the why names model, version, score and threshold."""
    detector = OffensiveClassifier.build(
        [Trigger("R", "R.b", ClassifierConfig(threshold=0.2)), Trigger("R", "R.a", ClassifierConfig(threshold=0.6))],
        BuildContext())
    batch = normalize_batch(texts).texts
    scores = detector.model.scores(list(batch))
    expected = sorted(
        ((row, label, 0, len(batch[row]), float(scores[row]),
          f"model clf.offensive v{detector.version}: score {scores[row]:.3f} ≥ threshold {threshold:.3f}")
         for label, threshold in (("R.b", 0.2), ("R.a", 0.6)) for row in range(len(texts)) if scores[row] >= threshold),
        key=lambda h: (h[0], h[1]))
    for hits in (detector.scan(batch), detector.scan_columns(batch).to_hits(), detector.scan(list(batch))):
        assert [(h.row, h.label, h.start, h.end, h.score, h.why) for h in hits] == expected
