"""Checks that a message shows the suspected act absent: an even bill split is no stake."""

from __future__ import annotations

import pytest

from redline.detectors.absent_acts import (
    CHECKS,
    act_absent,
    bill_split,
    chinese_number,
    file_name_only,
    interim_before_issue,
)
from redline.detectors.classifiers.conduct import ConductConfig
from redline.rules.compile import compile_plan
from redline.rules.load import load_packs, shipped_pack_paths
from redline.scan.engine import scan_batch
from redline.text.normalize import normalize_text


@pytest.mark.parametrize(("text", "value"), [
    ("45.00", 45.0), ("360", 360.0), ("三百六", 360.0), ("十二", 12.0), ("六十", 60.0), ("一千二", 1200.0),
    ("两千零五", 2005.0), ("一百零八", 108.0), ("五", 5.0), ("二十", 20.0), ("3个", None),
])
def test_chinese_number(text: str, value: float | None) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize(("text", "split"), [
    ("昨晚一共180元，4个人，每人45.00，大家转我就行", True),
    ("团建一共花了1200，10个人每人120，微信转我", True),
    ("上次唱歌的钱一共三百，5个人，每人六十，大家转我一下", True),
    # Chinese numerals on both sides of a dropped comma run together (三百五个人): not read
    ("上次唱歌的钱一共三百，五个人，每人六十，大家转我一下", False),
    ("一共500块，6个人，每人84，多的算我的", True),  # rounded up to the yuan
    ("昨晚一共输了180，老张赢了，每人转他45", False),  # won and lost: a stake
    ("今晚一共8个人，每人200的底", False),  # the total is the people, not money
    ("一共360，6个人，每人100", False),  # the sums do not agree
    ("老地方一局，4个人，一共400，每人100", False),  # a game's round
    ("周末聚餐一共360，每人60", False),  # no number of people
])
def test_bill_split(text: str, split: bool) -> None:
    assert bill_split(normalize_text(text)) is split


@pytest.mark.parametrize(("text", "interim"), [
    ("省里还没下文件，先按老办法执行", True),
    ("文件还没正式印发，暂按去年的标准报", True),
    ("市里还没出台细则，等正式文件再说，先按原来的流程走", True),
    ("还没正式发文，这个稿子先别外传", False),  # a draft kept from outsiders: shared
    ("省上还没发文，我先把征求意见稿发群里大家看看", False),
    ("名单还没公布，我先发给你们看看，先按这个准备", False),
    ("还没印发，先按照片上的执行", False),  # a photo of the unreleased paper
    ("文件还没下来，大家再等等", False),  # nothing to do meanwhile: not this check's kind
])
def test_interim_before_issue(text: str, interim: bool) -> None:
    assert interim_before_issue(normalize_text(text)) is interim


@pytest.mark.parametrize(("text", "name"), [
    ("督查督办培训课件.pptx", True), ("干部档案审核工作方案（征求意见稿）.docx", True), ("IMG_20231206_103848.jpg", True),
    ("这破会开到几点，课件.pptx看得我头疼", False), ("方案.docx 大家先别外传", False), ("pptx", False),
])
def test_file_name_only(text: str, name: bool) -> None:
    assert file_name_only(normalize_text(text)) is name


def test_unknown_checks_are_schema_errors() -> None:
    assert "bill_split" in CHECKS
    assert act_absent("纯娱乐", ("纯娱乐",), ())
    with pytest.raises(ValueError, match="unknown unless_checks"):
        ConductConfig.model_validate({"category": "gambling", "unless_checks": ["no_such_check"]})


def test_the_shipped_model_rules_leave_an_even_split_and_an_interim_instruction_alone() -> None:
    loaded = load_packs(shipped_pack_paths())
    plan = compile_plan(loaded.packs)
    texts = ["昨晚吃饭一共360，6个人每人60，转我", "昨晚一共输了360，老张赢了，每人转他60",
             "省里还没下文件，先按老办法执行", "还没正式发文，这个稿子先别外传", "督查督办培训课件.pptx"]
    rules = {(f.subject_id, f.rule_id) for f in scan_batch(plan, texts)}
    assert ("0", "CM-07") not in rules
    assert ("1", "CM-07") in rules
    assert ("2", "CM-01") not in rules  # the model alone would lead in secrets
    assert any(sid == "3" and rule in {"CM-01", "ZJ-02", "TJ-07"} for sid, rule in rules)
    assert ("4", "CM-13") not in rules
