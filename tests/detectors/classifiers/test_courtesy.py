"""Courtesy formulas (客套话): whole messages of them only, never a message with an added act."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from redline.detectors.classifiers.courtesy import MAX_CHARS, courtesy_only
from redline.text.normalize import normalize_text

COURTESY = ["恭喜发财，大吉大利", "谢谢老板", "站长辛苦了", "谢谢领导！", "节日快乐", "辛苦了", "收到",
            "好的，谢谢王总！", "新年快乐 万事如意", "多谢各位", "哈哈哈哈哈哈", "好的，李书记",
            "手气最佳，哈哈", "收到，谢谢陈队长", "辛苦了张医生", "谢谢刘警官", "今天生日，谢谢大家的祝福",
            "谢谢各位的问候"]
NOT_COURTESY = ["一点心意", "谢谢老板关照，项目的事费心了", "今天生日，晚上请大家吃饭", "压岁钱", "辛苦费",
                "局长生日，大家凑个份子", "谢谢领导关照",
                "站长辛苦了，这是两条烟", "收到，明天把名单拍给你", "", "  ",
                "手气最佳，我来接龙"]


@pytest.mark.parametrize("text", COURTESY)
def test_formulas_alone_are_courtesy(text: str) -> None:
    assert courtesy_only([text, normalize_text(text)]).tolist() == [True, True]


@pytest.mark.parametrize("text", NOT_COURTESY)
def test_a_word_beyond_the_formulas_is_not(text: str) -> None:
    assert courtesy_only([normalize_text(text)]).tolist() == [False]


ACTS = ["关照", "审批", "项目", "名单", "购物卡", "红包", "转账", "拍照", "上分"]


@given(st.sampled_from(COURTESY), st.lists(st.sampled_from(ACTS), min_size=1, max_size=3).map("".join))
def test_adding_an_act_word_always_breaks_courtesy(formula: str, act: str) -> None:
    assert not courtesy_only([formula + act, act + formula]).any()


@given(st.text(max_size=3 * MAX_CHARS))
def test_any_text_gets_one_answer_quickly(text: str) -> None:
    assert courtesy_only([text]).shape == (1,)
