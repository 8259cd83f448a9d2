"""Issue 20's own examples through every shipped pack: acts are leads, notices are not.

The misses and false leads quoted in the issue, run through the real engine with the real
registry and `--packs all`: each violation must get a lead in its category, each harmless
message none at all (in any category the rules decide; the statistical classifiers are
another layer and are left out here).
"""

from __future__ import annotations

import dataclasses

import pytest

from redline.rules.build import Built, build_plan
from redline.scan.engine import scan_batch

VIOLATIONS = [
    ("巡察反馈意见稿（未定稿）先发各位，千万不要转", "secrets"),
    ("这个红头文件还没正式印发，我先拍照发群里大家提前学习一下", "secrets"),
    ("在家长群吵架的那个家长，我把他电话和家庭住址都查出来了，发给你们", "privacy"),
    ("刘科长乔迁之喜，科里统一随礼每人200，直接转我微信", "gifts"),
    ("老王说这次支部选举只要投他，年底评优他保咱们一个名额", "vote_buying"),
    ("跑得快一把五十，差两个人，谁来", "gambling"),
    ("我把巡察方案上传到AI润色了一下，效果挺好", "secrets"),
    ("内部资料太长了，直接粘贴到deepseek让它总结一下", "secrets"),
]
HARMLESS = [
    "城关派出所昨日破获一起聚众赌博案件，现场查获赌资2万余元",  # a case report
    "今天对风水坡滑坡隐患点进行了排查，暂无异常",  # a place name
    "市场监管局提醒：通过微商购买保健品要谨慎，谨防虚假宣传",  # a warning
    "反诈提醒：扫雷红包、牛牛红包都是赌博诈骗，千万别参与",  # an anti-fraud notice
    "如发现换届选举中拉票贿选行为，请及时向县委组织部举报",  # a call to report
    "内部文件已到，请各科室负责人到机要室签字领取",  # correct handling
    "网传我县明天停水系谣言，请大家不信谣不传谣",  # a rebuttal
    "今晚开黑上分，谁来",  # game slang without stakes
    "谁带我上分，钻石卡住了",
    "我们要加快转变经济发展方式",  # 快转 split by the segmenter
    "支持企业通过发行股票和债券拓宽融资渠道",  # 股票 as a field of the economy
    "严肃换届纪律，严禁拉票贿选、买官卖官",
    "严禁将内部资料上传到AI等互联网平台",
]
# card games without stakes: off-topic in a work group (WG-03), never gambling
NO_STAKES = ["周末斗地主三缺一，纯娱乐不来钱", "今天斗地主输了三把，太菜了", "周末一起打掼蛋吗，就图个乐"]


@pytest.fixture(scope="module")
def rules_only() -> Built:
    built = build_plan("all")
    plan = dataclasses.replace(built.plan, detectors=tuple(
        d for d in built.plan.detectors if not type(d).__module__.startswith("redline.detectors.classifiers")))
    return dataclasses.replace(built, plan=plan)


def _categories(built: Built, texts: list[str]) -> list[set[str]]:
    found: list[set[str]] = [set() for _ in texts]
    for finding in scan_batch(built.plan, texts):
        found[int(finding.subject_id)].add(finding.category)
    return found


@pytest.mark.parametrize(("text", "category"), VIOLATIONS, ids=[v[0][:14] for v in VIOLATIONS])
def test_acts_are_leads(rules_only: Built, text: str, category: str) -> None:
    assert category in _categories(rules_only, [text])[0]


@pytest.mark.parametrize("text", HARMLESS, ids=[h[:14] for h in HARMLESS])
def test_notices_are_not_leads(rules_only: Built, text: str) -> None:
    assert _categories(rules_only, [text])[0] == set()


@pytest.mark.parametrize("text", NO_STAKES, ids=[h[:14] for h in NO_STAKES])
def test_games_without_stakes_are_not_gambling(rules_only: Built, text: str) -> None:
    assert "gambling" not in _categories(rules_only, [text])[0]
