from __future__ import annotations

import pytest

from redline.contracts import Trigger
from redline.groups.off_topic import OffTopic, OffTopicConfig

TRIGGER = Trigger("WG-03", "WG-03#0", OffTopicConfig(min_messages=10, threshold=0.3))
WORK = "请各单位周五前报送秋粮收购进度"
CHAT = ["今天涨停了，炒股赚了", "周末一起打麻将", "帮忙砍一刀", "王者荣耀开黑吗"]


def _tables(kit, n_work: int, n_chat: int, type_: str = "task"):  # type: ignore[no-untyped-def]
    k = kit
    msgs = [k.msg(f"w{i:02d}", f"2026-03-02T09:{i:02d}:00+08:00", "g", "p1", WORK) for i in range(n_work)]
    msgs += [k.msg(f"c{i:02d}", f"2026-03-02T10:{i:02d}:00+08:00", "g", "p2", CHAT[i % 4]) for i in range(n_chat)]
    return k.make(people=[k.person("p1", "张三"), k.person("p2", "李四")],
                  groups=[k.group("g", "秋粮收购工作群", "p1", type_=type_)],
                  memberships=[k.member("g", "p1", None), k.member("g", "p2", None)], messages=msgs)


def test_chatty_work_group_is_found(kit) -> None:  # type: ignore[no-untyped-def]
    [f] = kit.analyzer(OffTopic, [TRIGGER]).analyze(_tables(kit, 12, 8), [TRIGGER])
    assert (f.kind, f.subject_id, f.facts["off_topic"], f.facts["total"]) == ("off_topic", "g", 8, 20)
    assert f.facts["share"] == 0.4
    assert f.facts["senders"] == ["p2"]
    assert "40%" in f.reason
    assert "打麻将" in f.reason
    assert f.facts["message_ids"][:2] == ["c00", "c01"]


@pytest.mark.parametrize(("n_work", "n_chat", "type_"), [
    (18, 2, "task"),      # 10%: below the threshold
    (3, 4, "task"),       # too few messages to judge
    (12, 8, "social"),    # a social group may chat
], ids=["below-threshold", "too-few", "social"])
def test_other_groups_are_not_found(kit, n_work, n_chat, type_) -> None:  # type: ignore[no-untyped-def]
    assert kit.analyzer(OffTopic, [TRIGGER]).analyze(_tables(kit, n_work, n_chat, type_), [TRIGGER]) == []
