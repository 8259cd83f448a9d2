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
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_near(detect, text: str, expected: list[str]) -> None:
    config = {"lexicon": "gifts", "near_lexicon": "approvals", "window": 10}
    assert [ev for ev, _ in detect(NearDetector, text, config, LEXICONS)] == expected
