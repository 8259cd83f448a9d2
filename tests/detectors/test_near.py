"""near: a term of one lexicon within N characters of a term of another."""

from __future__ import annotations

import pytest

from redline.detectors.near import NearDetector

LEXICONS = {"gifts": ("红包", "购物卡"), "approvals": ("审批", "招标")}
CASES = [
    ("红包收到了，审批的事", ["红包收到了，审批"]),
    ("審批的事，紅包", ["審批的事，紅包"]),
    ("红包" + "很" * 20 + "审批", []),  # too far apart
    ("红包收到了", []),
    ("审批通过", []),
    # the first term quoted by a notice or naming a place is no hit (notices)
    ("红包山水泥厂的审批材料齐了", []),  # 红包山: a place
    ("严禁借审批收受红包", []),  # a prohibition before the first term
    ("县纪委查处一起借招标收受购物卡案件", []),  # a case report
    ("购物卡交到你手上了，招标的事费心", ["购物卡交到你手上了，招标"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_near(detect, text: str, expected: list[str]) -> None:
    config = {"lexicon": "gifts", "near_lexicon": "approvals", "window": 10}
    assert [ev for ev, _ in detect(NearDetector, text, config, LEXICONS)] == expected
