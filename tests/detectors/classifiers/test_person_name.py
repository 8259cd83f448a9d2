"""pii.person_name: the shipped CRF loads, matches its card, keeps its F1; roster names are exact."""

from __future__ import annotations

import pickle

import pytest
from tests.detectors.classifiers.conftest import assert_card_checksum

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import shipped_model
from redline.detectors.classifiers.person_name import (
    ROSTER_PARAM,
    PersonNameConfig,
    PersonNameDetector,
    PersonNameFactory,
)
from redline.training import person_name as recipe
from redline.training.ner import span_figures


def _build(config: PersonNameConfig | None = None, roster: tuple[str, ...] = ()) -> PersonNameDetector:
    trigger = Trigger("R", "names", config or PersonNameConfig())
    return PersonNameFactory.build([trigger], BuildContext(params={ROSTER_PARAM: roster}))


def test_model_matches_its_card_checksum() -> None:
    assert_card_checksum("person_name")


def test_validation_f1_is_at_least_the_card_s(data_dir) -> None:  # type: ignore[no-untyped-def]
    card_f1 = assert_card_checksum("person_name")
    val = recipe.validation_set(data_dir)
    threshold = shipped_model("person_name").threshold
    spans = recipe.predict(_build().crf, val.texts, threshold)
    got = span_figures(spans, val.spans, threshold)
    assert got["gold_spans"] > 50
    assert got["f1"] >= card_f1 - 0.02


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("王建国同志请于明天到纪委报到", ["王建国"]),
        ("明天上午九点在三楼会议室开会", []),
        ("材料已经报送，请审阅", []),
    ],
    ids=["full-name", "meeting", "report"],
)
def test_model_examples(detect, text: str, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    found = detect(PersonNameFactory, text)
    assert [evidence for evidence, _ in found] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("请转告赵小红，材料在我这", ["赵小红"]),
        ("请转告赵 小 红，材料在我这", ["赵 小 红"]),  # separators between 汉字 are tolerated
        ("請轉告趙小紅", ["趙小紅"]),  # traditional characters fold to the roster's simplified
        ("赵小", []),
    ],
    ids=["plain", "spaced", "traditional", "partial"],
)
def test_roster_names_only(detect, text: str, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    found = detect(PersonNameFactory, text, {"names": ["赵小红"], "model": False})
    assert [evidence for evidence, _ in found] == names
    assert all(why == "roster name exact match (people.csv)" for _, why in found)


def test_roster_names_are_normalised_like_the_messages(detect) -> None:  # type: ignore[no-untyped-def]
    found = detect(PersonNameFactory, "请转告赵小红和ＬＩＮ　ＭＩＮ", {"names": ["趙小紅", "Lin Min"], "model": False})
    assert [evidence for evidence, _ in found] == ["赵小红", "ＬＩＮ　ＭＩＮ"]


def test_roster_from_build_context_wins_over_model_span() -> None:
    detector = _build(roster=("王建国",))
    hits = detector.scan(["王建国同志请于明天到纪委报到"])
    assert [(h.start, h.end, h.label, h.score) for h in hits] == [(0, 3, "names", 1.0)]


def test_roster_switch_off_ignores_context_names() -> None:
    detector = _build(PersonNameConfig(roster=False, model=False), roster=("王建国",))
    assert detector.scan(["王建国同志"]) == []


def test_model_hits_say_model_version_and_threshold() -> None:
    detector = _build(PersonNameConfig(threshold=0.3))
    hits = detector.scan(["王建国同志请于明天到纪委报到"])
    assert hits
    version = shipped_model("person_name").version
    assert all(h.why.startswith(f"model pii.person_name v{version}: score ") for h in hits)
    assert all("≥ threshold 0.300" in h.why for h in hits)
    assert all(h.score >= 0.3 for h in hits)


def test_detector_pickles() -> None:
    detector = _build(roster=("赵小红",))
    clone = pickle.loads(pickle.dumps(detector))
    texts = ["赵小红和王建国", ""]
    assert clone.scan(texts) == detector.scan(texts)
