from __future__ import annotations

import pytest

from redline.contracts import Trigger
from redline.groups.classified_content import ClassifiedContent, ClassifiedContentConfig

TRIGGER = Trigger("WH-02", "WH-02#3", ClassifiedContentConfig())


@pytest.fixture
def tables(kit):  # type: ignore[no-untyped-def]
    k = kit
    return k.make(
        people=[k.person("p1", "张三"), k.person("p2", "李四")],
        groups=[k.group("g", "财政局工作群", "p1"), k.group("h", "同学群", "p2", type_="social")],
        memberships=[k.member("g", "p1", None), k.member("g", "p2", None), k.member("h", "p2", None)],
        messages=[
            k.msg("m1", "2026-03-02T09:00:00+08:00", "g", "p2", "机密★1年 关于调整班子的请示"),
            k.msg("m2", "2026-03-02T09:05:00+08:00", "g", "p1", "收到，会后再议"),
            k.msg("m3", "2026-03-03T10:00:00+08:00", "g", "p2", "附件请查收", "file",
                  '{"name": "清政〔2026〕12号.pdf", "size": 1, "sha256": "x", "path": "a"}'),
            k.msg("m4", "2026-03-04T10:00:00+08:00", "h", "p2", "绝密 内容也发这里了"),
            k.msg("m5", "2026-03-04T10:00:00+08:00", "dm:p1|p2", "p2", "机密★ 私聊不属于群"),
        ],
    )


def test_secrets_in_groups_are_found_per_sender(kit, tables) -> None:  # type: ignore[no-untyped-def]
    found = kit.analyzer(ClassifiedContent, [TRIGGER]).analyze(tables, [TRIGGER])
    assert [(f.facts["group_id"], f.person_id, f.facts["message_ids"], f.severity) for f in found] == [
        ("g", "p2", ["m1", "m3"], "critical"),   # the attachment name carries the 文号
        ("h", "p2", ["m4"], "critical"),          # a social group is no safer
    ]
    assert found[0].kind == "classified_content"
    assert found[0].category == "secrets"
    assert "m1" in found[0].reason
    assert "财政局工作群" in found[0].reason


def test_clean_groups_give_nothing(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(people=[k.person("p1", "张三")], groups=[k.group("g", "群", "p1")],
                    memberships=[k.member("g", "p1", None)],
                    messages=[k.msg("m1", "2026-03-02T09:00:00+08:00", "g", "p1", "保密工作会议明天召开")])
    assert kit.analyzer(ClassifiedContent, [TRIGGER]).analyze(tables, [TRIGGER]) == []


def test_unregistered_detector_is_a_pack_error_when_compiled(kit) -> None:  # type: ignore[no-untyped-def]
    from redline.errors import PackError

    bad = Trigger("WH-02", "WH-02#3", ClassifiedContentConfig(detectors={"nope": {}}))
    with pytest.raises(PackError, match="unknown text detector 'nope'"):
        kit.analyzer(ClassifiedContent, [bad])


def test_with_the_registry_detectors(kit, tables) -> None:  # type: ignore[no-untyped-def]
    # the text engine's secret_marks, doc_number
    found = kit.analyzer(ClassifiedContent, [TRIGGER], stand_ins=False).analyze(tables, [TRIGGER])
    # a bare "绝密" without ★ or a period is below the real detector's bar (m4): only G's posts
    assert [(f.facts["group_id"], f.person_id, f.facts["message_ids"]) for f in found] == [("g", "p2", ["m1", "m3"])]
    assert found[0].severity == "critical"
