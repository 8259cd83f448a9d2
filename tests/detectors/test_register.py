"""register: official prose (公文语体) is recognised by its voice, chat is not."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import ClassifierConfig
from redline.detectors.classifiers.offensive import OffensiveClassifier
from redline.detectors.register import POLICY_VERBS, official_register
from redline.text.normalize import normalize_batch

CASES = [
    ("持续开展禁毒人民战争，毒品违法犯罪案件数量持续下降。", True),
    ("倡导婚事新办、丧事简办，坚决遏制大操大办、铺张浪费。", True),
    ("我县切实加强价格监测，保持重要民生商品价格基本稳定。", True),  # 我县: the report's own voice
    ("加强价格监测。", False),  # one policy verb is any sentence
    ("我们要加强学习，推进工作，大家辛苦了！", False),  # an exclamation: someone talking
    ("你们几个加强一下，推进得太慢了", False),
    ("加强推进吧，领导说了", False),
    ("坚持加强团结，推进工作😊", False),
    ("我觉得要加强监管，推进改革", False),  # 我 + a verb is a person
    ("", False),
]


@pytest.mark.parametrize(("text", "official"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_official_register(text: str, official: bool) -> None:
    assert official_register([text]).tolist() == [official]


@given(st.lists(st.sampled_from([*POLICY_VERBS[:6], "，", "工作", "我", "吧", "？", "村里"]), max_size=10))
def test_a_person_talking_is_never_official(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert official_register([text + "吧"]).tolist() == [False]
    assert official_register([text]).tolist() == [
        sum(text.count(v) for v in POLICY_VERBS) >= 2 and not any(c in text for c in "我吧？")]


def test_a_classifier_leads_on_official_prose_only_where_the_rule_asks() -> None:
    prose = "持续开展禁毒人民战争，毒品违法犯罪案件数量持续下降。"
    # threshold 0: every message passes, so only the register decides
    detector = OffensiveClassifier.build([
        Trigger("R", "default", ClassifierConfig(threshold=0.0)),
        Trigger("K", "kept", ClassifierConfig(threshold=0.0, official_prose=True)),
    ], BuildContext())
    texts = normalize_batch([prose, "你这个人真是的"]).texts
    found = {(h.row, h.label) for h in detector.scan(texts)}
    assert found == {(0, "kept"), (1, "default"), (1, "kept")}
