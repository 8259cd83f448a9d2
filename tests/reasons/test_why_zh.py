"""why_zh: the detectors' evidence notes in Chinese for the Chinese sentence of a finding."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from redline.reasons.why_zh import why_zh


@pytest.mark.parametrize(
    ("why", "expected"),
    [
        ("term 红包", "词条“红包”"),
        ("term 机密文件 (pinyin)", "词条“机密文件”的拼音或拼音混写"),
        ("term 红包 (initials) (repeated characters)", "词条“红包”的拼音首字母（叠字写法）"),
        ("weak cue 牛牛; stake 一把", "弱线索“牛牛”，附近有赌注用语“一把”"),
        ("weak cue 投…一票; election word 选举", "弱线索“投…一票”，附近有选举用语“选举”"),
        ("strong cue 好处费; favour 关照", "强线索“好处费”，附近有请托用语“关照”"),
        ("bank_card: Luhn ok; UnionPay prefix; card context", "银行卡号（Luhn 校验通过），银联卡号段，有卡号语境"),
        ("home_address: building, unit/room; residence word", "住址（楼栋、单元或房号），有居住用语"),
        ("level with ★", "密级加★标志"),
        ("document number; issuer 市委发; document word", "文号，发文机关“市委发”，有“文件/通知”等字样"),
        ("红包 near 关照", "“红包”附近有“关照”"),
        ("frame 未发布文件外传; act 拍照; object 红头文件; state 还没印发",
         "行为框架“未发布文件外传”，行为“拍照”，对象“红头文件”，状态“还没印发”"),
        ("frame 带彩头的牌局; game 跑得快; stake 一把五十", "行为框架“带彩头的牌局”，牌局“跑得快”，附近有赌注用语“一把五十”"),
        ("model clf.offensive v1.1.0: score 0.912 ≥ threshold 0.613", "模型 clf.offensive v1.1.0 评分 0.912，达到阈值 0.613"),
        ("a note nobody taught it", "a note nobody taught it"),  # kept, not lost
        ("", ""),
    ],
)
def test_examples(why: str, expected: str) -> None:
    assert why_zh(why) == expected


@given(st.text(max_size=60))
def test_never_raises_and_keeps_every_part(why: str) -> None:
    out = why_zh(why)
    assert isinstance(out, str)
    assert (out == "") == (why == "")
