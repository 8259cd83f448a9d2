"""Pack names for rules: a finding stored without its pack (attachment findings before the scan
kept it) still shows who issued the rule."""

from __future__ import annotations

import pytest

from redline.web.console.labels import pack_label, packs_of_rule


@pytest.mark.parametrize(("rule_id", "packs", "issuer"), [
    ("TJ-07", ["tianjin-2017"], "天津"),
    ("XY-06", ["xianyang-2015"], "咸阳"),
    ("ZJ-02", ["zhejiang-2017"], "浙江"),
])
def test_rules_name_their_pack(rule_id: str, packs: list[str], issuer: str) -> None:
    assert packs_of_rule(rule_id) == packs
    assert issuer in pack_label(packs[0])


def test_an_unknown_rule_has_no_pack() -> None:
    assert packs_of_rule("NO-SUCH-RULE") == []
